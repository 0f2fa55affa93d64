// The middleware's way to its OpenID Provider: every back-channel call (discovery, JWKS, token
// endpoint) goes through `send`, which never follows redirects, is bounded in time and in answer
// size, and reaches the issuer's origin at issuerAddress when one is set (binding://NAME: a Worker
// bound to this one; or another http(s) URL). The discovery document and the key set are cached per
// isolate (one of each per middleware instance) and fetched again after CACHE_MS.
import { parseBindingURL } from "../../http/binding-url.ts";
import { collect } from "../../http/body.ts";
import { bindingFetcher } from "../../services/binding.ts";

export const PROVIDER_TIMEOUT_MS = 10_000;
export const CACHE_MS = 60 * 60 * 1000;
/** A key set is fetched again at most this often when a token names a key it lacks (rotation). */
export const JWKS_MIN_REFETCH_MS = 30_000;
const MAX_ANSWER_BYTES = 256 * 1024;

export interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly end_session_endpoint?: string;
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly id_token_signing_alg_values_supported?: readonly string[];
  readonly authorization_response_iss_parameter_supported?: boolean;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

interface Cached<T> {
  readonly value: Promise<T>;
  readonly at: number;
}

function isDiscovery(doc: unknown): doc is Discovery {
  if (typeof doc !== "object" || doc === null) return false;
  const d = doc as Record<string, unknown>;
  return ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"].every((k) => typeof d[k] === "string");
}

export class ProviderClient {
  readonly issuer: string;
  private readonly address: string | undefined;
  private readonly issuerOrigin: string;
  private discoveryCache: Cached<Discovery> | null = null;
  private jwksCache: Cached<unknown> | null = null;

  constructor(issuer: string, address: string | undefined) {
    this.issuer = issuer;
    this.address = address;
    this.issuerOrigin = new URL(issuer).origin;
  }

  /** One bounded back-channel exchange; the answer's body parsed as JSON (null when it is not). */
  async send(url: string, init: RequestInit, env: object): Promise<JsonAnswer> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no answer from the OpenID Provider within ${PROVIDER_TIMEOUT_MS / 1000}s`)), PROVIDER_TIMEOUT_MS);
    try {
      const request = new Request(this.target(url), { ...init, redirect: "manual", signal: abort.signal });
      const response = await this.fetcher(env)(request);
      const read = response.body ? await collect(response.body, MAX_ANSWER_BYTES) : { ok: true as const, bytes: new Uint8Array() };
      if (!read.ok) throw new Error(`the OpenID Provider's answer from ${url} is over ${MAX_ANSWER_BYTES} bytes`);
      let body: unknown = null;
      try {
        body = JSON.parse(new TextDecoder().decode(read.bytes));
      } catch {
        body = null;
      }
      return { status: response.status, body };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Where `url` is really sent: the issuer's origin replaced by issuerAddress's, when set. */
  private target(url: string): string {
    const parsed = new URL(url);
    if (!this.address || parsed.origin !== this.issuerOrigin) return url;
    const binding = parseBindingURL(this.address);
    if (binding) return url; // a binding is sent the issuer's own URL (its Host), see fetcher()
    return new URL(parsed.pathname + parsed.search, this.address).href;
  }

  private fetcher(env: object): (request: Request) => Promise<Response> {
    const binding = this.address ? parseBindingURL(this.address) : null;
    if (!binding) return (request) => fetch(request);
    return (request) => {
      if (new URL(request.url).origin !== this.issuerOrigin) return fetch(request);
      const fetcher = bindingFetcher(env, binding.binding);
      if (!fetcher) return Promise.reject(new Error(`binding ${binding.binding} is not a service binding of this Worker`));
      return fetcher.fetch(request);
    };
  }

  /** The provider's discovery document, cached; a failed fetch is not cached. */
  discovery(env: object): Promise<Discovery> {
    const now = Date.now();
    if (this.discoveryCache && now - this.discoveryCache.at < CACHE_MS) return this.discoveryCache.value;
    const url = `${this.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const value = this.send(url, { headers: { accept: "application/json" } }, env).then(({ status, body }) => {
      if (status !== 200 || !isDiscovery(body)) throw new Error(`${url} answered ${status} without a discovery document`);
      // OpenID Connect Discovery 1.0 §4.3: the document's issuer is exactly the configured one.
      if (body.issuer !== this.issuer) throw new Error(`the discovery document's issuer is ${JSON.stringify(body.issuer)}, not ${JSON.stringify(this.issuer)}`);
      return body;
    });
    const entry = { value, at: now };
    this.discoveryCache = entry;
    value.catch(() => {
      if (this.discoveryCache === entry) this.discoveryCache = null;
    });
    return value;
  }

  /** The provider's key set, cached; `stale` asks for a new copy (a token named a key it lacks). */
  jwks(env: object, stale = false): Promise<unknown> {
    const now = Date.now();
    const cached = this.jwksCache;
    if (cached && now - cached.at < CACHE_MS && !(stale && now - cached.at >= JWKS_MIN_REFETCH_MS)) return cached.value;
    const value = this.discovery(env).then(async (doc) => {
      const { status, body } = await this.send(doc.jwks_uri, { headers: { accept: "application/json" } }, env);
      if (status !== 200 || typeof body !== "object" || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
        throw new Error(`${doc.jwks_uri} answered ${status} without a key set`);
      }
      return body;
    });
    const entry = { value, at: now };
    this.jwksCache = entry;
    value.catch(() => {
      if (this.jwksCache === entry) this.jwksCache = null;
    });
    return value;
  }
}
