// `switchyard shadow FILE [--sample-rate R]` / `shadow status [--json]` / `shadow stop`: a
// candidate evaluated against real traffic without serving it (docs/safe-changes.md), over
// <base>/config/shadow. FILE is validated here first, as push does.
import type { ShadowState } from "../../providers/store/shadow.ts";
import { checkConfigFile } from "../check.ts";
import { DEFAULT_SETTINGS, parse, UsageError, type CliSettings, type Io } from "../io.ts";
import { client, CONNECTION } from "./remote.ts";

export async function shadowCommand(args: string[], io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<number> {
  const [first, ...rest] = args;
  if (first === "status") return status(rest, io);
  if (first === "stop") return stop(rest, io);
  if (first === undefined || first.startsWith("-")) throw new UsageError("shadow needs FILE, status or stop");
  return start(args, io, settings);
}

async function start(args: string[], io: Io, settings: CliSettings): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION, "sample-rate": { type: "string" } }, 1);
  const rate = values["sample-rate"];
  if (rate !== undefined && !(Number(rate) > 0 && Number(rate) <= 1)) throw new UsageError(`--sample-rate must be above 0 and at most 1, got ${String(rate)}`);
  const checked = await checkConfigFile(positionals[0]!, io, settings);
  if (!checked) return 1;
  const query = rate === undefined ? "" : `?sampleRate=${encodeURIComponent(String(rate))}`;
  const { body } = await client(values).call("PUT", `/config/shadow${query}`, { body: checked.canonical, headers: { "content-type": "application/json" } });
  const s = body as ShadowState & { active: true };
  io.out(`shadowing ${checked.file} (${s.sha256.slice(0, 12)}) against version ${s.basedOn ?? "none"}, sampling ${s.sampleRate * 100} % of requests`);
  io.out("see what it would change: switchyard shadow status; end it: switchyard shadow stop");
  return 0;
}

async function status(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...CONNECTION, json: { type: "boolean" } });
  const { body } = await client(values).call("GET", "/config/shadow");
  if (values.json) io.out(JSON.stringify(body, null, 2));
  else for (const line of describeShadow(body as ShadowState)) io.out(line);
  return 0;
}

async function stop(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...CONNECTION });
  const { body } = await client(values).call("DELETE", "/config/shadow");
  io.out("shadow evaluation stopped; its last figures:");
  for (const line of describeShadow(body as ShadowState)) io.out(line);
  return 0;
}

export function describeShadow(s: ShadowState): string[] {
  if (!s.active) return ["no shadow evaluation is running"];
  const lines = [
    `candidate ${s.sha256.slice(0, 12)} against version ${s.basedOn ?? "none"}, since ${s.startedAt} (by ${s.author}), sampling ${s.sampleRate * 100} %`,
    `requests sampled: ${s.sampled}, would be routed differently: ${s.moved}`,
  ];
  for (const line of s.summary) lines.push(`  ${line}`);
  return lines;
}
