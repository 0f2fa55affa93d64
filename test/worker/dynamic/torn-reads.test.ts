// KV is eventually consistent and writable by hand: whatever it holds, the router keeps serving
// its last good config and says what is wrong in /status.
import { env, SELF } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { VERSION_KEY, snapshotKey } from "../../../providers/kv.ts";
import { sha256Hex } from "../../../providers/store/hash.ts";
import type { Env } from "../../../worker/env.ts";
import { adminFetch, putConfig, untilServing } from "../helpers/admin.ts";

const kv = (env as Env).CONFIG_KV;
const upstream = inject("whoamiUrl");

async function status() {
  return (await (await adminFetch("/status")).json()) as { serving: { version: number }; lastError: { message: string } | null };
}

type Status = Awaited<ReturnType<typeof status>>;

/**
 * Requests through the router (each lets this isolate poll) until the status shows `done`; every
 * request on the way must still be served by `router`, the last good config's.
 */
async function servingThrough(router: string, done: (s: Status) => boolean): Promise<Status> {
  for (let i = 0; i < 200; i++) {
    const res = await SELF.fetch("http://router.test/__probe");
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-router")).toBe(router);
    const s = await status();
    if (done(s)) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the router never reached the expected state; last status: ${JSON.stringify(await status())}`);
}

describe("torn and failed reads keep the last good config", () => {
  it("survives each kind of bad KV state, then takes a hand-written config", async () => {
    const good = await putConfig({
      http: { routers: { good: { rule: "PathPrefix(`/__probe`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: upstream }] } } } },
    });
    const { version } = (await good.json()) as { version: number };
    await (await untilServing(version)).arrayBuffer();

    // The version key arrives before its snapshot.
    const ahead = { version: 500, key: snapshotKey(500, "a".repeat(64)), sha256: "a".repeat(64) };
    await kv.put(VERSION_KEY, JSON.stringify(ahead));
    let s = await servingThrough("good", (st) => /version 500: snapshot .* is missing/.test(st.lastError?.message ?? ""));
    expect(s.serving.version).toBe(version);

    // A snapshot that does not hash to what the version key says.
    await kv.put(ahead.key, '{"http":{}}');
    s = await servingThrough("good", (st) => /hash mismatch/.test(st.lastError?.message ?? ""));
    expect(s.serving.version).toBe(version);

    // An invalid config written straight to KV, hash and all: refused in the Worker too.
    const invalid = JSON.stringify({ http: { routers: { bad: { rule: "Hots(`x`)", service: "nowhere" } } } });
    const invalidSha = await sha256Hex(invalid);
    await kv.put(snapshotKey(501, invalidSha), invalid);
    await kv.put(VERSION_KEY, JSON.stringify({ version: 501, key: snapshotKey(501, invalidSha), sha256: invalidSha }));
    s = await servingThrough("good", (st) => /^config version 501 rejected: .*http\.routers\.bad\.rule: invalid rule/.test(st.lastError?.message ?? ""));
    expect(s.serving.version).toBe(version);

    // Garbage in the version key.
    await kv.put(VERSION_KEY, "{not json");
    s = await servingThrough("good", (st) => /not valid JSON/.test(st.lastError?.message ?? ""));
    expect(s.serving.version).toBe(version);

    // The documented hand procedure: snapshot (YAML is fine) first, then the version key.
    const yaml = `http:\n  routers:\n    byhand:\n      rule: "PathPrefix(\`/__probe\`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers:\n          - url: "${upstream}"\n`;
    const sha = await sha256Hex(yaml);
    await kv.put(snapshotKey(502, sha), yaml);
    await kv.put(VERSION_KEY, JSON.stringify({ version: 502, key: snapshotKey(502, sha), sha256: sha }));
    for (let i = 0; i < 200 && (await status()).serving.version !== 502; i++) {
      await (await SELF.fetch("http://router.test/__probe")).arrayBuffer();
      await new Promise((r) => setTimeout(r, 10));
    }
    s = await status();
    expect(s.serving.version).toBe(502);
    expect(s.lastError).toBeNull();
    const res = await SELF.fetch("http://router.test/__probe");
    await res.arrayBuffer();
    expect(res.headers.get("x-switchyard-router")).toBe("byhand");
  });
});
