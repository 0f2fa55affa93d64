// Preview tokens and the isolate's preview snapshots (worker/dynamic/preview-token.ts, preview.ts):
// a token is valid only signed with the secret, unexpired and not too long-lived; any bad token is
// the same null; a valid one gets the stored version's snapshot, loaded once, at most two kept.
import { describe, expect, it } from "vitest";
import type { Versioned } from "../../../providers/types.ts";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { routerListener } from "../../../worker/dynamic/listener.ts";
import { Previews, PREVIEW_CACHE } from "../../../worker/dynamic/preview.ts";
import { MAX_PREVIEW_TTL_S, mintPreviewToken, PREVIEW_HEADER, verifyPreviewToken } from "../../../worker/dynamic/preview-token.ts";
import { Switcher } from "../../../worker/dynamic/switcher.ts";

const NOW = 1_800_000_000_000;
const nowS = NOW / 1000;

describe("preview tokens", () => {
  it("verify what was minted with the same secret, until expiry", async () => {
    const token = await mintPreviewToken("s3cret", 42, nowS + 60);
    expect(token).toMatch(/^42\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyPreviewToken("s3cret", token, NOW)).toBe(42);
    expect(await verifyPreviewToken("s3cret", ` ${token} `, NOW)).toBe(42);
    expect(await verifyPreviewToken("s3cret", token, NOW + 60_000)).toBeNull();
    expect(await verifyPreviewToken("other", token, NOW)).toBeNull();
  });

  it("refuse a changed version, expiry or mac, a lifetime past 24 h, and garbage, all alike", async () => {
    const token = await mintPreviewToken("k", 7, nowS + 60);
    const [, expiry, mac] = token.split(".");
    const tooLong = await mintPreviewToken("k", 7, nowS + MAX_PREVIEW_TTL_S + 10);
    for (const bad of [`8.${expiry}.${mac}`, `7.${Number(expiry) + 1}.${mac}`, `7.${expiry}.${mac!.slice(0, -1)}A`, tooLong, "7", "", "7..", `0.${expiry}.${mac}`, `${"9".repeat(17)}.${expiry}.${mac}`]) {
      expect(await verifyPreviewToken("k", bad, NOW), bad).toBeNull();
    }
  });
});

const config = (name: string) => ({ http: { routers: { [name]: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } } } });
const versioned = (version: number): Versioned<unknown> => ({ ref: { version, key: `v/${version}`, sha256: `h${version}` }, value: config(`r${version}`) });

async function serving(): Promise<Snapshot> {
  const switcher = new Switcher<Snapshot>();
  await routerListener(switcher)(versioned(1));
  return switcher.current!;
}

describe("preview snapshots", () => {
  it("serve the token's version, loading each once while cached, at most PREVIEW_CACHE of them", async () => {
    const loads: number[] = [];
    const previews = new Previews("k", async (v) => (loads.push(v), v === 404 ? null : versioned(v)), {}, () => NOW);
    const base = await serving();
    const ask = async (v: number) => {
      const token = await mintPreviewToken("k", v, nowS + 60);
      return previews.snapshotFor(new Request("http://a.test/", { headers: { [PREVIEW_HEADER]: token } }), base);
    };
    expect((await ask(5))!.meta.version).toBe(5);
    expect((await ask(5))!.meta.version).toBe(5);
    expect(await ask(1)).toBe(base);
    expect(await ask(404)).toBeNull();
    expect(PREVIEW_CACHE).toBe(2);
    await ask(6);
    expect(loads).toEqual([5, 404, 6]);
    // 5 was pushed out by 404 and 6.
    await ask(5);
    expect(loads).toEqual([5, 404, 6, 5]);
    expect(await previews.snapshotFor(new Request("http://a.test/"), base)).toBeNull();
  });

  it("are off without a secret, and a bad token loads nothing", async () => {
    const loads: number[] = [];
    const load = async (v: number) => (loads.push(v), versioned(v));
    const token = await mintPreviewToken("k", 5, nowS + 60);
    const request = new Request("http://a.test/", { headers: { [PREVIEW_HEADER]: token } });
    expect(await new Previews(undefined, load, {}, () => NOW).snapshotFor(request, await serving())).toBeNull();
    expect(await new Previews("", load, {}, () => NOW).snapshotFor(request, await serving())).toBeNull();
    expect(await new Previews("other", load, {}, () => NOW).snapshotFor(request, await serving())).toBeNull();
    expect(loads).toEqual([]);
  });
});
