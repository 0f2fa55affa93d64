// apiKey: keys from a header, a query parameter or a cookie, found by their SHA-256 inline or in a
// KV namespace, the consumer forwarded upstream; validation with JSON paths; the per-consumer
// rateLimit recipe (docs/middlewares-access.md). Against the real whoami upstream.
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { validateConfig } from "../../../../worker/config/index.ts";
import { lb, send, snapshotOf, type Echo } from "../../helpers/serve.ts";

const upstream = inject("whoamiUrl");
const kv = (env as unknown as { CONFIG_KV: KVNamespace }).CONFIG_KV;

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function config(options: Record<string, unknown>, extra: Record<string, unknown> = {}, chain = ["keys"]) {
  return {
    http: {
      routers: { r: { rule: "PathPrefix(`/`)", service: "s", middlewares: chain } },
      services: { s: lb(upstream) },
      middlewares: { keys: { apiKey: options }, ...extra },
    },
  };
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(",") : value);

async function echoed(res: Response): Promise<Echo> {
  expect(res.status).toBe(200);
  return (await res.json()) as Echo;
}

/** A request to https://x.test/ with `key` in X-Api-Key. */
const withKey = (snap: ReturnType<typeof snapshotOf>, key: string) => send(snap, "https://x.test/", { headers: { "x-api-key": key } });

/** The consumer the middleware forwarded upstream (the request must pass). */
const consumerOf = async (res: Promise<Response>) => header((await echoed(await res)).headers["x-consumer-id"]);

describe("apiKey with inline keys", () => {
  it("takes a bearer key sent as it is, forwards the consumer, and answers 401 to a wrong or missing key", async () => {
    const snap = snapshotOf(config({
      keySource: { header: "Authorization", headerAuthScheme: "Bearer" },
      secretNonBase64Encoded: true,
      keys: [{ id: "acme", value: await sha256("k-acme") }, { id: "globex", value: await sha256("k-globex") }],
    }));
    const got = await echoed(await send(snap, "https://x.test/a", { headers: { authorization: "Bearer k-acme", "x-consumer-id": "globex" } }));
    expect(header(got.headers["x-consumer-id"])).toBe("acme"); // the client's own copy replaced
    expect(header(got.headers["authorization"])).toBe("Bearer k-acme"); // kept without removeKey
    expect(await consumerOf(send(snap, "https://x.test/a", { headers: { authorization: "bearer k-globex" } }))).toBe("globex");
    for (const authorization of ["Bearer k-nobody", "Basic k-acme", "k-acme", ""]) {
      const res = await send(snap, "https://x.test/a", { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(await res.text()).toBe("Unauthorized\n");
    }
    expect((await send(snap, "https://x.test/a")).status).toBe(401);
  });

  it("reads a base64 key by default (Traefik Hub's secretNonBase64Encoded: false), from a header, a query or a cookie, first found first", async () => {
    const hash = await sha256("raw-key");
    const snap = snapshotOf(config({ keySource: { header: "X-Api-Key", query: "api_key", cookie: "key" }, secretValues: [hash] }));
    const b64 = btoa("raw-key");
    const consumer = `sha256:${hash.slice(7, 23)}`;
    expect(await consumerOf(send(snap, "https://x.test/a", { headers: { "x-api-key": b64 } }))).toBe(consumer);
    expect((await echoed(await send(snap, `https://x.test/a?api_key=${encodeURIComponent(b64)}`))).path).toBe("/a");
    await echoed(await send(snap, "https://x.test/a", { headers: { cookie: `other=1; key=${b64}` } }));
    expect((await send(snap, "https://x.test/a", { headers: { "x-api-key": "raw-key" } })).status).toBe(401); // not base64 of it
    // The header comes first: a wrong header key is refused even with a right query key.
    expect((await send(snap, `https://x.test/a?api_key=${encodeURIComponent(b64)}`, { headers: { "x-api-key": btoa("nope") } })).status).toBe(401);
  });

  it("removeKey takes the key out of the header, the query or the cookie sent upstream", async () => {
    const snap = snapshotOf(config({ keySource: { header: "X-Api-Key", query: "k", cookie: "k" }, secretNonBase64Encoded: true, keys: [{ id: "c", value: await sha256("s3") }], removeKey: true }));
    expect((await echoed(await send(snap, "https://x.test/a", { headers: { "x-api-key": "s3" } }))).headers["x-api-key"]).toBeUndefined();
    expect((await echoed(await send(snap, "https://x.test/a?x=1&k=s3"))).url).toBe("/a?x=1");
    expect(header((await echoed(await send(snap, "https://x.test/a", { headers: { cookie: "a=1; k=s3; b=2" } }))).headers["cookie"])).toBe("a=1; b=2");
  });

  it("checks a bcrypt entry pasted from Traefik Hub (htpasswd -nbB \"\" foo)", async () => {
    const snap = snapshotOf(config({ keySource: { header: "X-Api-Key" }, secretNonBase64Encoded: true, secretValues: ["$2y$05$D4SPFxzfWKcx1OXfVhRbvOTH/QB0Lm6AXTk8.NOmU4rPLX2t6UUuW"] }));
    expect(await consumerOf(withKey(snap, "foo"))).toBe("secretValues[0]");
    expect((await withKey(snap, "bar")).status).toBe(401);
  });
});

describe("apiKey with keys in KV", () => {
  it("finds a stored key, and a deleted one stops passing once the cached entry expires", async () => {
    const hash = await sha256("kv-key-1");
    await kv.put(`apikey:${hash.slice(7)}`, "initech");
    const snap = snapshotOf(config({ keySource: { header: "X-Api-Key" }, secretNonBase64Encoded: true, store: { kv: "CONFIG_KV", prefix: "apikey:", cacheDuration: "200ms", missCacheDuration: "0s" } }));
    const get = () => withKey(snap, "kv-key-1");
    expect(await consumerOf(get())).toBe("initech");
    await kv.delete(`apikey:${hash.slice(7)}`);
    expect((await get()).status).toBe(200); // still cached in this isolate
    const deadline = Date.now() + 5_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await get()).status;
    }
    expect(status).toBe(401);
  });

  it("inline keys are found before the store; an unbound namespace is a 500, never a pass", async () => {
    const inline = await sha256("inline");
    const snap = snapshotOf(config({ keySource: { header: "X-Api-Key" }, secretNonBase64Encoded: true, keys: [{ id: "in", value: inline }], store: { kv: "NO_SUCH_KV" } }));
    expect(await consumerOf(withKey(snap, "inline"))).toBe("in");
    expect((await withKey(snap, "other")).status).toBe(500);
  });
});

