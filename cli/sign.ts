// Signed configs on the CLI side: `push --sign KEYFILE` signs the sha256 of the canonical text it
// publishes (providers/store/signature.ts says what exactly), `keygen` makes a key pair. The keys
// are PEM PKCS#8 Ed25519, what `openssl genpkey -algorithm ed25519` writes, read with WebCrypto
// (Node's own, as the Worker's: no node:crypto, which the CLI bundle loads lazily).
import { readFile, writeFile } from "node:fs/promises";
import { fromBase64Any, signedMessage, toBase64Url } from "../providers/store/signature.ts";
import { parse, UsageError, type Io } from "./io.ts";

const PEM = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/;

async function privateKey(file: string): Promise<CryptoKey> {
  const text = await readFile(file, "utf8").catch((err: unknown) => {
    throw new Error(`--sign ${file}: cannot read it (${err instanceof Error ? err.message : String(err)})`);
  });
  const body = PEM.exec(text)?.[1];
  const der = body === undefined ? null : fromBase64Any(body.replace(/\s+/g, ""));
  if (!der) throw new Error(`--sign ${file}: not a PEM private key (BEGIN PRIVATE KEY); make one with: openssl genpkey -algorithm ed25519 -out ${file}`);
  try {
    return await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  } catch {
    throw new Error(`--sign ${file}: not an Ed25519 private key; signed configs use Ed25519 (openssl genpkey -algorithm ed25519)`);
  }
}

/** The signature (base64url) of the config whose canonical text has this sha256. */
export async function signConfig(file: string, sha256: string): Promise<string> {
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, await privateKey(file), signedMessage(sha256));
  return toBase64Url(new Uint8Array(signature));
}

function pem(der: ArrayBuffer): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

/** `switchyard keygen -o KEYFILE`: a new Ed25519 private key (mode 0600) and its public key printed. */
export async function keygenCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { output: { type: "string", short: "o" } });
  const out = values.output;
  if (typeof out !== "string") throw new UsageError("-o KEYFILE is required (where the private key goes)");
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  await writeFile(out, pem((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer), { mode: 0o600, flag: "wx" });
  io.out(`private key written to ${out} (keep it in CI's secrets; never commit it)`);
  io.out(`CONFIG_SIGNING_PUBLIC_KEY=${toBase64Url(raw)}`);
  io.out("set it on the Worker: npx wrangler secret put CONFIG_SIGNING_PUBLIC_KEY");
  return 0;
}
