// What an active health check probes, in a form that travels to the health-checker Durable Object
// (plain data) and names it (a stable hash of the spec, so isolates with the same config share one).
import { canonicalJSON } from "../../go/json.ts";
import type { ServerHealthCheck } from "../../schema/services.ts";
import { positiveMs } from "../../go/duration.ts";
import { parseBindingURL } from "../../http/binding-url.ts";
import { fnv1a } from "../hash.ts";

export interface ProbeTarget {
  /** The server URL as configured (the API's serverStatus key). */
  readonly server: string;
  /** What to request: the server URL with the check's path, scheme and port applied. */
  readonly url: string;
  /** Set for binding:// servers: the probe goes through env[binding].fetch. */
  readonly binding: string | null;
}

export interface ProbeSpec {
  readonly service: string;
  readonly targets: readonly ProbeTarget[];
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The status that means healthy; null: any 2xx or 3xx (Traefik's default). */
  readonly status: number | null;
  readonly followRedirects: boolean;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly unhealthyIntervalMs: number;
}

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 5_000;

/** A positive duration in ms, or the fallback (Traefik falls back on non-positive values too). */
export function probeSpec(service: string, servers: readonly string[], check: ServerHealthCheck): ProbeSpec {
  const intervalMs = positiveMs(check.interval, DEFAULT_INTERVAL_MS);
  return {
    service,
    targets: servers.map((server) => probeTarget(server, check)),
    method: (check.method ?? "GET").toUpperCase(),
    headers: { ...(check.headers ?? {}) },
    status: check.status ?? null,
    followRedirects: check.followRedirects,
    timeoutMs: positiveMs(check.timeout, DEFAULT_TIMEOUT_MS),
    intervalMs,
    unhealthyIntervalMs: positiveMs(check.unhealthyInterval, intervalMs),
  };
}

/** As Traefik: the check's path is resolved against the server URL, then scheme and port replaced.
 *  For a service binding, hostname (if set) is the host the bound Worker sees. */
export function probeTarget(server: string, check: ServerHealthCheck): ProbeTarget {
  const binding = parseBindingURL(server);
  const base = binding ? new URL(`http://${binding.binding.toLowerCase()}${binding.path || "/"}`) : new URL(server);
  const url = new URL(check.path ?? "", base);
  if (check.scheme) url.protocol = `${check.scheme}:`;
  if (binding && check.hostname) url.hostname = check.hostname;
  if (!binding && check.port !== undefined) url.port = String(check.port);
  return { server, url: url.href, binding: binding?.binding ?? null };
}

/** The Durable Object name for a spec: the service and a hash of everything it probes. */
export function checkerName(spec: ProbeSpec): string {
  return `${spec.service}#${fnv1a(canonicalJSON(spec)).toString(16)}`;
}
