// `switchyard plan FILE [--requests REQS.jsonl]`: what publishing FILE would change, before it is
// published (issue 18): the field-level diff against the live version and, for the requests
// given, which would be routed differently and to where. Exit 0: nothing changes; 2: something
// does (a CI gate: `switchyard plan new.yaml --requests golden.jsonl || review`); 1: an error.
import { routingMove, routingTable } from "../../worker/compile/routing-diff.ts";
import { canonicalJSON, diffConfigFields, loadConfig, type ValidationResult } from "../../worker/config/index.ts";
import { viewFromDescription, type RuleSyntax } from "../../worker/rules/index.ts";
import { checkConfigFile, describeDiff, NO_CHANGES } from "../check.ts";
import { AdminError } from "../client.ts";
import { DEFAULT_SETTINGS, parse, readText, UsageError, type CliSettings, type Io } from "../io.ts";
import { parseRequests } from "../requests.ts";
import { client, CONNECTION } from "./remote.ts";

export const CHANGES_EXIT = 2;

export async function planCommand(args: string[], io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION, requests: { type: "string" }, json: { type: "boolean" } }, 1);
  const file = positionals[0];
  if (!file) throw new UsageError("FILE is required");
  const requests = typeof values.requests === "string" ? parseRequests(await readText(values.requests)) : [];
  const unread = requests.flatMap((r) => ("error" in r ? [r.error] : []));
  if (unread.length > 0) {
    for (const e of unread) io.err(e);
    return 1;
  }
  const checked = await checkConfigFile(file, io, settings);
  if (!checked) return 1;
  const live = await liveConfig(client(values));
  const liveLoaded = loadLive(live?.config ?? {}, settings.defaultRuleSyntax);
  if (!liveLoaded.ok) throw new Error(`the live config (version ${live?.version}) does not validate with this CLI: ${liveLoaded.errors[0]?.path}: ${liveLoaded.errors[0]?.message}`);
  const diff = diffConfigFields({ version: live?.version ?? 0, canonical: canonicalJSON(liveLoaded.config) }, { version: 0, canonical: checked.canonical });
  const candidate = loadConfig(checked.canonical, "json", { defaultRuleSyntax: settings.defaultRuleSyntax });
  if (!candidate.ok) throw new Error(`${file}: does not load again from its canonical form`);
  const before = routingTable(liveLoaded.config, liveLoaded.rules, settings.defaultRuleSyntax);
  const after = routingTable(candidate.config, candidate.rules, settings.defaultRuleSyntax);
  const moves = requests.flatMap((r) => {
    if ("error" in r) return [];
    const move = routingMove(before, after, viewFromDescription(r.request));
    return move ? [{ line: r.line, method: r.request.method ?? "GET", url: r.request.url, ...move }] : [];
  });
  const lines = describeDiff(diff);
  const changes = lines.length > 0 || moves.length > 0;
  if (values.json) io.out(JSON.stringify({ live: live?.version ?? null, changes, diff, requests: requests.length, moved: moves }, null, 2));
  else {
    io.out(`plan: ${file} against ${live ? `version ${live.version}` : "no published config"}`);
    io.out(lines.length === 0 ? NO_CHANGES : `changes:\n${lines.join("\n")}`);
    if (values.requests !== undefined) io.out(`requests: ${requests.length}, routed differently: ${moves.length}`);
    const name = (r: string | null) => (r === null ? "404" : r);
    for (const m of moves) io.out(`  line ${m.line}: ${m.method} ${m.url}: ${name(m.from)} -> ${name(m.to)}`);
  }
  return changes ? CHANGES_EXIT : 0;
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

function loadLive(config: unknown, defaultRuleSyntax: RuleSyntax): ValidationResult {
  return loadConfig(JSON.stringify(config), "json", { defaultRuleSyntax });
}
