// Canaries and previews against a running router (docs/safe-changes.md): the push flags that start
// a canary, `switchyard canary status|promote|abort`, and `switchyard preview VERSION`.
import type { CanaryStatus, Figures } from "../../providers/store/canary.ts";
import { parseVersion } from "../../providers/store/version.ts";
import { parse, required, UsageError, type Io } from "../io.ts";
import { client, CONNECTION } from "./remote.ts";

/** The push flags of a canary (each maps to a PUT <base>/config query parameter). */
export const CANARY_FLAGS = {
  canary: { type: "string" },
  "promote-after": { type: "string" },
  "max-error-ratio": { type: "string" },
  "max-p99-ratio": { type: "string" },
  "min-requests": { type: "string" },
  steps: { type: "string" },
  "sticky-header": { type: "string" },
} as const;

const QUERY: Record<keyof typeof CANARY_FLAGS, string> = {
  canary: "canary",
  "promote-after": "promoteAfter",
  "max-error-ratio": "maxErrorRatio",
  "max-p99-ratio": "maxP99Ratio",
  "min-requests": "minRequests",
  steps: "steps",
  "sticky-header": "stickyHeader",
};

/** The query string the canary flags make ("" without --canary; the other flags need it). */
export function canaryParams(values: Partial<Record<keyof typeof CANARY_FLAGS, string | boolean>>): URLSearchParams | null {
  const given = (Object.keys(QUERY) as (keyof typeof CANARY_FLAGS)[]).filter((k) => typeof values[k] === "string");
  if (given.length === 0) return null;
  if (!given.includes("canary")) throw new UsageError(`--${given[0]} needs --canary PERCENT`);
  const params = new URLSearchParams();
  for (const k of given) params.set(QUERY[k], String(values[k]).replace(/%$/, ""));
  return params;
}

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
