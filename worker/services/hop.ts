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

export function removeHopByHop(headers: Headers, keepUpgrade = false): void {
  const named = headers.get("connection");
  if (named) {
    for (const token of named.split(",")) {
      const name = token.trim().toLowerCase();
      if (name && !(keepUpgrade && name === "upgrade")) headers.delete(name);
    }
  }
  for (const name of HOP_BY_HOP) {
    if (keepUpgrade && (name === "upgrade" || name === "connection")) continue;
    headers.delete(name);
  }
}
