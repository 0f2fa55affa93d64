// <base>/tokens (ADMIN_TOKEN only) and <base>/whoami (any token): stored tokens are made here,
// shown once, and kept in the config store by their SHA-256 alone (providers/store/tokens.ts).
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { sha256Hex } from "../../providers/store/hash.ts";
import { tokenIssues } from "../../providers/store/tokens.ts";
import { json } from "../api/responses.ts";
import { readJsonBody } from "./body.ts";
import { store } from "./store.ts";
import { forgetStoredToken, newStoredToken, type Identity } from "./identity.ts";
import { jsonError } from "./responses.ts";

export function whoami(identity: Identity): Response {
  return json({ name: identity.name, scopes: identity.scopes });
}

/** POST <base>/tokens `{"name": "ci", "scopes": ["read", "write"]}` → 201 with the token, shown this once. */
export async function createToken(request: Request, env: ConfigStoreBinding): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return jsonError(body.status, body.message);
  const value = body.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return jsonError(400, 'body must be {"name": "...", "scopes": ["read", ...]}');
  const { name, scopes } = value as { name?: unknown; scopes?: unknown };
  const issues = tokenIssues({ name, scopes });
  if (issues.length > 0) return jsonError(400, "the token is invalid", {}, { errors: issues });
  const token = newStoredToken();
  const result = await store(env).createToken({ name: name as string, scopes: scopes as string[], hash: await sha256Hex(token) });
  if (!result.ok) return result.status === 400 ? jsonError(400, "the token is invalid", {}, { errors: result.errors }) : jsonError(409, result.message);
  return json({ ...result.token, token }, 201);
}

export async function listTokens(env: ConfigStoreBinding): Promise<Response> {
  return json({ tokens: await store(env).tokens() });
}

export async function revokeToken(encoded: string, env: ConfigStoreBinding): Promise<Response> {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return jsonError(400, `not a token name: ${encoded.slice(0, 80)}`);
  }
  const revoked = await store(env).revokeToken(name);
  forgetStoredToken(name);
  return revoked ? json({ name, revoked: true }) : jsonError(404, `no stored token named '${name}'`);
}