describe("apiKey lookup cost (measured for docs/middlewares-access.md, not asserted)", () => {
  it("an inline key, a key read from KV on every request, and one cached in the isolate, behind noop@internal", async () => {
    const hash = await sha256("cost-key");
    await kv.put(`cost:${hash.slice(7)}`, "c");
    const snap = (extra: Record<string, unknown>) =>
      snapshotOf({ http: { routers: { r: { rule: "PathPrefix(`/`)", service: "noop@internal", middlewares: ["keys"] } }, middlewares: { keys: { apiKey: { keySource: { header: "X-Api-Key" }, secretNonBase64Encoded: true, ...extra } } } } });
    const cases = {
      inline: snap({ keys: [{ id: "c", value: hash }] }),
      "KV read": snap({ store: { kv: "CONFIG_KV", prefix: "cost:", cacheDuration: "0s" } }),
      "KV cached": snap({ store: { kv: "CONFIG_KV", prefix: "cost:", cacheDuration: "1h" } }),
    };
    // workerd's clock moves only across I/O (a Spectre mitigation): what is seen here is the I/O a
    // lookup waits for, which is the point (the inline and cached paths make none).
    const n = 200;
    const means: Record<string, number> = {};
    for (const [name, s] of Object.entries(cases)) {
      const t = Date.now();
      for (let i = 0; i < n; i++) expect((await withKey(s, "cost-key")).status).not.toBe(401);
      means[name] = (Date.now() - t) / n;
    }
    // The cached case read KV once: with the entry gone it still passes, the uncached one does not.
    await kv.delete(`cost:${hash.slice(7)}`);
    expect((await withKey(cases["KV cached"], "cost-key")).status).not.toBe(401);
    expect((await withKey(cases["KV read"], "cost-key")).status).toBe(401);
    console.log(`apiKey lookup, mean wall time per request over ${n} (workerd, local KV): ${Object.entries(means).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(", ")}`);
  });
});

