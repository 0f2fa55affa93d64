// push / pull / history / rollback / diff against a running router's admin API (status: status.ts).
import { writeFile } from "node:fs/promises";
import { AdminClient } from "../client.ts";
import { parseVersion } from "../../providers/store/version.ts";
import { checkConfigFile, describeDiff, mayReplace, NO_CHANGES, printDiff } from "../check.ts";
import type { FieldConfigDiff } from "../../worker/config/index.ts";
import { DEFAULT_SETTINGS, parse, required, UsageError, type CliSettings, type Io } from "../io.ts";
import { pushKv } from "../kv.ts";

export const CONNECTION = {
  url: { type: "string" },
  base: { type: "string" },
} as const;

export function client(values: { url?: string | boolean; base?: string | boolean }): AdminClient {
  const token = process.env.SWITCHYARD_TOKEN;
  if (!token) throw new UsageError("set SWITCHYARD_TOKEN to the router's ADMIN_TOKEN (or a token with the scope this command needs)");
  const url = typeof values.url === "string" ? values.url : (process.env.SWITCHYARD_URL ?? "http://127.0.0.1:8787");
  const base = typeof values.base === "string" ? values.base : "/__switchyard";
  if (!URL.canParse(url)) throw new UsageError(`--url is not a URL: ${url}`);
  return new AdminClient({ url, base, token });
}

export async function pushCommand(args: string[], io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...CONNECTION, kv: { type: "boolean" }, "if-match": { type: "string" }, message: { type: "string" }, "dry-run": { type: "boolean" }, "allow-empty": { type: "boolean" }, binding: { type: "string" }, remote: { type: "boolean" }, "persist-to": { type: "string" } },
    1,
  );
  const file = positionals[0];
  if (!file) throw new UsageError("FILE is required");
  const ifMatch = versionArg(values["if-match"], "--if-match", true);
  const allowEmpty = values["allow-empty"] === true;
  const checked = await checkConfigFile(file, io, settings);
  if (!checked) return 1;
  if (values.kv) return pushKv(checked, { binding: values.binding, remote: values.remote, persistTo: values["persist-to"], dryRun: values["dry-run"], allowEmpty }, io);
  const admin = client(values);
  const current = await currentConfig(admin);
  printDiff(current?.config ?? null, checked.config, io);
  if (!mayReplace(current && { name: `version ${current.version}`, config: current.config }, checked.config, allowEmpty, io)) return 1;
  if (values["dry-run"]) return 0;
  const headers: Record<string, string> = { "content-type": "application/json", "x-switchyard-author": process.env.USER ?? "cli" };
  if (ifMatch !== undefined) headers["if-match"] = `"${ifMatch}"`;
  if (typeof values.message === "string") headers["x-switchyard-message"] = values.message;
  const { body } = await admin.call("PUT", `/config${allowEmpty ? "?allowEmpty=true" : ""}`, { body: checked.canonical, headers });
  io.out(`pushed ${file}: version ${(body as { version: number }).version}`);
  return 0;
}

async function currentConfig(admin: AdminClient): Promise<{ version: number; config: unknown } | null> {
  try {
    const { body, headers } = await admin.call("GET", "/config");
    return { version: Number(headers.get("x-switchyard-version")), config: body };
  } catch (err) {
    if (err instanceof Error && "status" in err && err.status === 404) return null;
    throw err;
  }
}

export async function pullCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...CONNECTION, version: { type: "string" }, output: { type: "string", short: "o" } });
  const version = versionArg(values.version, "--version");
  const query = version === undefined ? "" : `?version=${version}`;
  const { body, headers } = await client(values).call("GET", `/config${query}`);
  const text = JSON.stringify(body, null, 2) + "\n";
  if (typeof values.output === "string") {
    await writeFile(values.output, text);
    io.err(`wrote version ${headers.get("x-switchyard-version")} to ${values.output}`);
  } else io.out(text.trimEnd());
  return 0;
}

export async function historyCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...CONNECTION, limit: { type: "string" } });
  const limit = versionArg(values.limit, "--limit");
  const query = limit === undefined ? "" : `?limit=${limit}`;
  const { body } = await client(values).call("GET", `/config/history${query}`);
  for (const r of body as { version: number; createdAt: string; author: string; message: string; sha256: string }[]) {
    io.out(`${String(r.version).padStart(5)}  ${r.createdAt}  ${r.sha256.slice(0, 12)}  ${r.author}  ${r.message}`);
  }
  return 0;
}

export async function rollbackCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION, "if-match": { type: "string" }, "allow-empty": { type: "boolean" } }, 1);
  const version = versionArg(required(positionals[0], "VERSION"), "VERSION")!;
  const ifMatch = versionArg(values["if-match"], "--if-match", true);
  const headers: Record<string, string> = { "content-type": "application/json", "x-switchyard-author": process.env.USER ?? "cli" };
  if (ifMatch !== undefined) headers["if-match"] = `"${ifMatch}"`;
  const query = values["allow-empty"] ? "?allowEmpty=true" : "";
  const { body } = await client(values).call("POST", `/config/rollback${query}`, { body: JSON.stringify({ version }), headers });
  io.out(`rolled back to version ${version}: now version ${(body as { version: number }).version}`);
  return 0;
}

export async function diffCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION, json: { type: "boolean" } }, 2);
  const [a, b] = positionals;
  if (!a || !b) throw new UsageError("diff needs two versions: switchyard diff A B");
  const from = versionArg(a, "A");
  const to = versionArg(b, "B");
  const { body } = await client(values).call("GET", `/config/diff?from=${from}&to=${to}`);
  if (values.json) {
    io.out(JSON.stringify(body, null, 2));
    return 0;
  }
  const lines = describeDiff(body as FieldConfigDiff);
  io.out(lines.length === 0 ? `version ${from} -> ${to}: ${NO_CHANGES}` : `version ${from} -> ${to}:\n${lines.join("\n")}`);
  return 0;
}

/** A version argument (or --limit): a whole number from 1 (0 with `zero`) to 2^53 - 1, else a usage error. */
function versionArg(value: string | boolean | undefined, what: string, zero = false): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseVersion(typeof value === "string" ? value : "", what, zero);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed.value;
}
