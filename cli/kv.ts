// `switchyard push FILE --kv`: publish straight to KV through wrangler, as a user would by hand:
// the load facts and the immutable snapshot key first, then the version key that names them. The
// facts are this checkout's build's: a Worker deployed from the same sources loads the config from
// them without validating it; any other build validates it in full (docs/cold-start.md).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeVersionRef, parseVersionRef } from "../providers/store/ref.ts";
import { factsKey, snapshotKey, VERSION_KEY } from "../providers/store/keys.ts";
import type { CheckedConfig } from "./check.ts";
import { mayReplace, printDiff } from "./check.ts";
import { isVersion } from "../providers/store/version.ts";
import { parseConfigText, routerCount } from "../worker/config/index.ts";
import type { Io } from "./io.ts";

export interface KvOptions {
  readonly binding?: string | boolean | undefined;
  readonly remote?: boolean | undefined;
  readonly persistTo?: string | boolean | undefined;
  readonly dryRun?: boolean | undefined;
  /** --allow-empty: publish a config without routers over one with routers. */
  readonly allowEmpty?: boolean | undefined;
  /** --sign: the signature (cli/sign.ts) written into the version key. */
  readonly signature?: string | undefined;
}

export async function pushKv(checked: CheckedConfig, options: KvOptions, io: Io): Promise<number> {
  const kv = new WranglerKv(options);
  const currentRaw = await kv.get(VERSION_KEY);
  const current = currentRaw === null ? null : parseVersionRef(JSON.parse(currentRaw), VERSION_KEY);
  const currentConfig = current ? await kv.get(current.key) : null;
  const parsedCurrent = currentConfig === null ? null : parseConfigText(currentConfig, "auto");
  const previous = parsedCurrent?.ok ? parsedCurrent.value : null;
  printDiff(previous, checked.config, io);
  const name = current ? `version ${current.version} in KV` : "";
  if (!mayReplace(current && { name, config: previous }, checked.config, options.allowEmpty === true, io, "cli")) return 1;
  const version = (current?.version ?? 0) + 1;
  if (!isVersion(version)) {
    io.err(`${VERSION_KEY} names version ${current?.version}, the highest there is: push through the admin API instead (the config store goes on from its own history)`);
    return 1;
  }
  const key = snapshotKey(version, checked.sha256);
  const facts = factsKey(key, checked.revision);
  if (options.dryRun) {
    io.out(`dry run: would write ${facts}, ${key} then ${VERSION_KEY}`);
    return 0;
  }
  // One wrangler run for both (each run costs seconds); the version key only after both are in.
  await kv.putMany([{ key: facts, value: checked.facts }, { key, value: checked.canonical }]);
  // Without routers it passed mayReplace (nothing lost, or --allow-empty): isolates must take it too.
  const allowEmpty = routerCount(checked.config) === 0;
  const signature = options.signature === undefined ? {} : { signature: options.signature };
  await kv.put(VERSION_KEY, encodeVersionRef({ version, key, sha256: checked.sha256, allowEmpty, facts, ...signature }));
  io.out(`published ${checked.file} to KV as version ${version} (${key}, sha256 ${checked.sha256.slice(0, 12)}${options.signature === undefined ? "" : ", signed"})`);
  return 0;
}

class WranglerKv {
  private readonly flags: string[];

  constructor(options: KvOptions) {
    const binding = typeof options.binding === "string" ? options.binding : "CONFIG_KV";
    this.flags = ["--binding", binding, options.remote ? "--remote" : "--local"];
    if (typeof options.persistTo === "string") this.flags.push("--persist-to", options.persistTo);
  }

  async get(key: string): Promise<string | null> {
    const { code, stdout, stderr } = await wrangler(["kv", "key", "get", key, ...this.flags, "--text"]);
    if (code === 0) return stdout;
    if (/not found|value not found/i.test(stderr + stdout)) return null;
    throw new Error(`wrangler kv key get ${key} failed: ${stderr.trim() || stdout.trim()}`);
  }

  /** Several keys in one `wrangler kv bulk put`. */
  async putMany(entries: readonly { key: string; value: string }[]): Promise<void> {
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "switchyard-"));
    try {
      const path = join(dir, "bulk.json");
      await writeFile(path, JSON.stringify(entries));
      const { code, stderr, stdout } = await wrangler(["kv", "bulk", "put", path, ...this.flags]);
      if (code !== 0) throw new Error(`wrangler kv bulk put ${entries.map((e) => e.key).join(", ")} failed: ${stderr.trim() || stdout.trim()}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async put(key: string, value: string): Promise<void> {
    // Through a file: a config can be larger than a command line may be.
    const { tmpdir } = await import("node:os"); // loaded here: every other command would pay for it at start-up
    const dir = await mkdtemp(join(tmpdir(), "switchyard-"));
    try {
      const path = join(dir, "value");
      await writeFile(path, value);
      const { code, stderr, stdout } = await wrangler(["kv", "key", "put", key, "--path", path, ...this.flags]);
      if (code !== 0) throw new Error(`wrangler kv key put ${key} failed: ${stderr.trim() || stdout.trim()}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

async function wrangler(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Loaded here: node:child_process costs every other command ~10-30 ms at start-up.
  const { spawn } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["wrangler", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
