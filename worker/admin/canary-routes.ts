// Canary and preview endpoints (docs/safe-changes.md): PUT <base>/config?canary=5 starts a canary
// (the query below; config-routes.ts putConfig reads it through canaryQuery), GET <base>/config/canary
// its state, POST <base>/config/canary/promote|abort end it, POST <base>/preview mints a preview token.
import type { CanaryRequest } from "../../providers/store/canary-policy.ts";
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { checkVersion } from "../../providers/store/version.ts";
import { json } from "../api/responses.ts";
import type { Result } from "../config/index.ts";
import { DEFAULT_PREVIEW_TTL_S, MAX_PREVIEW_TTL_S, mintPreviewToken } from "../dynamic/preview-token.ts";
import { parseDuration } from "../go/duration.ts";
import { readJsonBody } from "./body.ts";
import { jsonError } from "./responses.ts";

type StoreOf = (env: ConfigStoreBinding) => ReturnType<ConfigStoreBinding["CONFIG_STORE"]["get"]>;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

/**
 * The canary a PUT asks for: `canary` (a percent, `5` or `5%`), and optionally `promoteAfter` (a Go
 * duration or seconds), `maxErrorRatio`, `maxP99Ratio`, `minRequests`, `steps` (`25,50,100`) and
 * `stickyHeader` (a header name). Null without `canary`.
 */
export function canaryQuery(url: URL): Result<CanaryRequest | null, string> {
  const q = url.searchParams;
  const share = q.get("canary");
  if (share === null) {
    const stray = ["promoteAfter", "maxErrorRatio", "maxP99Ratio", "minRequests", "steps", "stickyHeader"].find((k) => q.has(k));
    return stray ? { ok: false, error: `${stray} needs canary=<percent>` } : { ok: true, value: null };
  }
  const out: { -readonly [K in keyof CanaryRequest]: CanaryRequest[K] } = { share: number(share.replace(/%$/, "")) };
  const after = q.get("promoteAfter");
  if (after !== null) {
    const ms = parseDuration(after);
    if (!ms.ok) return { ok: false, error: `promoteAfter: ${ms.error}` };
    out.promoteAfterMs = Math.round(ms.value);
  }
  for (const key of ["maxErrorRatio", "maxP99Ratio", "minRequests"] as const) {
    const v = q.get(key);
    if (v !== null) out[key] = number(v);
  }
  const steps = q.get("steps");
  if (steps !== null) out.steps = steps.split(",").map((s) => number(s.replace(/%$/, "")));
  const header = q.get("stickyHeader");
  if (header !== null) {
    if (!HEADER_NAME.test(header)) return { ok: false, error: `stickyHeader must be a header name, got ${JSON.stringify(header.slice(0, 40))}` };
    out.header = header.toLowerCase();
  }
  return { ok: true, value: out };
}

function number(text: string): number {
  return text.trim() === "" ? NaN : Number(text);
}

export async function canaryStatus(env: ConfigStoreBinding, store: StoreOf): Promise<Response> {
  return json(await store(env).canaryStatus());
}

/** POST …/promote or …/abort, body optional `{"reason": "..."}`. */
export async function endCanary(request: Request, env: ConfigStoreBinding, store: StoreOf, how: "promote" | "abort", author: string): Promise<Response> {
  const body = request.headers.get("content-length") === "0" || !request.body ? { ok: true as const, value: {} } : await readJsonBody(request);
  if (!body.ok) return jsonError(body.status, body.message);
  const reason = typeof body.value === "object" && body.value !== null && "reason" in body.value ? String(body.value.reason).slice(0, 500) : undefined;
  const options = reason === undefined ? { author } : { author, reason };
  const result = how === "promote" ? await store(env).canaryPromote(options) : await store(env).canaryAbort(options);
  if (result.ok) return json({ ...result.record, canary: await store(env).canaryStatus() });
  if (result.status === 400) return jsonError(400, "the stable version no longer passes admission", {}, { errors: result.errors });
  return jsonError(result.status, result.message);
}

/**
 * POST <base>/preview `{"version": 42, "ttl": "1h"}` (ttl: a Go duration or seconds, default 1h, at
 * most 24h) → the token, when it expires, the header and a ready curl line. The secret stays in the
 * Worker. 404 when the store does not retain the version; 403 when PREVIEW_SECRET is not set.
 */
export async function mintPreview(request: Request, env: ConfigStoreBinding & { PREVIEW_SECRET?: string }, store: StoreOf): Promise<Response> {
  const secret = env.PREVIEW_SECRET;
  if (!secret) return jsonError(403, "previews are off: set the PREVIEW_SECRET secret (wrangler secret put PREVIEW_SECRET; .dev.vars locally)");
  const body = await readJsonBody(request);
  if (!body.ok) return jsonError(body.status, body.message);
  const value = (typeof body.value === "object" && body.value !== null ? body.value : {}) as { version?: unknown; ttl?: unknown };
  const version = checkVersion(value.version, "version");
  if (!version.ok) return jsonError(400, version.error);
  const ttl = value.ttl === undefined ? { ok: true as const, value: DEFAULT_PREVIEW_TTL_S * 1000 } : parseDuration(value.ttl);
  if (!ttl.ok) return jsonError(400, `ttl: ${ttl.error}`);
  const seconds = Math.round(ttl.value / 1000);
  if (seconds < 1 || seconds > MAX_PREVIEW_TTL_S) return jsonError(400, `ttl must be from 1s to ${MAX_PREVIEW_TTL_S / 3600}h`);
  if (!(await store(env).get(version.value))) return jsonError(404, `version ${version.value} is not retained by the config store`);
  const expiry = Math.floor(Date.now() / 1000) + seconds;
  const token = await mintPreviewToken(secret, version.value, expiry);
  const origin = new URL(request.url).origin;
  return json({
    version: version.value,
    token,
    expiresAt: new Date(expiry * 1000).toISOString(),
    header: `X-Switchyard-Preview: ${token}`,
    curl: `curl -H 'X-Switchyard-Preview: ${token}' ${origin}/`,
  });
}

