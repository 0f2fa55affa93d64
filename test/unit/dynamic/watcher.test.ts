import { describe, expect, it } from "vitest";
import type { Loaded, Provider, VersionRef } from "../../../providers/types.ts";
import type { Snapshot } from "../../../worker/compile/snapshot.ts";
import { routerListener } from "../../../worker/dynamic/listener.ts";
import { Switcher } from "../../../worker/dynamic/switcher.ts";
import { Watcher } from "../../../worker/dynamic/watcher.ts";

class FakeProvider implements Provider {
  readonly name = "fake";
  versionReads = 0;
  loads = 0;
  ref: VersionRef | null = null;
  configs = new Map<number, unknown>();
  failNext = false;
  gate: Promise<void> = Promise.resolve();

  publish(version: number, value: unknown) {
    this.configs.set(version, value);
    this.ref = { version, key: `v/${version}`, sha256: `h${version}` };
  }
  async version() {
    this.versionReads++;
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error("provider down");
    }
    return this.ref;
  }
  async load(ref: VersionRef): Promise<Loaded> {
    this.loads++;
    return this.configs.has(ref.version) ? { ok: true, value: { ref, value: this.configs.get(ref.version) } } : { ok: false, error: `${ref.key} is not readable yet` };
  }
}

function setup(intervalMs = 1000) {
  let now = 0;
  const provider = new FakeProvider();
  const applied: unknown[] = [];
  const watcher = new Watcher(provider, async (v) => void applied.push(v.value), { intervalMs, now: () => now });
  return { provider, applied, watcher, advance: (ms: number) => (now += ms) };
}

describe("watcher", () => {
  it("polls at most once per interval and never between polls", async () => {
    const { provider, watcher, advance } = setup(1000);
    provider.publish(1, "a");
    await watcher.maybePoll();
    expect(provider.versionReads).toBe(1);
    for (let i = 0; i < 100; i++) expect(watcher.maybePoll()).toBeNull();
    advance(999);
    expect(watcher.maybePoll()).toBeNull();
    advance(1);
    await watcher.maybePoll();
    expect(provider.versionReads).toBe(2);
  });

  it("is single flight: concurrent triggers share one poll", async () => {
    const { provider, watcher, advance } = setup(0);
    let release!: () => void;
    provider.gate = new Promise((r) => (release = r));
    const first = watcher.poll();
    advance(10);
    expect(watcher.maybePoll()).toBeNull();
    expect(watcher.poll()).toBe(first);
    release();
    await first;
    expect(provider.versionReads).toBe(1);
  });

  it("hands each new version to the listener once", async () => {
    const { provider, watcher, applied, advance } = setup(10);
    provider.publish(1, "a");
    await watcher.poll();
    advance(10);
    await watcher.poll();
    provider.publish(2, "b");
    advance(10);
    await watcher.poll();
    expect(applied).toEqual(["a", "b"]);
    expect(provider.loads).toBe(2);
    expect(watcher.state.version).toBe(2);
  });

  it("keeps the current version when the snapshot is not readable yet, and retries next interval", async () => {
    const { provider, watcher, applied, advance } = setup(10);
    provider.publish(1, "a");
    await watcher.poll();
    provider.ref = { version: 2, key: "v/2", sha256: "h2" }; // version key ahead of its snapshot
    advance(10);
    await watcher.poll();
    expect(applied).toEqual(["a"]);
    expect(watcher.state.version).toBe(1);
    expect(watcher.state.lastError?.message).toMatch(/version 2: v\/2 is not readable yet; keeping the current config/);
    provider.configs.set(2, "b");
    advance(10);
    await watcher.maybePoll();
    expect(applied).toEqual(["a", "b"]);
    expect(watcher.state.lastError).toBeNull();
  });

  it("backs off after repeated failures and records the error", async () => {
    const { provider, watcher, advance } = setup(100);
    provider.failNext = true;
    await watcher.poll();
    expect(watcher.state.lastError?.message).toBe("provider down");
    provider.failNext = true;
    advance(100);
    await watcher.maybePoll();
    advance(100);
    expect(watcher.maybePoll()).toBeNull(); // second failure: wait 200 ms
    advance(100);
    await watcher.maybePoll();
    expect(provider.versionReads).toBe(3);
  });

  it("a listener that rejects leaves the version unapplied", async () => {
    let now = 0;
    const provider = new FakeProvider();
    const watcher = new Watcher(provider, async () => { throw new Error("invalid config"); }, { intervalMs: 1, now: () => now });
    provider.publish(1, "bad");
    await watcher.poll();
    expect(watcher.state.version).toBeNull();
    expect(watcher.state.lastError?.message).toBe("invalid config");
  });
});

