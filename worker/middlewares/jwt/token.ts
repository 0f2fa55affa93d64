// Where the jwt middleware finds the token: the Authorization header first (Bearer), then, with
// tokenKey, a form field of a urlencoded body and the query parameter of that name (Go's FormValue
// order: the body's value before the query's). A body read for its form is replayed upstream.
import { readUpTo } from "../../http/body.ts";
import { bearerToken } from "../auth/bearer.ts";

/** Go's default for a form body (net/http's ParseForm reads at most 10 MB). */
export const FORM_LIMIT_BYTES = 10 << 20;

export interface Found {
  /** The token, "malformed" for an empty Bearer header, or null when none was sent. */
  readonly token: string | null;
  /** The request to send on: the same one, or a copy carrying the body that was read. */
  readonly request: Request;
}

function isForm(request: Request): boolean {
  if (request.method === "GET" || request.method === "HEAD" || !request.body) return false;
  const type = request.headers.get("content-type") ?? "";
  return type.split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

async function formToken(request: Request, key: string): Promise<Found> {
  const read = await readUpTo(request.body!, FORM_LIMIT_BYTES);
  // Over Go's limit: no form is read (the body goes on whole), as ParseForm failing.
  if (read.kind === "over") return { token: null, request: new Request(request, { body: read.rest }) };
  const bytes = read.bytes;
  const replay = new Request(request, { body: bytes });
  return { token: new URLSearchParams(new TextDecoder().decode(bytes)).get(key), request: replay };
}

export async function findToken(request: Request, url: URL, tokenKey: string | undefined): Promise<Found> {
  const bearer = bearerToken(request.headers.get("authorization"));
  if (bearer !== null || !tokenKey) return { token: bearer, request };
  if (isForm(request)) {
    const form = await formToken(request, tokenKey);
    if (form.token) return form;
    return { token: url.searchParams.get(tokenKey) || null, request: form.request };
  }
  return { token: url.searchParams.get(tokenKey) || null, request };
}
