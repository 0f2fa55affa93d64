// Canaries and previews against a running router (docs/safe-changes.md): the push flags that start
// a canary, `switchyard canary status|promote|abort`, and `switchyard preview VERSION`.
import type { CanaryStatus, Figures } from "../../providers/store/canary.ts";
import { parseVersion } from "../../providers/store/version.ts";
import { parse, required, UsageError, type Io } from "../io.ts";
import { client, CONNECTION } from "./remote.ts";

export async function canaryCommand(args: string[], io: Io): Promise<number> {
  const [action, ...rest] = args;
  const { values } = parse(rest, { ...CONNECTION, reason: { type: "string" }, json: { type: "boolean" } });
  const admin = client(values);
  if (action === "status") {
    const { body } = await admin.call("GET", "/config/canary");
    if (values.json) io.out(JSON.stringify(body, null, 2));
    else printStatus(body as CanaryStatus, io);
    return 0;
  }
  if (action !== "promote" && action !== "abort") throw new UsageError("canary needs status, promote or abort");
  const headers: Record<string, string> = { "content-type": "application/json", "x-switchyard-author": process.env.USER ?? "cli" };
  const body = typeof values.reason === "string" ? JSON.stringify({ reason: values.reason }) : "{}";
  const { body: answer } = await admin.call("POST", `/config/canary/${action}`, { body, headers });
  const version = (answer as { version: number }).version;
  io.out(action === "promote" ? `promoted: version ${version} serves every client` : `aborted: stable content serves every client, as version ${version}`);
  return 0;
}

function printStatus(s: CanaryStatus, io: Io): void {
  if (!s.running) io.out("no canary is running");
  else {
    io.out(`canary: version ${s.candidate} at ${s.share}% of clients (by ${s.header ?? "client address"}), stable version ${s.stable}`);
    io.out(`  next steps: ${s.nextSteps.join(" → ") || "none"}; this step since ${s.stepStartedAt}`);
    io.out(`  candidate: ${line(s.figures.candidate)}`);
    io.out(`  stable:    ${line(s.figures.stable)}`);
    io.out(`  policy: ${s.decision.action}: ${s.decision.reason}`);
  }
  if (s.events.length > 0) io.out("events (newest first):");
  for (const e of s.events.slice(0, 10)) io.out(`  ${e.at}  ${e.action.padEnd(11)} v${e.candidate} (stable v${e.stable})  ${e.author}: ${e.reason}`);
}

function line(f: Figures): string {
  return `${f.requests} requests, ${f.errors} 5xx (${(f.errorRatio * 100).toFixed(2)}%), p99 ${f.p99Ms === null ? "-" : `≤ ${f.p99Ms} ms`}`;
}

export async function previewCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION, ttl: { type: "string" } }, 1);
  const version = parseVersion(required(positionals[0], "VERSION"), "VERSION");
  if (!version.ok) throw new UsageError(version.error);
  const body = JSON.stringify({ version: version.value, ...(typeof values.ttl === "string" ? { ttl: values.ttl } : {}) });
  const { body: answer } = await client(values).call("POST", "/preview", { body, headers: { "content-type": "application/json" } });
  const minted = answer as { curl: string; expiresAt: string };
  io.out(minted.curl);
  io.err(`valid until ${minted.expiresAt}`);
  return 0;
}
