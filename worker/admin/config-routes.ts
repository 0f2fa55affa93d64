// Config writes and history: thin HTTP over the config-store Durable Object, which validates,
// versions, keeps history and publishes to KV.
import type { WriteResult } from "../../providers/config-store-api.ts";
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { checkVersion, MAX_VERSION, parseVersion } from "../../providers/store/version.ts";
import { json } from "../api/responses.ts";
import { diffConfigFields, type Result } from "../config/index.ts";
import { readConfigBody, readJsonBody } from "./body.ts";
import type { Identity } from "./identity.ts";
import { jsonError } from "./responses.ts";
import { store } from "./store.ts";

export { store } from "./store.ts";

const IF_MATCH_FORMAT = `If-Match must be a version in quotes, from "0" to "${MAX_VERSION}", e.g. If-Match: "12"`;

export async function putConfig(request: Request, env: ConfigStoreBinding, who: Identity): Promise<Response> {
  const ifMatch = parseIfMatch(request.headers.get("if-match"));
  if (ifMatch === "invalid") return jsonError(400, IF_MATCH_FORMAT);
  const allowEmpty = parseAllowEmpty(new URL(request.url));
  if (!allowEmpty.ok) return jsonError(400, allowEmpty.error);
  const body = await readConfigBody(request);
  if (!body.ok) return jsonError(body.status, body.message, {}, body.errors ? { errors: body.errors } : {});
  const preconditions = { ifMatch: ifMatch ?? undefined, allowEmpty: allowEmpty.value };
  const result = await store(env).put({ config: body.value, ...preconditions, ...authorship(request, who, "PUT /config") });
  return writeResponse(result);
}

/**
 * POST <base>/config/validate: the body checked exactly as PUT /config would check it, nothing
 * stored. 200 with `valid` either way (an invalid config is the answer, not a failed request):
 * its errors with their JSON paths, its warnings, and for a valid one whether a PUT would be
 * refused for wiping the routes. 400 only for a body that cannot be read as YAML/TOML/JSON.
 */
export async function validateConfigBody(request: Request, env: ConfigStoreBinding): Promise<Response> {
  const body = await readConfigBody(request);
  if (!body.ok) return jsonError(body.status, body.message, {}, body.errors ? { errors: body.errors } : {});
  const result = await store(env).validate(body.value);
  if (!result.ok) return json({ valid: false, errors: result.errors, warnings: result.warnings });
  return json({ valid: true, errors: [], warnings: result.warnings, routers: result.routers, sha256: result.sha256, wouldWipe: result.wouldWipe });
}

export async function getConfig(url: URL, env: ConfigStoreBinding): Promise<Response> {
  const version = url.searchParams.get("version");
  const parsed = version === null ? undefined : parseVersion(version, "version");
  if (parsed && !parsed.ok) return jsonError(400, parsed.error);
  const n = parsed?.value;
  const stored = await store(env).get(n);
  if (!stored) return jsonError(404, n === undefined ? "no config has been published yet" : `version ${n} is not retained`);
  return new Response(stored.canonical, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      etag: `"${stored.record.version}"`,
      "x-switchyard-version": String(stored.record.version),
      "cache-control": "no-store",
    },
  });
}

export async function history(url: URL, env: ConfigStoreBinding): Promise<Response> {
  const limit = Number(url.searchParams.get("limit") ?? 100);
  if (!Number.isSafeInteger(limit) || limit < 1) return jsonError(400, "limit must be a positive integer");
  return json(await store(env).history(limit));
}

export async function rollback(request: Request, env: ConfigStoreBinding, who: Identity): Promise<Response> {
  const ifMatch = parseIfMatch(request.headers.get("if-match"));
  if (ifMatch === "invalid") return jsonError(400, IF_MATCH_FORMAT);
  const allowEmpty = parseAllowEmpty(new URL(request.url));
  if (!allowEmpty.ok) return jsonError(400, allowEmpty.error);
  const body = await readJsonBody(request);
  if (!body.ok) return jsonError(body.status, body.message);
  const value = body.value as { version?: unknown } | null;
  if (typeof value !== "object" || value === null || !("version" in value)) return jsonError(400, 'body must be {"version": <integer>}');
  const checked = checkVersion(value.version, "version");
  if (!checked.ok) return jsonError(400, checked.error);
  const to = checked.value;
  const options = { ifMatch: ifMatch ?? undefined, allowEmpty: allowEmpty.value, ...authorship(request, who, `rollback to ${to}`) };
  const result = await store(env).rollback(to, options);
  return writeResponse(result);
}

export async function diff(url: URL, env: ConfigStoreBinding): Promise<Response> {
  const fromText = url.searchParams.get("from");
  const toText = url.searchParams.get("to");
  if (fromText === null || toText === null) return jsonError(400, "from and to must be integer versions: /config/diff?from=3&to=5");
  const from = parseVersion(fromText, "from");
  const to = parseVersion(toText, "to");
  if (!from.ok || !to.ok) return jsonError(400, [from, to].flatMap((r) => (r.ok ? [] : [r.error])).join("; "));
  // Both versions' text, diffed here: the field-level diff is config knowledge, which the store
  // (providers/, storage only) does not have; the name lists come from the store's own diff code.
  const [a, b] = await Promise.all([store(env).get(from.value), store(env).get(to.value)]);
  if (!a || !b) {
    const missing = [a ? null : from.value, b ? null : to.value].filter((v) => v !== null);
    return jsonError(404, `version ${missing.join(" and ")} is not in the retained history`);
  }
  return json(diffConfigFields({ version: from.value, canonical: a.canonical }, { version: to.value, canonical: b.canonical }));
}

function writeResponse(result: WriteResult): Response {
  if (result.ok) {
    const { record, warnings } = result;
    return json({ ...record, warnings }, 200, { etag: `"${record.version}"` });
  }
  if (result.status === 400) return jsonError(400, "the config is invalid", {}, { errors: result.errors });
  if (result.status === 412 || result.status === 409) return jsonError(result.status, result.message, {}, { current: result.current });
  return jsonError(404, result.message);
}

/** `"12"`, `W/"12"` or `12` → 12; absent or `*` → null (no precondition); past 2^53 - 1 is invalid. */
export function parseIfMatch(header: string | null): number | null | "invalid" {
  if (header === null || header.trim() === "*") return null;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  const version = m ? parseVersion(m[1]!, "If-Match", true) : null;
  return version?.ok ? version.value : "invalid";
}

/** `?allowEmpty=true`: the writer means to publish a config without routers (see worker/config/empty.ts). */
export function parseAllowEmpty(url: URL): Result<boolean, string> {
  const values = url.searchParams.getAll("allowEmpty");
  if (values.length === 0) return { ok: true, value: false };
  const value = values.length === 1 ? values[0] : undefined;
  if (value === "true" || value === "") return { ok: true, value: true };
  if (value === "false") return { ok: true, value: false };
  return { ok: false, error: `allowEmpty must be true or false, got ${JSON.stringify(values.join(",").slice(0, 40))}` };
}

/**
 * The history's author is the token's name (who the caller is); X-Switchyard-Author, what the
 * caller says of itself (a person's name behind a CI token), is kept beside it as a note.
 */
export function authorship(request: Request, who: Identity, fallbackMessage: string) {
  const note = request.headers.get("x-switchyard-author")?.slice(0, 200);
  const message = request.headers.get("x-switchyard-message") ?? fallbackMessage;
  return { author: who.name, ...(note ? { authorNote: note } : {}), message: message.slice(0, 1000) };
}
