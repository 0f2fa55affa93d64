// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded,
// nor is any header the Connection header names.
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

/**
 * Removes the Connection-named headers and `hop` (by default the proxy's list above). `keepUpgrade`
 * keeps Upgrade and Connection for a WebSocket handshake.
 */
export function removeHopByHop(headers: Headers, keepUpgrade = false, hop: readonly string[] = HOP_BY_HOP): void {
  const named = headers.get("connection");
  if (named) {
    for (const token of named.split(",")) {
      const name = token.trim().toLowerCase();
      if (name && !(keepUpgrade && name === "upgrade")) headers.delete(name);
    }
  }
  for (const name of hop) {
    if (keepUpgrade && (name === "upgrade" || name === "connection")) continue;
    headers.delete(name);
  }
}
