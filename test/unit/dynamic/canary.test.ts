// The isolate's canary pick (worker/dynamic/canary.ts): buckets are stable and spread, a client
// keeps its version while the share stays and only gains the candidate as it grows, the chosen
// header is used when set; and the watcher loads the candidate beside the stable version.
import { describe, expect, it } from "vitest";
import type { CanaryRef, Loaded, Provider, VersionRef } from "../../../providers/types.ts";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { bucketOf, BUCKETS, CanarySwitch, inCanary } from "../../../worker/dynamic/canary.ts";
import { routerListener } from "../../../worker/dynamic/listener.ts";
import { Switcher } from "../../../worker/dynamic/switcher.ts";
import { Watcher } from "../../../worker/dynamic/watcher.ts";

const config = (name: string) => ({ http: { routers: { [name]: { rule: "PathPrefix(`/`)", service: "s" } }, services: { s: { loadBalancer: { servers: [{ url: "http://127.0.0.1:1" }] } } } } });

describe("buckets", () => {
  it("FNV-1a mod 10000: fixed values, spread over the range", () => {
    expect(bucketOf("")).toBe(0x811c9dc5 % BUCKETS);
    expect(bucketOf("10.0.0.1")).toBe(bucketOf("10.0.0.1"));
    const inside = Array.from({ length: 10_000 }, (_, i) => `10.${i >> 8}.${i & 255}.1`).filter((ip) => inCanary(ip, 5)).length;
    expect(inside).toBeGreaterThan(400);
    expect(inside).toBeLessThan(600);
  });

  it("a larger share keeps every client the smaller one had", () => {
    const ips = Array.from({ length: 2_000 }, (_, i) => `192.168.${i >> 8}.${i & 255}`);
    for (const [a, b] of [[5, 25], [25, 50], [0.5, 5]] as const) {
      expect(ips.filter((ip) => inCanary(ip, a) && !inCanary(ip, b))).toEqual([]);
    }
  });
});

class FakeProvider implements Provider {
  readonly name = "fake";
  ref: VersionRef | null = null;
  loads: number[] = [];
  missing = new Set<number>();
  async version() {
    return this.ref;
  }
  async load(ref: VersionRef): Promise<Loaded> {
    this.loads.push(ref.version);
    if (this.missing.has(ref.version)) return { ok: false, error: `${ref.key} is not readable yet` };
    return { ok: true, value: { ref, value: config(`r${ref.version}`) } };
  }
}

const ref = (version: number): VersionRef => ({ version, key: `v/${version}`, sha256: `h${version}` });
const req = (headers: Record<string, string>) => new Request("http://a.test/", { headers });

/** A watcher over a FakeProvider, a canary switch beside the stable one; poll(ms) first moves its clock on by ms. */
function watched() {
  const provider = new FakeProvider();
  const stable = new Switcher<Snapshot>();
  const canary = new CanarySwitch(stable, {});
  let now = 0;
  const watcher = new Watcher(provider, routerListener(stable), { intervalMs: 10, now: () => now, canary: canary.listener });
  const poll = async (ms = 0) => {
    now += ms;
    await watcher.poll();
  };
  return { provider, stable, canary, watcher, poll };
}

describe("the candidate beside the stable snapshot", () => {
  it("is loaded with the stable one, picked per client, kept across share changes, dropped with the canary", async () => {
    const { provider, stable, canary, poll } = watched();
    const inside = Array.from({ length: 500 }, (_, i) => `10.1.${i >> 8}.${i & 255}`).find((ip) => inCanary(ip, 10))!;
    const outside = Array.from({ length: 500 }, (_, i) => `10.1.${i >> 8}.${i & 255}`).find((ip) => !inCanary(ip, 50))!;

    provider.ref = ref(1);
    await poll();
    const c: CanaryRef = { ...ref(2), share: 10 };
    provider.ref = { ...ref(1), canary: c };
    await poll(10);
    expect(provider.loads).toEqual([1, 2]);
    expect(canary.current).toEqual({ version: 2, share: 10, header: null });
    const s = stable.current!;
    expect(canary.pick(req({ "cf-connecting-ip": inside }), s).meta.version).toBe(2);
    expect(canary.pick(req({ "cf-connecting-ip": outside }), s).meta.version).toBe(1);

    // A new share: nothing loaded again; by header.
    provider.ref = { ...ref(1), canary: { ...c, share: 50, header: "x-user" } };
    await poll(10);
    expect(provider.loads).toEqual([1, 2]);
    expect(canary.pick(req({ "cf-connecting-ip": inside, "x-user": outside }), s).meta.version).toBe(1);
    expect(canary.pick(req({ "x-user": inside }), s).meta.version).toBe(2);

    // Promoted: version 2 is the stable one, no candidate.
    provider.ref = ref(2);
    await poll(10);
    expect(canary.active).toBe(false);
    expect(stable.current!.meta.version).toBe(2);
    expect(canary.pick(req({ "x-user": inside }), stable.current!).meta.version).toBe(2);
  });

  it("a candidate that cannot be loaded leaves stable serving everyone; the next poll tries the candidate alone", async () => {
    const { provider, stable, canary, watcher, poll } = watched();
    provider.missing.add(2);
    provider.ref = { ...ref(1), canary: { ...ref(2), share: 50 } };
    await poll();
    expect(stable.current!.meta.version).toBe(1);
    expect(canary.active).toBe(false);
    expect(watcher.state.lastError?.message).toMatch(/^canary version 2: v\/2 is not readable yet; serving the stable version only$/);
    provider.missing.clear();
    await poll(100);
    expect(provider.loads).toEqual([1, 2, 2]);
    expect(canary.current).toEqual({ version: 2, share: 50, header: null });
    expect(watcher.state.lastError).toBeNull();
  });
});
