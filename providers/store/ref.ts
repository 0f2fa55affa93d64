// The version key's JSON and the integrity check every reader of a snapshot makes: the text must
// hash to the sha256 the version key names, or the snapshot is not the one that was published.
import { sha256Hex } from "./hash.ts";
import type { CanaryRef, Decode, Loaded, VersionRef } from "../types.ts";
import { isVersion, MAX_VERSION } from "./version.ts";

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The version key's value, keys in a fixed order (allowEmpty, facts and signature only when set). */
export function encodeVersionRef(ref: VersionRef): string {
  const base = { version: ref.version, key: ref.key, sha256: ref.sha256 };
  const empty = ref.allowEmpty === true ? { ...base, allowEmpty: true } : base;
  const withFacts = ref.facts === undefined ? empty : { ...empty, facts: ref.facts };
  const signed = ref.signature === undefined ? withFacts : { ...withFacts, signature: ref.signature };
  return JSON.stringify(ref.canary === undefined ? signed : { ...signed, canary: canaryFields(ref.canary) });
}

/** The canary's fields in a fixed order (the publisher compares the text). */
export function canaryFields(c: CanaryRef): object {
  const base = { version: c.version, key: c.key, sha256: c.sha256, share: c.share };
  const empty = c.allowEmpty === true ? { ...base, allowEmpty: true } : base;
  const facts = c.facts === undefined ? empty : { ...empty, facts: c.facts };
  const signed = c.signature === undefined ? facts : { ...facts, signature: c.signature };
  return c.header === undefined ? signed : { ...signed, header: c.header };
}

/** Checks what a version key holds; throws an Error that says what is wrong and where. */
export function parseVersionRef(value: unknown, where: string): VersionRef {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected {"version","key","sha256"}, got ${describe(value)}`);
  }
  const { version, key, sha256, allowEmpty, facts, signature, canary } = value as Record<string, unknown>;
  if (!isVersion(version) && version !== 0) {
    throw new Error(`${where}: "version" must be a whole number from 0 to ${MAX_VERSION}, got ${describe(version)}`);
  }
  if (typeof key !== "string" || key === "") throw new Error(`${where}: "key" must be a non-empty string`);
  if (typeof sha256 !== "string" || !SHA256_HEX.test(sha256)) {
    throw new Error(`${where}: "sha256" must be 64 lowercase hex digits, got ${describe(sha256)}`);
  }
  if (allowEmpty !== undefined && typeof allowEmpty !== "boolean") {
    throw new Error(`${where}: "allowEmpty" must be true or false, got ${describe(allowEmpty)}`);
  }
  if (facts !== undefined && (typeof facts !== "string" || facts === "")) throw new Error(`${where}: "facts" must be a non-empty string (a KV key)`);
  if (signature !== undefined && (typeof signature !== "string" || signature === "")) throw new Error(`${where}: "signature" must be a non-empty string (base64url)`);
  const ref = allowEmpty === true ? { version, key, sha256, allowEmpty } : { version, key, sha256 };
  const withFacts = facts === undefined ? ref : { ...ref, facts };
  const signed = signature === undefined ? withFacts : { ...withFacts, signature };
  return canary === undefined ? signed : { ...signed, canary: parseCanaryRef(canary, `${where} canary`) };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

function parseCanaryRef(value: unknown, where: string): CanaryRef {
  const ref = parseVersionRef(value, where);
  if (ref.canary !== undefined) throw new Error(`${where}: a canary cannot have a canary`);
  const { share, header } = value as Record<string, unknown>;
  if (typeof share !== "number" || !(share > 0 && share < 100)) throw new Error(`${where}: "share" must be a number between 0 and 100, got ${describe(share)}`);
  if (header !== undefined && (typeof header !== "string" || !HEADER_NAME.test(header))) throw new Error(`${where}: "header" must be a header name, got ${describe(header)}`);
  const c = { ...ref, share };
  return header === undefined ? c : { ...c, header: header.toLowerCase() };
}

/**
 * The snapshot text a ref names, checked: missing or hashing to something else is a problem to
 * report and retry (not readable yet), never an error page. Text that hashes right but is not JSON
 * was published broken: that throws.
 */
export async function verifySnapshot(ref: VersionRef, text: string | null, provider: string, decode: Decode, factsText: string | null = null): Promise<Loaded> {
  if (text === null) {
    return { ok: false, error: `snapshot ${ref.key} for version ${ref.version} is missing (the version key is ahead of its snapshot)` };
  }
  const actual = await sha256Hex(text);
  if (actual !== ref.sha256) {
    return { ok: false, error: `hash mismatch for ${ref.key}: the version key says ${ref.sha256}, the snapshot hashes to ${actual}` };
  }
  const value = parseSnapshot(ref, text, decode);
  const facts = parseFacts(factsText);
  return { ok: true, value: facts === undefined ? { ref, value, provider } : { ref, value, provider, facts } };
}

/** Facts are an optimisation: unreadable ones are no facts (the listener then validates in full). */
function parseFacts(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// The store publishes canonical JSON; a snapshot written by hand with `wrangler kv key put` may be
// YAML or TOML too.
function parseSnapshot(ref: VersionRef, text: string, decode: Decode): unknown {
  const parsed = decode(text);
  if (parsed.ok) return parsed.value;
  throw new Error(`snapshot ${ref.key} matches its hash but cannot be parsed: ${parsed.error}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
