// Real processes for end-to-end tests: `wrangler dev` on a free loopback port with its own state
// directory. Everything is bounded in time and killed on close, so a test can never hang.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  readonly url: string;
  /** wrangler dev's --persist-to directory (local KV, Durable Objects). */
  readonly state?: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

export interface DevOptions {
  readonly vars?: Record<string, string>;
  readonly readyPath?: string;
  readonly timeoutMs?: number;
}

export async function startWranglerDev(options: DevOptions = {}): Promise<Running> {
  const port = await freePort();
  const state = await mkdtemp(join(tmpdir(), "switchyard-state-"));
  const vars = Object.entries(options.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", state, "--inspector-port", String(await freePort()), ...vars];
  const child = spawn("npx", args, { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
  const url = `http://127.0.0.1:${port}`;
  const running = { ...track(child, url, async () => rm(state, { recursive: true, force: true })), state };
  await waitUntilReady(`${url}${options.readyPath ?? "/"}`, child, running.output, options.timeoutMs ?? 90_000);
  return running;
}

export function startProcess(command: string, args: string[], env: Record<string, string> = {}): Running & { child: ChildProcess } {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env }, detached: true });
  return { ...track(child, "", async () => {}), child };
}

function track(child: ChildProcess, url: string, cleanup: () => Promise<void>): Running {
  let log = "";
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        killTree(child, "SIGINT");
        const timer = setTimeout(() => killTree(child, "SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
    },
  };
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered:\n${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}
