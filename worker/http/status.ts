// The data plane never throws to the client: it answers Traefik's status codes and bodies.

export function notFound(): Response {
  return text(404, "404 page not found\n");
}

export function badGateway(): Response {
  return text(502, "Bad Gateway");
}

export function serviceUnavailable(detail = "Service Unavailable"): Response {
  return text(503, detail);
}

export function gatewayTimeout(): Response {
  return text(504, "Gateway Timeout");
}

export function internalError(): Response {
  return text(500, "Internal Server Error");
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" },
  });
}
