// Config writes and history: thin HTTP over the config-store Durable Object, which validates,
// versions, keeps history and publishes to KV.
import { CONFIG_STORE_NAME, type WriteResult } from "../../providers/config-store-api.ts";
import type { Env } from "../env.ts";
import { readConfigBody, readJsonBody } from "./body.ts";
import { json, jsonError } from "./responses.ts";

export function store(env: Env) {
  return env.CONFIG_STORE.get(env.CONFIG_STORE.idFromName(CONFIG_STORE_NAME));
}

export async function putConfig(request: Request, env: Env): Promise<Response> {
  const ifMatch = parseIfMatch(request.headers.get("if-match"));
  if (ifMatch === "invalid") return jsonError(400, 'If-Match must be a version in quotes, e.g. If-Match: "12"');
  const body = await readConfigBody(request);
  if (!body.ok) return jsonError(body.status, body.message, {}, body.errors ? { errors: body.errors } : {});
  const result = await store(env).put({ config: body.value, ifMatch: ifMatch ?? undefined, ...authorship(request, "PUT /config") });
  return writeResponse(result);
}

export async function getConfig(url: URL, env: Env): Promise<Response> {
  const version = url.searchParams.get("version");
  const n = version === null ? undefined : Number(version);
  if (n !== undefined && !Number.isInteger(n)) return jsonError(400, "version must be an integer");
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

export async function history(url: URL, env: Env): Promise<Response> {
  const limit = Number(url.searchParams.get("limit") ?? 100);
  if (!Number.isInteger(limit) || limit < 1) return jsonError(400, "limit must be a positive integer");
  return json(await store(env).history(limit));
}

export async function rollback(request: Request, env: Env): Promise<Response> {
  const ifMatch = parseIfMatch(request.headers.get("if-match"));
  if (ifMatch === "invalid") return jsonError(400, 'If-Match must be a version in quotes, e.g. If-Match: "12"');
  const body = await readJsonBody(request);
  if (!body.ok) return jsonError(body.status, body.message);
  const to = (body.value as { version?: unknown } | null)?.version;
  if (typeof to !== "number" || !Number.isInteger(to)) return jsonError(400, 'body must be {"version": <integer>}');
  const result = await store(env).rollback(to, { ifMatch: ifMatch ?? undefined, ...authorship(request, `rollback to ${to}`) });
  return writeResponse(result);
}

export async function diff(url: URL, env: Env): Promise<Response> {
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  if (!Number.isInteger(from) || !Number.isInteger(to) || url.searchParams.get("from") === null || url.searchParams.get("to") === null) {
    return jsonError(400, "from and to must be integer versions: /config/diff?from=3&to=5");
  }
  const result = await store(env).diff(from, to);
  return "error" in result ? jsonError(404, result.error) : json(result);
}

function writeResponse(result: WriteResult): Response {
  if (result.ok) {
    const { record, warnings } = result;
    return json({ ...record, warnings }, 200, { etag: `"${record.version}"` });
  }
  if (result.status === 400) return jsonError(400, "the config is invalid", {}, { errors: result.errors });
  if (result.status === 412) return jsonError(412, result.message, {}, { current: result.current });
  return jsonError(404, result.message);
}

/** `"12"`, `W/"12"` or `12` → 12; absent or `*` → null (no precondition). */
export function parseIfMatch(header: string | null): number | null | "invalid" {
  if (header === null || header.trim() === "*") return null;
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  return m ? Number(m[1]) : "invalid";
}

function authorship(request: Request, fallbackMessage: string) {
  const author = request.headers.get("x-switchyard-author") ?? "admin-api";
  const message = request.headers.get("x-switchyard-message") ?? fallbackMessage;
  return { author: author.slice(0, 200), message: message.slice(0, 1000) };
}
