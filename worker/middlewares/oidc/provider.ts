// The middleware's way to its OpenID Provider: every back-channel call (discovery, JWKS, token
// endpoint) goes through `exchange`, which never follows redirects, is bounded in time (Hub's
// clientConfig.timeoutSeconds, the body too) and in answer size, retries a GET that failed
// (network error or 5xx, clientConfig.maxRetries; never a POST: a code is single-use), and reaches the issuer's origin at issuerAddress when one is set
// (binding://NAME: a Worker bound to this one; or another http(s) URL). The discovery document is
// cached per middleware instance and fetched again after CACHE_MS; the key set is the isolate's
// shared JWKS cache (auth/jwks.ts: Cache-Control lifetime, unknown-kid refresh with a cooldown).
import { parseBindingURL } from "../../http/binding-url.ts";
import { collect } from "../../http/body.ts";
import { bindingFetcher } from "../../services/binding.ts";
import { remoteJwks, type KeySet, type RemoteJwks } from "../auth/jwks.ts";

export interface ProviderSettings {
  readonly issuer: string;
  readonly address: string | undefined;
  /** Hub's discoveryParams: query parameters of the discovery request. */
  readonly discoveryParams: readonly (readonly [string, string])[];
  /** Hub's trustedIssuer: another iss accepted in ID tokens. */
  readonly trustedIssuer: string | null;
  /** false with Hub's disableIssuerCheck: neither the document's issuer nor the tokens' iss is checked. */
  readonly checkIssuer: boolean;
  readonly timeoutMs: number;
  readonly maxRetries: number;
}
export const CACHE_MS = 60 * 60 * 1000;
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
  readonly settings: ProviderSettings;
  private readonly address: string | undefined;
  private readonly issuerOrigin: string;
  private discoveryCache: Cached<Discovery> | null = null;

  constructor(settings: ProviderSettings) {
    this.settings = settings;
    this.issuer = settings.issuer;
    this.address = settings.address;
    this.issuerOrigin = new URL(settings.issuer).origin;
  }

  /** The issuers an ID token's iss may name, or undefined when it is not checked. */
  get acceptedIssuers(): string[] | undefined {
    if (!this.settings.checkIssuer) return undefined;
    return this.settings.trustedIssuer ? [this.issuer, this.settings.trustedIssuer] : [this.issuer];
  }

  /** One back-channel request, redirects not followed; the timeout also bounds reading the body. */
  async exchange(url: string, init: RequestInit, env: object): Promise<Response> {
    const retries = (init.method ?? "GET") === "GET" ? this.settings.maxRetries : 0;
    let last: unknown = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const signal = AbortSignal.timeout(this.settings.timeoutMs);
        const response = await this.fetcher(env)(new Request(this.target(url), { ...init, redirect: "manual", signal }));
        if (response.status < 500 || attempt === retries) return response;
        await response.body?.cancel();
        last = new Error(`${url} answered ${response.status}`);
      } catch (err) {
        last = err;
      }
    }
    throw last instanceof Error ? last : new Error(String(last));
  }

  /** One bounded exchange; the answer's body parsed as JSON (null when it is not). */
  async send(url: string, init: RequestInit, env: object): Promise<JsonAnswer> {
    const response = await this.exchange(url, init, env);
    const read = response.body ? await collect(response.body, MAX_ANSWER_BYTES) : { ok: true as const, bytes: new Uint8Array() };
    if (!read.ok) throw new Error(`the OpenID Provider's answer from ${url} is over ${MAX_ANSWER_BYTES} bytes`);
    try {
      return { status: response.status, body: JSON.parse(new TextDecoder().decode(read.bytes)) as unknown };
    } catch {
      return { status: response.status, body: null };
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
    const discovery = new URL(`${this.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
    for (const [key, value] of this.settings.discoveryParams) discovery.searchParams.set(key, value);
    const url = discovery.href;
    const value = this.send(url, { headers: { accept: "application/json" } }, env).then(({ status, body }) => {
      if (status !== 200 || !isDiscovery(body)) throw new Error(`${url} answered ${status} without a discovery document`);
      // OpenID Connect Discovery 1.0 §4.3: the document's issuer is exactly the configured one.
      if (this.settings.checkIssuer && body.issuer !== this.issuer) throw new Error(`the discovery document's issuer is ${JSON.stringify(body.issuer)}, not ${JSON.stringify(this.issuer)}`);
      return body;
    });
    const entry = { value, at: now };
    this.discoveryCache = entry;
    value.catch(() => {
      if (this.discoveryCache === entry) this.discoveryCache = null;
    });
    return value;
  }

  /** The provider's key set: the isolate's cache for its jwks_uri. */
  async keys(env: object): Promise<KeySet> {
    const [jwks, fetcher] = await this.jwks(env);
    return jwks.keys(fetcher);
  }

  /** A newer key set than `seen` (a token named a key it lacks), or null when the cooldown forbids a fetch. */
  async newerKeys(env: object, seen: KeySet): Promise<KeySet | null> {
    const [jwks, fetcher] = await this.jwks(env);
    return jwks.refreshForUnknownKid(fetcher, seen);
  }

  private async jwks(env: object): Promise<[RemoteJwks, () => Promise<Response>]> {
    const doc = await this.discovery(env);
    return [remoteJwks(doc.jwks_uri), () => this.exchange(doc.jwks_uri, { headers: { accept: "application/json" } }, env)];
  }
}
