// One active health probe, as Traefik's: the check's method, path and headers, within the check's
// timeout; healthy when the status is the expected one, or any 2xx/3xx when none is set. Redirects
// are followed unless followRedirects is false (then a 3xx itself counts as healthy).
import { bindingFetcher } from "../binding.ts";
import type { ProbeSpec, ProbeTarget } from "./spec.ts";

export interface ProbeResult {
  readonly up: boolean;
  readonly error: string | null;
}

export async function probe(target: ProbeTarget, spec: ProbeSpec, env: object): Promise<ProbeResult> {
  const fetcher = target.binding ? bindingFetcher(env, target.binding) : { fetch: (u: string, i: RequestInit) => fetch(u, i) };
  if (!fetcher) return { up: false, error: `no service binding named ${target.binding}` };
  try {
    const response = await fetcher.fetch(target.url, {
      method: spec.method,
      headers: spec.headers,
      redirect: spec.followRedirects ? "follow" : "manual",
      signal: AbortSignal.timeout(spec.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return judge(response.status, spec.status);
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { up: false, error: timedOut ? `no answer within ${spec.timeoutMs} ms` : `request failed: ${String(err)}` };
  }
}

function judge(status: number, expected: number | null): ProbeResult {
  if (expected !== null) return status === expected ? { up: true, error: null } : { up: false, error: `status ${status}, expected ${expected}` };
  return status >= 200 && status < 400 ? { up: true, error: null } : { up: false, error: `status ${status}` };
}
