// The 401 that go-http-auth answers (Traefik's basicAuth and digestAuth use it as is).

/** 401 with the given WWW-Authenticate challenge and go-http-auth's body. */
export function unauthorized(challenge: string): Response {
  return new Response("401 Unauthorized\n", {
    status: 401,
    headers: { "content-type": "text/plain", "www-authenticate": challenge },
  });
}

/**
 * The request going upstream once authenticated: the user in `headerField` when set, and the
 * Authorization header removed with `removeHeader` (Traefik's two options on both auth middlewares).
 */
export function authenticated(request: Request, user: string, headerField: string | undefined, removeHeader: boolean | undefined): Request {
  if (!headerField && !removeHeader) return request;
  const headers = new Headers(request.headers);
  if (headerField) headers.set(headerField, user);
  if (removeHeader) headers.delete("authorization");
  return new Request(request, { headers });
}
