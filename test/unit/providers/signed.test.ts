// Signed configs in the isolate: the public key's forms, what a signature covers, and the provider
// wrapper that refuses unsigned or wrongly signed versions before their snapshot is read.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SignedProvider } from "../../../providers/signed.ts";
import { encodeVersionRef, parseVersionRef } from "../../../providers/store/ref.ts";
import { importPublicKey, parseSignature, signedMessage, toBase64Url, verifySignature } from "../../../providers/store/signature.ts";
import type { Loaded, Provider, VersionRef } from "../../../providers/types.ts";
import { keygenCommand, signConfig } from "../../../cli/sign.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The raw public key (base64url), as CONFIG_SIGNING_PUBLIC_KEY takes it. */
function rawPublicKey(key: KeyObject): string {
  return createPublicKey(key).export({ format: "jwk" }).x!;
}

const SHA = "a".repeat(64);
const OTHER = "b".repeat(64);

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, raw: rawPublicKey(privateKey), pem: publicKey.export({ type: "spki", format: "pem" }) as string };
}

const signWith = (key: KeyObject, sha256: string) => toBase64Url(new Uint8Array(sign(null, signedMessage(sha256), key)));

describe("signature", () => {
  const { privateKey, raw, pem } = keyPair();

  it("takes the public key raw (base64url or base64) or as PEM SPKI, and nothing else", async () => {
    const signature = signWith(privateKey, SHA);
    const std = Buffer.from(raw, "base64url").toString("base64");
    for (const text of [raw, std, pem, `  ${pem}\n`]) expect(await verifySignature(await importPublicKey(text), SHA, signature)).toBe(true);
    await expect(importPublicKey("not a key")).rejects.toThrow(/CONFIG_SIGNING_PUBLIC_KEY must be an Ed25519 public key/);
    await expect(importPublicKey(toBase64Url(new Uint8Array(31)))).rejects.toThrow(/got 31 bytes/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }) as string;
    await expect(importPublicKey(rsa)).rejects.toThrow(/CONFIG_SIGNING_PUBLIC_KEY/);
  });

  it("covers the sha256 under a fixed context: another hash, another key or another message fails", async () => {
    const key = await importPublicKey(raw);
    expect(await verifySignature(key, SHA, signWith(privateKey, SHA))).toBe(true);
    expect(await verifySignature(key, OTHER, signWith(privateKey, SHA))).toBe(false);
    expect(await verifySignature(key, SHA, signWith(keyPair().privateKey, SHA))).toBe(false);
    const bare = toBase64Url(new Uint8Array(sign(null, new TextEncoder().encode(SHA), privateKey)));
    expect(await verifySignature(key, SHA, bare)).toBe(false);
    expect(await verifySignature(key, SHA, "!!")).toBe(false);
    expect(parseSignature(toBase64Url(new Uint8Array(63)))).toEqual({ ok: false, error: "an Ed25519 signature is 64 bytes, this one is 63" });
  });

  it("the CLI signs a PEM PKCS#8 key file (openssl genpkey -algorithm ed25519), and refuses other keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchyard-sign-"));
    const file = join(dir, "key.pem");
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }));
    expect(await verifySignature(await importPublicKey(raw), SHA, await signConfig(file, SHA))).toBe(true);
    const rsaFile = join(dir, "rsa.pem");
    writeFileSync(rsaFile, generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }));
    await expect(signConfig(rsaFile, SHA)).rejects.toThrow(/not an Ed25519 private key/);
  });

  it("switchyard keygen writes a private key the CLI signs with and prints the public key the Worker takes", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "switchyard-keygen-")), "ci.pem");
    const lines: string[] = [];
    expect(await keygenCommand(["-o", file], { out: (l) => lines.push(l), err: () => {} })).toBe(0);
    const publicKey = /^CONFIG_SIGNING_PUBLIC_KEY=(\S+)$/m.exec(lines.join("\n"))?.[1];
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await verifySignature(await importPublicKey(publicKey!), SHA, await signConfig(file, SHA))).toBe(true);
    await expect(keygenCommand(["-o", file], { out: () => {}, err: () => {} })).rejects.toThrow(/EEXIST/); // never overwrites a key
  });

  it("travels in the version key", () => {
    const ref = { version: 3, key: "config/v/3-aaaa", sha256: SHA, signature: "c2ln" };
    expect(encodeVersionRef(ref)).toBe(`{"version":3,"key":"config/v/3-aaaa","sha256":"${SHA}","signature":"c2ln"}`);
    expect(parseVersionRef(JSON.parse(encodeVersionRef(ref)), "k")).toEqual(ref);
    expect(() => parseVersionRef({ version: 3, key: "k", sha256: SHA, signature: 5 }, "k")).toThrow(/"signature" must be a non-empty string/);
  });
});

