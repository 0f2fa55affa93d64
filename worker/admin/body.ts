// Admin request bodies: a config in YAML, TOML or JSON (by Content-Type, sniffed otherwise),
// read with a size limit so a huge body cannot exhaust the isolate.
import { parseConfigText, type ConfigIssue } from "../config/index.ts";
import { collect, declaredLength } from "../http/body.ts";

/**
 * The largest config text a PUT may send (YAML with comments and anchors can be much larger than
 * the canonical JSON the store keeps, whose own bound is MAX_STORED_CONFIG_BYTES).
 */
export const MAX_CONFIG_BODY_BYTES = 5 * 1024 * 1024;

type Format = Parameters<typeof parseConfigText>[1];

export type BodyResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 413 | 415; message: string; errors?: ConfigIssue[] };

export async function readConfigBody(request: Request): Promise<BodyResult<unknown>> {
  const text = await readLimited(request, MAX_CONFIG_BODY_BYTES);
  if (text === null) return { ok: false, status: 413, message: `config larger than ${MAX_CONFIG_BODY_BYTES} bytes` };
  const format = formatOf(request.headers.get("content-type"));
  if (format === null) return { ok: false, status: 415, message: "send the config as application/json, application/yaml or application/toml" };
  const parsed = parseConfigText(text, format);
  if (!parsed.ok) return { ok: false, status: 400, message: "the config could not be parsed", errors: parsed.error };
  // Plain JSON data from here on: TOML tables have no prototype, which RPC to the store cannot clone.
  return { ok: true, value: JSON.parse(JSON.stringify(parsed.value)) as unknown };
}

export async function readJsonBody(request: Request, limit = 64 * 1024): Promise<BodyResult<unknown>> {
  const text = await readLimited(request, limit);
  if (text === null) return { ok: false, status: 413, message: `body larger than ${limit} bytes` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, status: 400, message: `body is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function formatOf(contentType: string | null): Format | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "" || type === "text/plain" || type === "application/octet-stream") return "auto";
  if (type.endsWith("json")) return "json";
  if (type.endsWith("yaml") || type.endsWith("yml")) return "yaml";
  if (type.endsWith("toml")) return "toml";
  return null;
}

/** The body as text, or null when it is longer than `limit` bytes (reading stops there). */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  if ((declaredLength(request.headers) ?? 0) > limit) return null;
  if (!request.body) return "";
  const read = await collect(request.body, limit);
  return read.ok ? new TextDecoder().decode(read.bytes) : null;
}
