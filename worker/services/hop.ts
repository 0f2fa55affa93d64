// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded, nor is any
// header the Connection header names. The two are removed at different moments, as Traefik does
// since CVE-2024-45410: what `Connection` names is removed once, where a message comes in (the
// client's request at the entry, before any middleware; an upstream's response as the transport
// gets it), so it can never strip a header the router itself adds later (X-Forwarded-Prefix from
// stripPrefix, a customRequestHeaders entry, X-Forwarded-For). The fixed list below is removed
// again where a message goes out.
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

/** `Connection`'s tokens, in lower case. */
function connectionTokens(headers: Headers): string[] {
  const value = headers.get("connection");
  if (!value) return [];
  return value
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== "");
}

/**
 * Removes the headers `Connection` names, except those `protect` keeps (the router's own forwarded
 * headers at the entry), then `Connection` itself. A `Connection` naming `upgrade` with an Upgrade
 * header present becomes `Connection: Upgrade` (a WebSocket handshake goes on), as Traefik.
 */
export function removeConnectionNamed(headers: Headers, protect: (name: string) => boolean = () => false): void {
  const tokens = connectionTokens(headers);
  const upgrade = tokens.includes("upgrade") ? headers.get("upgrade") : null;
  for (const name of tokens) if (!protect(name)) headers.delete(name);
  if (upgrade) {
    headers.set("upgrade", upgrade);
    headers.set("connection", "Upgrade");
  } else headers.delete("connection");
}

/**
 * Removes the fixed hop-by-hop list `hop` (by default the proxy's, above); never what `Connection`
 * names (see removeConnectionNamed). `keepUpgrade` keeps Upgrade and Connection for a WebSocket handshake.
 */
export function removeHopByHop(headers: Headers, keepUpgrade = false, hop: readonly string[] = HOP_BY_HOP): void {
  for (const name of hop) {
    if (keepUpgrade && (name === "upgrade" || name === "connection")) continue;
    headers.delete(name);
  }
}

/**
 * An upstream's response (not a 101): what its Connection names, then the fixed list. The same as
 * removeConnectionNamed then removeHopByHop, without the Connection: Upgrade the list removes again.
 */
export function removeResponseHopByHop(headers: Headers): void {
  for (const name of connectionTokens(headers)) headers.delete(name);
  removeHopByHop(headers);
}
