// WebSocket upgrades: the request keeps its Upgrade and Connection headers, fetch() performs the
// handshake with the upstream and answers 101 with the upstream's socket, which is handed to the
// client as is. Messages then flow both ways between the two sockets without passing through
// Switchyard's code.

export function isWebSocketUpgrade(headers: Headers): boolean {
  return headers.get("upgrade")?.toLowerCase() === "websocket";
}

/** The upstream's 101 as a response the Worker can return (and add headers to). */
export function upgraded(response: Response): Response {
  return new Response(null, { status: 101, webSocket: response.webSocket, headers: response.headers });
}
