// Dynamic configuration end to end: `wrangler dev` (workerd, local KV and Durable Object) with a
// real upstream, driven over HTTP like a user would.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";
import { startWranglerDev, type Running } from "./helpers/processes.ts";

const TOKEN = "e2e-secret-token";
const POLL_MS = 200;
let dev: Running;
let whoami: Whoami;

beforeAll(async () => {
  whoami = await startWhoami({ port: 0, name: "e2e" });
  dev = await startWranglerDev({
    vars: { ADMIN_TOKEN: TOKEN, POLL_INTERVAL_MS: String(POLL_MS), VERSION_HEADER: "true" },
    readyPath: "/__switchyard/status",
  });
});

afterAll(async () => {
  await dev?.stop();
  await whoami?.close();
});

const auth = { authorization: `Bearer ${TOKEN}` };

function configFor(n: number) {
  return {
    http: {
      routers: { [`r-${n}`]: { rule: "PathPrefix(`/load`)", service: `s-${n}` } },
      services: { [`s-${n}`]: { loadBalancer: { servers: [{ url: `${whoami.url}/v${n}`, preservePath: true }] } } },
    },
  };
}

async function put(config: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${dev.url}/__switchyard/config`, {
    method: "PUT",
    headers: { ...auth, "content-type": "application/json", ...headers },
    body: JSON.stringify(config),
  });
  return { status: res.status, body: (await res.json()) as { version: number; errors?: { path: string }[] } };
}

async function servedVersion(): Promise<number> {
  const res = await fetch(`${dev.url}/load/probe`);
  await res.arrayBuffer();
  return Number(res.headers.get("x-switchyard-version"));
}

describe("a fresh router", () => {
  it("serves the bundled default config before anything is published", async () => {
    const res = await fetch(`${dev.url}/whoami`);
    await res.arrayBuffer();
    expect(res.headers.get("x-switchyard-router")).toBe("whoami");
    expect(res.headers.get("x-switchyard-version")).toBe("0");
  });

  it("refuses admin calls without the right token", async () => {
    const url = `${dev.url}/__switchyard/config`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong-token-same-len" } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer x" } })).status).toBe(401);
    expect((await fetch(`${url}?token=${TOKEN}`)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` } })).status).toBe(401);
  });

  it("rejects an invalid config with paths and keeps serving", async () => {
    const { status, body } = await put({ http: { routers: { bad: { rule: "Host(`x`", service: "nope" } } } });
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.path)).toContain("http.routers.bad.rule");
    const res = await fetch(`${dev.url}/whoami`);
    await res.arrayBuffer();
    expect(res.headers.get("x-switchyard-router")).toBe("whoami");
  });
});

describe("propagation", () => {
  it("a write is served within one poll interval", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1_100)); // KV allows one version-key write a second
      const { status, body } = await put(configFor(1000 + i));
      expect(status).toBe(200);
      const start = Date.now();
      while ((await servedVersion()) !== body.version) {
        expect(Date.now() - start).toBeLessThan(POLL_MS + 1_000);
        await new Promise((r) => setTimeout(r, 5));
      }
      delays.push(Date.now() - start);
    }
    console.log(`propagation delays (ms, poll interval ${POLL_MS}): ${delays.join(", ")}`);
  });
});

describe("swap under load", () => {
  it("2,000 requests while the config changes 100 times: none fails, each wholly from one version", async () => {
    const first = await put(configFor(0));
    const nOf = new Map<number, number>([[first.body.version, 0]]);
    while ((await servedVersion()) !== first.body.version) await new Promise((r) => setTimeout(r, 20));

    let stop = false;
    const writer = (async () => {
      for (let n = 1; n <= 100 && !stop; n++) {
        const { status, body } = await put(configFor(n));
        expect(status).toBe(200);
        nOf.set(body.version, n);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    const seen: { status: number; version: number; router: string | null; url: string | undefined }[] = [];
    let issued = 0;
    const worker = async () => {
      while (issued < 2_000) {
        issued++;
        const res = await fetch(`${dev.url}/load/x`, { signal: AbortSignal.timeout(10_000) });
        const body = (await res.json().catch(() => null)) as { url?: string } | null;
        seen.push({ status: res.status, version: Number(res.headers.get("x-switchyard-version")), router: res.headers.get("x-switchyard-router"), url: body?.url });
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, worker));
    const elapsed = Date.now() - started;
    stop = true;
    await writer;
    // Judged after the writer is done, so every version's config number is known.
    const results = { ok: 0, failed: 0, mixed: 0, versions: new Set(seen.map((r) => r.version)) };
    for (const r of seen) {
      const n = nOf.get(r.version);
      if (r.status !== 200 || !r.url) results.failed++;
      else if (n === undefined || r.router !== `r-${n}` || !r.url.startsWith(`/v${n}/`)) results.mixed++;
      else results.ok++;
    }
    console.log(`swap under load: ${results.ok} ok, ${results.failed} failed, ${results.mixed} mixed, ${results.versions.size} versions served, ${elapsed} ms`);
    expect(results.failed).toBe(0);
    expect(results.mixed).toBe(0);
    expect(results.ok).toBe(2_000);
    expect(results.versions.size).toBeGreaterThan(1);
  });
});
