// The hash that names a stored config: the sha256 of the exact text a snapshot key holds. Storage's
// concern (version keys, snapshot keys, integrity checks), so it lives with the store, not the
// config model; the CLI's `push --kv` hashes with it too.

/** Lower-case hex SHA-256 of the UTF-8 text, via Web Crypto (workerd and Node alike). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
