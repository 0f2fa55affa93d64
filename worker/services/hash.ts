// Hashes Traefik uses for load balancing, computed the same way so cookies and rendezvous choices
// match: FNV-1 and FNV-1a (64-bit, synchronous) and truncated SHA-256 / SHA-1 (Web Crypto).

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const encoder = new TextEncoder();

/** FNV-1 64 (Go's fnv.New64), as a bigint. */
export function fnv1(text: string): bigint {
  let hash = OFFSET;
  for (const byte of encoder.encode(text)) hash = ((hash * PRIME) & MASK) ^ BigInt(byte);
  return hash;
}

/** FNV-1a 64 (Go's fnv.New64a), as a bigint. */
export function fnv1a(text: string): bigint {
  let hash = OFFSET;
  for (const byte of encoder.encode(text)) hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  return hash;
}

/** FNV-1 64 in lower-case hex without padding (Go's strconv.FormatUint(sum, 16)). */
export function fnv1Hex(text: string): string {
  return fnv1(text).toString(16);
}

async function digestHex(algorithm: "SHA-256" | "SHA-1", text: string): Promise<string> {
  const digest = await crypto.subtle.digest(algorithm, encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The first 16 hex characters of SHA-256: Traefik v3's sticky cookie value for a server name. */
export async function sha256Hex16(text: string): Promise<string> {
  return (await digestHex("SHA-256", text)).slice(0, 16);
}

export function sha1Hex(text: string): Promise<string> {
  return digestHex("SHA-1", text);
}
