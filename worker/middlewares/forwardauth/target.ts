// Where forwardAuth asks: an http(s) URL through fetch(), or `binding://NAME[/path]`, a Worker bound
// to this one (rc.env[NAME]). Either way redirects come back as they are (Traefik never follows them)
// and the exchange is bounded in time, as Traefik's auth client (30 s).
import { parseBindingURL } from "../../http/binding-url.ts";
import { bindingFetcher } from "../../services/binding.ts";
import type { RequestContext } from "../../services/types.ts";

export const AUTH_TIMEOUT_MS = 30_000;

export interface AuthTarget {
  /** The URL the auth request is made for (a binding's is only meaningful to that Worker). */
  readonly url: URL;
  /** Whether a relative Location from the auth server can be made absolute against `url`. */
  readonly publicURL: boolean;
  send(init: RequestInit, rc: RequestContext): Promise<Response>;
}

function withTimeout(init: RequestInit, run: (init: RequestInit) => Promise<Response>): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer from the auth server within ${AUTH_TIMEOUT_MS / 1000}s`)), AUTH_TIMEOUT_MS);
  return run({ ...init, signal: abort.signal, redirect: "manual" }).finally(() => clearTimeout(timer));
}

export function authTarget(address: string): AuthTarget {
  const binding = parseBindingURL(address);
  if (!binding) {
    const url = new URL(address);
    return { url, publicURL: true, send: (init) => withTimeout(init, (i) => fetch(url, i)) };
  }
  const name = binding.binding;
  const url = new URL(`https://${name}${binding.path || "/"}`);
  return {
    url,
    publicURL: false,
    send: (init, rc) => {
      const fetcher = bindingFetcher(rc.env, name);
      if (!fetcher) return Promise.reject(new Error(`binding ${name} is not a service binding of this Worker`));
      return withTimeout(init, (i) => fetcher.fetch(new Request(url, i)));
    },
  };
}
