// Responses as Traefik (Go's net/http) writes them, and a safe way to change a response's headers.

const STATUS_TEXT: Readonly<Record<number, string>> = {
  100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
  200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
  205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
  300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
  305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
  408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
  413: "Request Entity Too Large", 414: "Request URI Too Long", 415: "Unsupported Media Type",
  416: "Requested Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a teapot",
  421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked", 424: "Failed Dependency",
  425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
  431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
  504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
  507: "Insufficient Storage", 508: "Loop Detected", 510: "Not Extended", 511: "Network Authentication Required",
};

/** Go's http.StatusText ("" for a code it does not name). */
export function statusText(code: number): string {
  return STATUS_TEXT[code] ?? "";
}

/** Statuses whose responses have no body (the Response constructor refuses one). */
export function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
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
