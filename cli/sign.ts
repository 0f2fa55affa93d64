// Signed configs on the CLI side: `push --sign KEYFILE` signs the sha256 of the canonical text it
// publishes (providers/store/signature.ts says what exactly), `keygen` makes a key pair. Node's
// crypto reads the PEM PKCS#8 Ed25519 keys that `openssl genpkey -algorithm ed25519` writes.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { signedMessage, toBase64Url } from "../providers/store/signature.ts";
import { parse, UsageError, type Io } from "./io.ts";

async function privateKey(file: string): Promise<KeyObject> {
  let key: KeyObject;
  try {
    key = createPrivateKey(await readFile(file, "utf8"));
  } catch (err) {
    throw new Error(`--sign ${file}: not a PEM private key (${err instanceof Error ? err.message : String(err)}); make one with: openssl genpkey -algorithm ed25519 -out ${file}`);
  }
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`--sign ${file}: an ${key.asymmetricKeyType ?? "unknown"} key; signed configs use Ed25519 (openssl genpkey -algorithm ed25519)`);
  return key;
}

/** The signature (base64url) of the config whose canonical text has this sha256. */
export async function signConfig(file: string, sha256: string): Promise<string> {
  return toBase64Url(new Uint8Array(sign(null, signedMessage(sha256), await privateKey(file))));
}

/** The raw public key (base64url), as CONFIG_SIGNING_PUBLIC_KEY takes it. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("not an Ed25519 key");
  return jwk.x;
}

/** `switchyard keygen -o KEYFILE`: a new Ed25519 private key (mode 0600) and its public key printed. */
export async function keygenCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { output: { type: "string", short: "o" } });
  const out = values.output;
  if (typeof out !== "string") throw new UsageError("-o KEYFILE is required (where the private key goes)");
  const { privateKey: key } = generateKeyPairSync("ed25519");
  await writeFile(out, key.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  io.out(`private key written to ${out} (keep it in CI's secrets; never commit it)`);
  io.out(`CONFIG_SIGNING_PUBLIC_KEY=${rawPublicKey(key)}`);
  io.out("set it on the Worker: npx wrangler secret put CONFIG_SIGNING_PUBLIC_KEY");
  return 0;
}
