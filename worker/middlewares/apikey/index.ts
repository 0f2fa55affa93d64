// apiKey: Traefik Hub's API key middleware (keySource, secretNonBase64Encoded, secretValues) with
// what Switchyard adds: named consumers (keys), keys kept in KV (store), the consumer id forwarded
// upstream (consumerHeader, so a rateLimit keyed on it limits per consumer), removeKey. The key is
// hashed once per request and looked up by its hash; a missing or unknown key gets 401 and never
// reaches the upstream.
import { headerValueProblem } from "../../http/header-syntax.ts";
import { VerifiedCredentials } from "../auth/verified.ts";
import { checkSecret } from "../auth/htpasswd.ts";
import { goError } from "../respond.ts";
import type { MiddlewareFactory } from "../types.ts";
import { anonymousConsumer, parseKeyHash, sha256Hex } from "./hashes.ts";
import { KvKeys } from "./kv-keys.ts";
import { keyOf, withoutKey } from "./source.ts";

interface InlineKeys {
  /** sha256 hex → consumer id: one Map lookup, whatever the number of keys. */
  readonly bySha256: Map<string, string>;
  /** bcrypt entries (pasted from Traefik Hub), checked one by one. */
  readonly bcrypt: ReadonlyArray<{ readonly hash: string; readonly consumer: string }>;
}

function inlineKeys(secretValues: readonly string[], keys: ReadonlyArray<{ id: string; value: string }>): InlineKeys {
  const bySha256 = new Map<string, string>();
  const bcrypt: { hash: string; consumer: string }[] = [];
  const add = (value: string, consumer: string) => {
    const hash = parseKeyHash(value);
    if (hash?.kind === "sha256") bySha256.set(hash.hex, consumer);
    else if (hash) bcrypt.push({ hash: hash.hash, consumer });
  };
  secretValues.forEach((value, i) => {
    const hash = parseKeyHash(value);
    if (hash) add(value, anonymousConsumer(hash, i));
  });
  for (const key of keys) add(key.value, key.id);
  return { bySha256, bcrypt };
}

const unauthorized = () => goError(401, "Unauthorized");

export const apiKey: MiddlewareFactory<"apiKey"> = (options, ctx) => {
  const inline = inlineKeys(options.secretValues ?? [], options.keys ?? []);
  const store = options.store ? new KvKeys(options.store) : null;
  const base64 = !options.secretNonBase64Encoded;
  const verified = new VerifiedCredentials(checkSecret);
  const consumerHeader = options.consumerHeader;

  /** The consumer of a presented key, null when it is none's. Throws when the store cannot be read. */
  async function consumerOf(key: Uint8Array, env: object): Promise<string | null> {
    const sha256 = await sha256Hex(key);
    const found = inline.bySha256.get(sha256);
    if (found !== undefined) return found;
    for (const entry of inline.bcrypt) if (await verified.check("", key, entry.hash)) return entry.consumer;
    return store ? store.consumer(env, sha256) : null;
  }

  return (next) => async (request, rc) => {
    const key = keyOf(options.keySource, base64, request);
    if (!key) return unauthorized();
    let consumer: string | null;
    try {
      consumer = await consumerOf(key.bytes, rc.env);
    } catch (err) {
      console.error(`apiKey ${ctx.name}: the key store failed:`, err);
      return goError(500, "Internal Server Error");
    }
    if (consumer === null) return unauthorized();
    if (headerValueProblem(consumer)) {
      console.error(`apiKey ${ctx.name}: a stored consumer id cannot be a header value`);
      return goError(500, "Internal Server Error");
    }
    const headers = new Headers(request.headers);
    headers.set(consumerHeader, consumer); // replaces any copy the client sent
    const url = options.removeKey ? withoutKey(options.keySource, key.from, headers, request.url) : request.url;
    const forwarded = new Request(request, { headers });
    return next(url === request.url ? forwarded : new Request(url, forwarded), rc);
  };
};
