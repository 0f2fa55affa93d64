// MD5-crypt (`$1$` from crypt(3), `$apr1$` from `htpasswd -m`), as go-http-auth's MD5Crypt computes
// it: the magic comes from the stored hash, so any `$magic$salt$hash` entry is checked the same way.
// MD5 comes from Web Crypto (a Workers extension); each round awaits it, about a thousand digests.
import { concat } from "../../http/body.ts";

const ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SWAPS = [12, 6, 0, 13, 7, 1, 14, 8, 2, 15, 9, 3, 5, 10, 4, 11] as const;
const ROUNDS = 1000;

async function md5(parts: readonly Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("MD5", concat(parts)));
}

/** The initial digest: password, magic, salt, then the alternate sum and the length bits. */
async function initial(password: Uint8Array, salt: Uint8Array, magic: Uint8Array): Promise<Uint8Array> {
  const alternate = await md5([password, salt, password]);
  const mixin = Uint8Array.from({ length: password.length }, (_, i) => alternate[i % 16] ?? 0);
  const bits: number[] = [];
  for (let i = password.length; i !== 0; i >>= 1) bits.push(i & 1 ? 0 : (password[0] ?? 0));
  return md5([password, magic, salt, mixin, Uint8Array.from(bits)]);
}

function encode(final: Uint8Array): string {
  let out = "";
  let v = 0;
  let bits = 0;
  for (const i of SWAPS) {
    v |= (final[i] ?? 0) << bits;
    for (bits += 8; bits > 6; bits -= 6) {
      out += ITOA64[v & 0x3f];
      v >>>= 6;
    }
  }
  return out + ITOA64[v & 0x3f];
}

/** `magic + salt + "$" + hash`, to compare with the stored entry. */
export async function md5Crypt(password: Uint8Array, salt: Uint8Array, magic: Uint8Array): Promise<string> {
  let final = await initial(password, salt, magic);
  for (let i = 0; i < ROUNDS; i++) {
    const parts: Uint8Array[] = [i & 1 ? password : final];
    if (i % 3 !== 0) parts.push(salt);
    if (i % 7 !== 0) parts.push(password);
    parts.push(i & 1 ? final : password);
    final = await md5(parts);
  }
  const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
  return latin1(magic) + latin1(salt) + "$" + encode(final);
}
