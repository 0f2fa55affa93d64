// The HTTP client Traefik Hub's auth middlewares configure with `clientConfig`: GET a key server or
// an identity provider at an http(s) URL through fetch(), or at `binding://NAME[/path]` through
// the Worker bound as NAME; each attempt bounded by timeoutSeconds, a network error or a 5xx
// retried up to maxRetries times. Redirects are followed (a JWKS behind a CDN often moves).
import { parseBindingURL } from "../../http/binding-url.ts";
import { bindingFetcher } from "../../services/binding.ts";
import type { RequestContext } from "../../services/types.ts";

export interface ClientSettings {
  readonly timeoutSeconds: number;
  readonly maxRetries: number;
}

export type ClientGet = (rc: RequestContext) => Promise<Response>;

async function attempt(send: (signal: AbortSignal) => Promise<Response>, timeoutMs: number): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
  try {
    return await send(abort.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** A GET of `address` with these settings; the binding is looked up per request (rc.env). */
export function clientGet(address: string, settings: ClientSettings): ClientGet {
  const binding = parseBindingURL(address);
  const url = binding ? `https://${binding.binding}${binding.path || "/"}` : address;
  const headers = { accept: "application/json" };
  return async (rc) => {
    const fetcher = binding ? bindingFetcher(rc.env, binding.binding) : null;
    if (binding && !fetcher) throw new Error(`binding ${binding.binding} is not a service binding of this Worker`);
    const send = (signal: AbortSignal) => (fetcher ? fetcher.fetch(url, { headers, signal }) : fetch(url, { headers, signal }));
    let last: unknown;
    for (let i = 0; i <= settings.maxRetries; i++) {
      try {
        const response = await attempt(send, settings.timeoutSeconds * 1000);
        if (response.status < 500 || i === settings.maxRetries) return response;
        await response.body?.cancel();
        last = new Error(`answered ${response.status}`);
      } catch (error) {
        last = error;
      }
    }
    throw last instanceof Error ? last : new Error(String(last));
  };
}
