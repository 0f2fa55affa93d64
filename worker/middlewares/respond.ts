// Responses as Traefik (Go's net/http) writes them, and a safe way to change a response's headers.
import { statusText } from "../go/statustext.ts";

/** Statuses whose responses have no body (the Response constructor refuses one). */
export function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}

/** A plain-text answer, as Go's WriteHeader+Write: the body defaults to the status's reason phrase. */
export function plain(status: number, body: string = statusText(status), headers: HeadersInit = {}): Response {
  const out = new Headers(headers);
  // Go's server sniffs a written body as text/plain; an empty body gets no Content-Type.
  if (body !== "") out.set("content-type", "text/plain; charset=utf-8");
  return new Response(body, { status, headers: out });
}

/** Go's http.Error: a plain-text line, never sniffed. */
export function goError(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
  });
}

/**
 * A response written without a Content-Type. Traefik disables Go's content sniffing unless the
 * contentType middleware is used, so these carry none (a string body would get text/plain here).
 */
export function bare(status: number, body = "", headers?: HeadersInit): Response {
  const bytes = body === "" || nullBodyStatus(status) ? null : new TextEncoder().encode(body);
  return new Response(bytes, { status, headers });
}

/**
 * The response with its headers changed. A copy made from the response itself keeps what a plain
 * init would lose: a compressed body's `encodeBody: "manual"` (else the runtime compresses again)
 * and a WebSocket upgrade.
 */
export function editResponse(response: Response, edit: (headers: Headers) => void): Response {
  const out = response.status === 101
    ? new Response(null, { status: 101, webSocket: response.webSocket, headers: response.headers })
    : new Response(response.body, response);
  edit(out.headers);
  return out;
}