describe("per-consumer rateLimit (the documented recipe)", () => {
  it("apiKey then rateLimit on sourceCriterion.requestHeaderName X-Consumer-Id: one bucket per consumer, whatever the client sends", async () => {
    const cfg = config(
      { keySource: { header: "X-Api-Key" }, secretNonBase64Encoded: true, keys: [{ id: `a-${crypto.randomUUID()}`, value: await sha256("ka") }, { id: `b-${crypto.randomUUID()}`, value: await sha256("kb") }] },
      { perConsumer: { rateLimit: { average: 1, period: "1m", burst: 1, sourceCriterion: { requestHeaderName: "X-Consumer-Id" } } } },
      ["keys", "perConsumer"],
    );
    const snap = snapshotOf(cfg);
    const as = (key: string, claimed?: string) => send(snap, "https://x.test/", { headers: { "x-api-key": key, ...(claimed ? { "x-consumer-id": claimed } : {}) }, clientIP: "198.51.100.1" });
    expect((await as("ka")).status).toBe(200);
    expect((await as("ka", "someone-else")).status).toBe(429); // same consumer, whatever header the client sent
    expect((await as("kb")).status).toBe(200); // another consumer, same IP: its own bucket
    expect((await as("kb")).status).toBe(429);
  });
});

describe("apiKey validation", () => {
  function issues(options: Record<string, unknown>) {
    const valid = validateConfig(config(options));
    return valid.ok ? { errors: [], warnings: valid.warnings } : { errors: valid.errors, warnings: [] };
  }
  const source = { header: "X-Api-Key" };

  it("refuses plain keys and weak hashes, at their JSON path, without echoing them", async () => {
    const { errors } = issues({ keySource: source, secretValues: [await sha256("ok"), "my-plain-key", "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ="], keys: [{ id: "x", value: "sha256:abc" }] });
    expect(errors.map((e) => e.path)).toEqual(["http.middlewares.keys.apiKey.secretValues[1]", "http.middlewares.keys.apiKey.secretValues[2]", "http.middlewares.keys.apiKey.keys[0].value"]);
    expect(errors[0]!.message).toMatch(/^not a hash: .*plain key is refused/);
    expect(errors[0]!.message).not.toContain("my-plain-key");
    expect(errors[1]!.message).toMatch(/too weak/);
    expect(errors[2]!.message).toMatch(/malformed sha256/);
  });

  it("needs a key source and some keys; a Kubernetes secret reference cannot be read", () => {
    expect(issues({ keySource: {}, secretValues: [] }).errors.map((e) => e.path)).toEqual(["http.middlewares.keys.apiKey.keySource", "http.middlewares.keys.apiKey.secretValues"]);
    expect(issues({ keySource: { headerAuthScheme: "Bearer", query: "k" }, store: { kv: "K" } }).errors.map((e) => e.path)).toEqual(["http.middlewares.keys.apiKey.keySource.headerAuthScheme"]);
    const [k8s] = issues({ keySource: source, secretValues: ["urn:k8s:secret:apikey:secret"] }).errors;
    expect(k8s?.message).toMatch(/Kubernetes Secret/);
    expect(issues({ keySource: source, store: { kv: "not a binding" } }).errors.map((e) => e.path)).toEqual(["http.middlewares.keys.apiKey.store.kv"]);
  });

  it("refuses a consumer id that cannot be a header value, and warns about many bcrypt entries", async () => {
    expect(issues({ keySource: source, keys: [{ id: "bad\nid", value: await sha256("x") }] }).errors.map((e) => e.path)).toEqual(["http.middlewares.keys.apiKey.keys[0].id"]);
    const bcrypt = "$2y$05$D4SPFxzfWKcx1OXfVhRbvOTH/QB0Lm6AXTk8.NOmU4rPLX2t6UUuW";
    expect(issues({ keySource: source, secretValues: Array(5).fill(bcrypt) }).warnings.map((w) => w.path)).toEqual(["http.middlewares.keys.apiKey.secretValues"]);
  });
});
