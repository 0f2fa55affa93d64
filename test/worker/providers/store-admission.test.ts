// The config store's admission check is handed in: providers/config-store.ts knows storage, the
// Worker's entry (worker/store-admission.ts) knows what a servable config is.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ConfigStoreObject } from "../../../providers/config-store.ts";
import { keyLayout } from "../../../providers/kv.ts";
import type { Admission } from "../../../providers/store/admission.ts";
import { diffConfigs } from "../../../providers/store/diff.ts";
import { REVISION } from "../../../worker/compile/revision.ts";
import { canonicalJSON, validateConfig } from "../../../worker/config/index.ts";
import type { WorkerEnv } from "../../../worker/index.ts";
import { admitConfig, ConfigStore, MAX_STORED_CONFIG_BYTES, storeAdmission, storeAdmissionFor } from "../../../worker/store-admission.ts";

const testEnv = env as WorkerEnv;

const routed = { http: { routers: { web: { rule: "PathPrefix(`/web`)", service: "web" } }, services: { web: { loadBalancer: { servers: [{ url: "https://a.example.com" }] } } } } };

/** A store on a fresh object's storage, with `admission` instead of the Worker's. */
async function withAdmission<T>(admission: Admission, run: (store: ConfigStoreObject) => Promise<T>): Promise<T> {
  const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
  return runInDurableObject(stub, async (_entry: ConfigStoreObject, state) => {
    const store = new ConfigStoreObject(state, testEnv, admission);
    store.seams.keys = keyLayout(`test/${crypto.randomUUID()}/`);
    return run(store);
  });
}

describe("the config store's admission", () => {
  it("the entry's ConfigStore is the provider's object with the Worker's admission", async () => {
    const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, (store: ConfigStoreObject) => {
      expect(store).toBeInstanceOf(ConfigStore);
      expect(store).toBeInstanceOf(ConfigStoreObject);
    });
  });

  it("put and rollback ask the admission handed in: its refusal is the 400, its canonical text what is stored", async () => {
    const seen: unknown[] = [];
    const admission: Admission = {
      admit: (config) => {
        seen.push(config);
        return config === "no" ? { ok: false, error: [{ path: "x", message: "refused by the test", severity: "error" }] } : { ok: true, value: { canonical: '{"stored":1}', routers: 1, warnings: [{ path: "w", message: "noted", severity: "warning" }] } };
      },
      routers: () => 1,
      wipeRefusal: () => null,
    };
    await withAdmission(admission, async (store) => {
      expect(await store.put({ config: "no" })).toEqual({ ok: false, status: 400, errors: [{ path: "x", message: "refused by the test", severity: "error" }] });
      const put = await store.put({ config: { anything: true } });
      expect(put).toMatchObject({ ok: true, record: { version: 1 }, warnings: [{ path: "w", message: "noted" }] });
      expect((await store.get(1))?.canonical).toBe('{"stored":1}');
      expect(await store.rollback(1)).toMatchObject({ ok: true, record: { version: 2, rollbackOf: 1 } });
      expect(seen).toEqual(["no", { anything: true }, { stored: 1 }]);
    });
  });

  it("router counts and the wipe refusal come from the admission too", async () => {
    const admission: Admission = {
      admit: (config) => ({ ok: true, value: { canonical: JSON.stringify(config), routers: config === 0 ? 0 : 2, warnings: [] } }),
      routers: (canonical) => (canonical === "0" ? 0 : 2),
      wipeRefusal: (current, next, allowEmpty, currentName) => (next === 0 && current && !allowEmpty ? `test refusal over ${current} in ${currentName}` : null),
    };
    await withAdmission(admission, async (store) => {
      expect(await store.put({ config: 0 })).toMatchObject({ ok: true, record: { version: 1 } });
      expect(await store.versionRef()).toMatchObject({ version: 1, allowEmpty: true });
      expect(await store.put({ config: 1 })).toMatchObject({ ok: true, record: { version: 2 } });
      expect((await store.versionRef())?.allowEmpty).toBeUndefined();
      expect(await store.put({ config: 0 })).toEqual({ ok: false, status: 409, current: 2, message: "test refusal over 2 in version 2" });
    });
  });

  it("the Worker's admission: validates, dry-runs the compile, bounds the size, counts routers, gives the api hint", () => {
    const valid = validateConfig(routed);
    if (!valid.ok) throw new Error("the test config is invalid");
    // The canonical text of the validated config (defaults filled in: what the isolates will run).
    const admitted = storeAdmission.admit(routed);
    expect(admitted).toEqual({ ok: true, value: { canonical: canonicalJSON(valid.config), routers: 1, warnings: [], facts: expect.any(Function) } });
    // The load facts name the config's hash, the build and the syntax, and index its one router.
    const facts = JSON.parse((admitted.ok && admitted.value.facts?.("ab12")) || "null");
    expect(facts).toMatchObject({ format: 1, revision: REVISION, sha256: "ab12", defaultRuleSyntax: "v3", warnings: [], index: { routers: [0], exact: {}, fallback: [0] }, tree: {} });
    const badRule = storeAdmission.admit({ http: { routers: { r: { rule: "Path(", service: "web" } }, services: routed.http.services } });
    expect(badRule.ok ? [] : badRule.error.map((e) => e.path)).toContain("http.routers.r.rule");
    const huge = { http: { routers: routed.http.routers, services: routed.http.services, middlewares: { big: { headers: { customRequestHeaders: { "X-Big": "x".repeat(MAX_STORED_CONFIG_BYTES) } } } } } };
    expect(storeAdmission.admit(huge)).toMatchObject({ ok: false, error: [{ message: expect.stringContaining(`at most ${MAX_STORED_CONFIG_BYTES}`) }] });
    expect(storeAdmission.routers(canonicalJSON(routed))).toBe(1);
    expect(storeAdmission.routers("null")).toBe(0);
    expect(storeAdmission.wipeRefusal(3, 0, false, "version 7")).toMatch(/all 3 of its routers from version 7.*\?allowEmpty=true/);
    expect(storeAdmission.wipeRefusal(3, 0, true, "version 7")).toBeNull();
  });

  it("the Worker's admission reads routers without ruleSyntax in DEFAULT_RULE_SYNTAX, and refuses every write when it is neither v2 nor v3", () => {
    const v2 = { http: { routers: { r: { rule: "Host(`a.com`, `b.com`)", service: "web" } }, services: routed.http.services } };
    expect(storeAdmission.admit(v2)).toMatchObject({ ok: false, error: [{ path: "http.routers.r.rule" }] });
    expect(storeAdmissionFor("v2").admit(v2)).toMatchObject({ ok: true, value: { routers: 1 } });
    expect(admitConfig(v2, "v2")).toMatchObject({ ok: true });
    expect(storeAdmissionFor("v1").admit(routed)).toEqual({
      ok: false,
      error: [{ path: "DEFAULT_RULE_SYNTAX", message: 'unsupported DEFAULT_RULE_SYNTAX "v1": expected "v3" (the default) or "v2"', severity: "error" }],
    });
  });
});