describe("watcher: what a failure records (for the fleet status)", () => {
  it("the version it was taking, and a refused config's first issue paths", async () => {
    const provider = new FakeProvider();
    const watcher = new Watcher(provider, routerListener(new Switcher<Snapshot>()), { intervalMs: 0, now: () => 7 });
    const bad = { http: { routers: { a: { rule: "Nope(`x`)", service: "s" }, b: { rule: "Path(`/b`)", service: "missing" } }, services: { s: { loadBalancer: { servers: [{ url: "https://x.example" }] } } } } };
    provider.publish(3, bad);
    await watcher.poll();
    expect(watcher.state.lastError).toMatchObject({ at: 7, version: 3, message: expect.stringMatching(/^config version 3 rejected: /) });
    expect([...(watcher.state.lastError?.paths ?? [])].sort()).toEqual(["http.routers.a.rule", "http.routers.b.service"]);
  });

  it("an unreadable version: its number, no paths; a failed version read: neither", async () => {
    const { provider, watcher } = setup(0);
    provider.ref = { version: 4, key: "v/4", sha256: "h4" };
    await watcher.poll();
    expect(watcher.state.lastError).toMatchObject({ version: 4, paths: [] });
    provider.failNext = true;
    await watcher.poll();
    expect(watcher.state.lastError).toEqual({ at: 0, message: "provider down", version: null, paths: [] });
  });
});

describe("watcher + router listener: a config without routers (raw KV writes)", () => {
  const withRouters = {
    http: {
      routers: { web: { rule: "PathPrefix(`/`)", service: "web" } },
      services: { web: { loadBalancer: { servers: [{ url: "https://backend.example.com" }] } } },
    },
  };

  function serving() {
    const provider = new FakeProvider();
    const switcher = new Switcher<Snapshot>();
    const watcher = new Watcher(provider, routerListener(switcher), { intervalMs: 0 });
    return { provider, switcher, watcher };
  }

  it.each([["{}", {}], ["null", null], ['{"http":null}', { http: null }], ["routers: {}", { http: { routers: {} } }]])(
    "%s over routers is refused: the last good config keeps serving and the status says how to mean it",
    async (_name, empty) => {
      const { provider, switcher, watcher } = serving();
      provider.publish(1, withRouters);
      await watcher.poll();
      expect(switcher.current?.meta.version).toBe(1);
      provider.publish(2, empty);
      await watcher.poll();
      expect(switcher.current?.meta.version).toBe(1);
      expect(watcher.state.version).toBe(1);
      expect(watcher.state.lastError?.message).toMatch(/config version 2 rejected: http\.routers: the new config has no routers.*its 1 router from version 1, which this isolate serves.*"allowEmpty": true in the version key/);
    },
  );

  it("a cold isolate handed one asks the last-good provider (the config store) and serves its config instead", async () => {
    const kv = new FakeProvider();
    const store = new FakeProvider();
    const switcher = new Switcher<Snapshot>();
    const watcher = new Watcher(kv, routerListener(switcher, { lastGood: store }), { intervalMs: 0 });
    store.publish(5, withRouters);
    kv.publish(6, {});
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(5);
    expect(watcher.state.lastError?.message).toMatch(/config version 6 rejected: .*no routers.*version 5 in the config store, which this isolate serves instead/);
    // Next poll: the same refusal, now against what it serves; the store is not asked again.
    const storeReads = store.versionReads;
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(5);
    expect(store.versionReads).toBe(storeReads);
  });

  it("a cold isolate takes it when the last-good provider has nothing, has no routers itself, or fails", async () => {
    for (const prepare of [(_p: FakeProvider) => {}, (p: FakeProvider) => p.publish(5, {}), (p: FakeProvider) => { p.publish(5, withRouters); p.failNext = true; }]) {
      const kv = new FakeProvider();
      const store = new FakeProvider();
      prepare(store);
      const switcher = new Switcher<Snapshot>();
      const watcher = new Watcher(kv, routerListener(switcher, { lastGood: store }), { intervalMs: 0 });
      kv.publish(6, {});
      await watcher.poll();
      expect(switcher.current?.meta.version).toBe(6);
      expect(watcher.state.lastError).toBeNull();
    }
  });

  it("takes it when the ref says allowEmpty, and takes one as the first config (nothing to lose)", async () => {
    const { provider, switcher, watcher } = serving();
    provider.publish(1, {});
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(1);
    provider.publish(2, withRouters);
    await watcher.poll();
    provider.publish(3, {});
    provider.ref = { ...provider.ref!, allowEmpty: true };
    await watcher.poll();
    expect(switcher.current?.meta.version).toBe(3);
    expect(watcher.state.lastError).toBeNull();
  });
});

