// JSON answers as the API writes them (pretty-printed, never cached), and HEAD as GET without the
// body. Shared by api@internal and the admin routes above this folder.

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/**
 * The answer to a HEAD request: the GET answer's status and headers, no body (RFC 9110 9.3.2), with
 * the length the body would have had, as Go's net/http sends it for a HEAD.
 */
export async function withoutBody(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  if (response.body && !headers.has("content-length")) headers.set("content-length", String((await response.arrayBuffer()).byteLength));
  else await response.body?.cancel();
  return new Response(null, { status: response.status, statusText: response.statusText, headers });
}