describe("diffConfigs on canonical texts", () => {
  it("entries equal up to key order are unchanged, integer-like keys included; a changed value is changed", () => {
    const a = { http: { middlewares: { m: { headers: { customRequestHeaders: { "10": "a", "9": "b", "X-B": "c", "X-A": "d" } } } } } };
    const reordered = { http: { middlewares: { m: { headers: { customRequestHeaders: { "X-A": "d", "9": "b", "X-B": "c", "10": "a" } } } } } };
    const changed = { http: { middlewares: { m: { headers: { customRequestHeaders: { "10": "a", "9": "B", "X-B": "c", "X-A": "d" } } } } } };
    const side = (version: number, value: unknown) => ({ version, canonical: canonicalJSON(value) });
    expect(diffConfigs(side(1, a), side(2, reordered)).middlewares).toEqual({ added: [], removed: [], changed: [] });
    expect(diffConfigs(side(1, a), side(2, changed)).middlewares).toEqual({ added: [], removed: [], changed: ["m"] });
  });
});

describe("load facts across builds", () => {
  /** The Worker's admission, as build `revision` would stamp its facts. */
  const build = (revision: string): Admission => ({
    ...storeAdmission,
    revision,
    admit: (raw) => {
      const admitted = storeAdmission.admit(raw);
      return admitted.ok ? { ok: true, value: { ...admitted.value, facts: (sha256) => JSON.stringify({ revision, sha256 }) } } : admitted;
    },
  });

  it("a store on a new build remakes the newest version's facts on its first call and publishes them under a new key", async () => {
    const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
    const keys = keyLayout(`test/${crypto.randomUUID()}/`);
    await runInDurableObject(stub, async (_entry: ConfigStoreObject, state) => {
      const before = new ConfigStoreObject(state, testEnv, build("r1"));
      before.seams.keys = keys;
      const put = await before.put({ config: routed });
      if (!put.ok) throw new Error(JSON.stringify(put));
      const old = await before.versionRef();
      expect(old?.facts).toBe(`${old?.key}.facts.r1`);

      // The same storage under the next build (a deploy restarts the object).
      const after = new ConfigStoreObject(state, testEnv, build("r2"));
      const puts: string[] = [];
      // Later than KV's one version-key write a second allows (the first build just wrote it).
      after.seams = { ...after.seams, keys, now: () => Date.now() + 5_000, kv: { put: (key, value) => (puts.push(key), testEnv.CONFIG_KV.put(key, value)) } };
      const ref = await after.versionRef();
      expect(ref).toEqual({ ...old, facts: `${old?.key}.facts.r2` });
      expect(puts).toEqual([`${old?.key}.facts.r2`, old?.key, keys.versionKey]);
      expect(JSON.parse((await testEnv.CONFIG_KV.get(`${old?.key}.facts.r2`)) ?? "null")).toEqual({ revision: "r2", sha256: old?.sha256 });
      expect(JSON.parse((await testEnv.CONFIG_KV.get(keys.versionKey)) ?? "null")).toEqual(ref);
      expect((await after.get(undefined, true))?.facts).toBe(JSON.stringify({ revision: "r2", sha256: old?.sha256 }));
      // Once per object: later calls publish nothing.
      await after.versionRef();
      await after.history();
      expect(puts).toHaveLength(3);
    });
  });

  it("an admission that makes no facts (no revision) never rewrites what is stored", async () => {
    const stub = testEnv.CONFIG_STORE.get(testEnv.CONFIG_STORE.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, async (_entry: ConfigStoreObject, state) => {
      const first = new ConfigStoreObject(state, testEnv, build("r1"));
      first.seams.keys = keyLayout(`test/${crypto.randomUUID()}/`);
      await first.put({ config: routed });
      const plain = new ConfigStoreObject(state, testEnv, { ...storeAdmission, revision: undefined });
      const puts: string[] = [];
      plain.seams = { ...plain.seams, keys: first.seams.keys, kv: { put: async (key) => void puts.push(key) } };
      expect((await plain.versionRef())?.facts).toBe(`${(await first.versionRef())?.key}.facts.r1`);
      expect(puts).toEqual([]);
    });
  });
});