/** A provider that serves any ref, with facts, and counts its loads. */
class Fake implements Provider {
  readonly name = "kv";
  loads = 0;
  constructor(private readonly ref: VersionRef) {}
  async version() {
    return this.ref;
  }
  async load(ref: VersionRef): Promise<Loaded> {
    this.loads++;
    return { ok: true, value: { ref, value: { http: {} }, provider: "kv", facts: { format: 1 } } };
  }
}

describe("SignedProvider", () => {
  const { privateKey, raw } = keyPair();
  const base = { version: 7, key: "config/v/7-aaaa", sha256: SHA };

  it("passes a version signed by the key, without its (unsigned) load facts", async () => {
    const fake = new Fake({ ...base, signature: signWith(privateKey, SHA) });
    const loaded = await new SignedProvider(fake, raw).load((await fake.version())!);
    expect(loaded.ok).toBe(true);
    expect(loaded.ok && loaded.value.facts).toBeUndefined();
    expect(loaded.ok && loaded.value.value).toEqual({ http: {} });
  });

  it("refuses an unsigned version, a wrong key's and another hash's, before reading the snapshot", async () => {
    const cases: [VersionRef, RegExp][] = [
      [base, /^config version 7 refused: not signed/],
      [{ ...base, signature: signWith(keyPair().privateKey, SHA) }, /^config version 7 refused: bad signature/],
      [{ ...base, signature: signWith(privateKey, OTHER) }, /bad signature/],
      [{ ...base, signature: "garbage" }, /bad signature/],
    ];
    for (const [ref, message] of cases) {
      const fake = new Fake(ref);
      const loaded = await new SignedProvider(fake, raw).load(ref);
      expect(loaded.ok).toBe(false);
      expect(!loaded.ok && loaded.error).toMatch(message);
      expect(fake.loads).toBe(0);
    }
  });

  it("with a public key that cannot be read, refuses everything and says why", async () => {
    const ref = { ...base, signature: signWith(privateKey, SHA) };
    const loaded = await new SignedProvider(new Fake(ref), "nonsense").load(ref);
    expect(!loaded.ok && loaded.error).toMatch(/^config version 7 refused: CONFIG_SIGNING_PUBLIC_KEY must be an Ed25519 public key/);
  });
});

describe("SignedProvider on a cold isolate", () => {
  const { privateKey, raw } = keyPair();
  const refused = { version: 9, key: "config/v/9-aaaa", sha256: SHA };
  const signedOlder = { version: 6, key: "config/v/6-bbbb", sha256: OTHER, signature: signWith(privateKey, OTHER) };

  it("handed a refused newest version, serves the newest signed one instead (marked so), then keeps it: later refusals are plain", async () => {
    const store = new Fake(signedOlder);
    const provider = new SignedProvider(new Fake(refused), raw, { coldFallback: store });
    const first = await provider.load(refused);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value.ref).toEqual(signedOlder);
    expect(first.value.facts).toBeUndefined();
    expect(first.value.instead).toMatch(/^config version 9 refused: not signed .*; serving version 6, the newest signed one, instead$/);
    const again = await provider.load(refused);
    expect(!again.ok && again.error).toMatch(/^config version 9 refused: not signed/);
    expect(store.loads).toBe(1);
  });

  it("a fallback that is not signed by the key is no fallback", async () => {
    const forged = { ...signedOlder, signature: signWith(keyPair().privateKey, OTHER) };
    const store = new Fake(forged);
    const loaded = await new SignedProvider(new Fake(refused), raw, { coldFallback: store }).load(refused);
    expect(!loaded.ok && loaded.error).toMatch(/refused: not signed/);
    expect(store.loads).toBe(0);
  });

  it("a warm isolate never falls back: it keeps what it serves", async () => {
    const good = { ...base(), signature: signWith(privateKey, SHA) };
    const store = new Fake(signedOlder);
    const provider = new SignedProvider(new Fake(good), raw, { coldFallback: store });
    expect((await provider.load(good)).ok).toBe(true);
    expect((await provider.load({ ...refused, version: 10 })).ok).toBe(false);
    expect(store.loads).toBe(0);
  });
});

function base(): VersionRef {
  return { version: 8, key: "config/v/8-aaaa", sha256: SHA };
}
