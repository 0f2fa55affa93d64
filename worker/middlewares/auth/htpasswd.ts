// htpasswd secrets checked as Traefik checks them (go-http-auth's CheckSecret), each by its format.
import { compare as bcryptCompare } from "bcryptjs";
import { fromUtf8, sameText, toBase64, utf8 } from "./bytes.ts";
import { hashKind } from "./hash-format.ts";
import { md5Crypt } from "./md5crypt.ts";

async function checkSha1(password: Uint8Array, secret: string): Promise<boolean> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", password));
  return sameText(secret.slice("{SHA}".length), toBase64(digest));
}

async function checkMd5Crypt(password: Uint8Array, secret: string): Promise<boolean> {
  const [, magic = "", salt = ""] = secret.split("$", 3);
  return sameText(secret, await md5Crypt(password, utf8(salt), utf8(`$${magic}$`)));
}

function checkBcrypt(password: Uint8Array, secret: string): Promise<boolean> {
  // Go's bcrypt treats $2x$ like the others; bcryptjs only knows $2a$, $2b$ and $2y$.
  const hash = secret.startsWith("$2x$") ? `$2a$${secret.slice(4)}` : secret;
  return bcryptCompare(fromUtf8(password), hash).catch(() => false);
}

/** Whether the password matches the stored secret. */
export function checkSecret(password: Uint8Array, secret: string): Promise<boolean> {
  switch (hashKind(secret)) {
    case "bcrypt":
      return checkBcrypt(password, secret);
    case "sha1":
      return checkSha1(password, secret);
    case "md5crypt":
      return checkMd5Crypt(password, secret);
    default:
      return Promise.resolve(false);
  }
}