describe("switcher", () => {
  it("swaps in one assignment and returns what it replaced", () => {
    const s = new Switcher<string>();
    expect(s.current).toBeNull();
    expect(s.swap("a")).toBeNull();
    const held = s.current;
    expect(s.swap("b")).toBe("a");
    expect(held).toBe("a");
    expect(s.current).toBe("b");
  });
});

describe("routerListener with DEFAULT_RULE_SYNTAX", () => {
  const v2Config = {
    http: {
      routers: { web: { rule: "Host(`a.com`, `b.com`)", service: "web" } },
      services: { web: { loadBalancer: { servers: [{ url: "https://backend.example.com" }] } } },
    },
  };
  const ref = (version: number) => ({ version, key: `v/${version}`, sha256: `h${version}` });

  it("reads routers without ruleSyntax in the configured syntax, as the config store validated them", async () => {
    const switcher = new Switcher<Snapshot>();
    await routerListener(switcher, { defaultRuleSyntax: "v2" })({ ref: ref(1), value: v2Config });
    expect(switcher.current?.meta.version).toBe(1);
    await expect(routerListener(new Switcher<Snapshot>())({ ref: ref(1), value: v2Config })).rejects.toThrow(/http\.routers\.web\.rule: invalid rule/);
  });

  it("a DEFAULT_RULE_SYNTAX that is neither v2 nor v3 rejects the config, naming the variable", async () => {
    const switcher = new Switcher<Snapshot>();
    await expect(routerListener(switcher, { defaultRuleSyntax: "v9" })({ ref: ref(1), value: v2Config })).rejects.toThrow(
      /config version 1 rejected: DEFAULT_RULE_SYNTAX: unsupported DEFAULT_RULE_SYNTAX "v9"/,
    );
    expect(switcher.current).toBeNull();
  });
});

describe("watcher, given another version than it asked for", () => {
  it("serves it, reports why as the poll's error, and asks for the ref again next poll", async () => {
    const { provider, applied, watcher, advance } = setup(1000);
    provider.publish(9, "refused");
    const instead = "config version 9 refused: not signed; serving version 6, the newest signed one, instead";
    provider.load = async () => ({ ok: true, value: { ref: { version: 6, key: "v/6", sha256: "h6" }, value: "signed", instead } });
    await watcher.maybePoll();
    expect(applied).toEqual(["signed"]);
    expect(watcher.state.lastError).toMatchObject({ message: instead, version: 9 });
    provider.load = async (ref) => ({ ok: false, error: `config version ${ref.version} refused: not signed` });
    advance(1000);
    await watcher.maybePoll();
    expect(watcher.state.lastError).toMatchObject({ message: "version 9: config version 9 refused: not signed; keeping the current config", version: 9 });
    expect(applied).toEqual(["signed"]);
  });
});

