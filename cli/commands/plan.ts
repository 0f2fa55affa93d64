// `switchyard plan FILE [--requests REQS.jsonl]`: what publishing FILE would change, before it is
// published (issue 18): the field-level diff against the live version and, for the requests
// given, which would be routed differently and to where (worker/compile/plan.ts, as POST
// <base>/plan answers). Exit 0: nothing changes; 2: something does (a CI gate:
// `switchyard plan new.yaml --requests golden.jsonl || review`); 1: an error.
import { plan } from "../../worker/compile/plan.ts";
import type { RequestDescription } from "../../worker/rules/index.ts";
import { checkConfigFile, describeDiff, NO_CHANGES } from "../check.ts";
import { AdminError } from "../client.ts";
import { formatIssue } from "./validate.ts";
import { DEFAULT_SETTINGS, parse, readText, UsageError, type CliSettings, type Io } from "../io.ts";
import { parseRequests } from "../requests.ts";
import { client, CONNECTION } from "./remote.ts";

export const CHANGES_EXIT = 2;

export async function planCommand(args: string[], io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION, requests: { type: "string" }, json: { type: "boolean" } }, 1);
  const file = positionals[0];
  if (!file) throw new UsageError("FILE is required");
  const lines = typeof values.requests === "string" ? parseRequests(await readText(values.requests)) : [];
  const unread = lines.flatMap((r) => ("error" in r ? [r.error] : []));
  if (unread.length > 0) {
    for (const e of unread) io.err(e);
    return 1;
  }
  const requests = lines.flatMap((r) => ("error" in r ? [] : [{ line: r.line, request: r.request }]));
  const checked = await checkConfigFile(file, io, settings);
  if (!checked) return 1;
  const live = await liveConfig(client(values));
  const result = plan({ live, candidate: checked.config, requests: requests.map((r) => r.request as RequestDescription), defaultRuleSyntax: settings.defaultRuleSyntax });
  if (!result.ok) {
    io.err(`the ${result.side === "live" ? `live config (version ${live?.version})` : "candidate"} does not validate with this CLI:`);
    for (const e of result.errors) io.err(formatIssue(e));
    return 1;
  }
  const p = result.plan;
  const moved = p.moved.map((m) => ({ line: requests[m.index]!.line, method: m.method, url: m.url, from: m.from, to: m.to }));
  if (values.json) io.out(JSON.stringify({ ...p, moved }, null, 2));
  else {
    const diffLines = describeDiff(p.diff);
    io.out(`plan: ${file} against ${live ? `version ${live.version}` : "no published config"}`);
    io.out(diffLines.length === 0 ? NO_CHANGES : `changes:\n${diffLines.join("\n")}`);
    if (values.requests !== undefined) io.out(`requests: ${p.requests}, routed differently: ${moved.length}`);
    const name = (r: string | null) => (r === null ? "404" : r);
    for (const m of moved) io.out(`  line ${m.line}: ${m.method} ${m.url}: ${name(m.from)} -> ${name(m.to)}`);
  }
  return p.changes ? CHANGES_EXIT : 0;
}

async function liveConfig(admin: ReturnType<typeof client>): Promise<{ version: number; config: unknown } | null> {
  try {
    const { body, headers } = await admin.call("GET", "/config");
    return { version: Number(headers.get("x-switchyard-version")), config: body };
  } catch (err) {
    if (err instanceof AdminError && err.status === 404) return null;
    throw err;
  }
}
