// The fleet status end to end: wrangler dev, traffic, a version the isolate refuses (published
// straight to KV by `push --kv` validated with another rule syntax than the Worker's), then
// GET <base>/status/fleet and `switchyard status` against it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as run } from "./helpers/cli.ts";
import type { FleetStatus } from "../../providers/store/fleet.ts";
import { startAdminDev, type AdminDev } from "./helpers/admin-dev.ts";

const TOKEN = "fleet-e2e-token";
const REPORT_INTERVAL_MS = 1_000;
let e2e: AdminDev;
const dir = mkdtempSync(join(tmpdir(), "switchyard-fleet-e2e-"));

beforeAll(async () => {
  e2e = await startAdminDev("fleet-e2e", TOKEN, { FLEET_REPORT_INTERVAL_MS: String(REPORT_INTERVAL_MS) });
});

afterAll(async () => {
  await e2e?.stop();
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

type IsolateStatus = { isolate: string; serving: { version: number; sha256: string } | null; lastError: { at: number; message: string; version: number | null } | null };

describe("fleet status over HTTP", () => {
  // Two wrangler invocations (push --kv) take most of it: 30 to 40 s on this machine, more under load.
  it("after traffic: the version served, then a refused version within one report interval, and switchyard status", { timeout: 120_000 }, async () => {
    const good = file("good.yaml", `http:\n  routers:\n    app:\n      rule: "PathPrefix(\`/app\`)"\n      service: app\n  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: "${e2e.whoami.url}"\n`);
    expect((await run("push", good, "--url", e2e.dev.url)).code).toBe(0);
    const served = await e2e.until("version 1 served and reported", () => e2e.admin<FleetStatus>("/status/fleet"), (f) => f.versions.some((v) => v.version === 1));
    expect(served).toMatchObject({ storeVersion: 1, isolates: 1, notServing: 0, refused: [], errors: [], notHeardFrom: { isolates: 0, list: [] } });

    // Valid in v2 (two hosts in one Host), refused by the Worker, which reads rules as v3.
    const v2 = file("v2.yaml", `http:\n  routers:\n    app:\n      rule: "Host(\`a.test\`, \`b.test\`)"\n      service: app\n  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: "${e2e.whoami.url}"\n`);
    const pushed = await run("push", v2, "--kv", "--persist-to", e2e.dev.state!, "--default-rule-syntax", "v2");
    expect(pushed.code, pushed.err).toBe(0);
    const refusedVersion = Number(/as version (\d+)/.exec(pushed.out)?.[1]);
    const status = await e2e.until("the isolate refuses it", () => e2e.admin<IsolateStatus>("/status"), (s) => s.lastError?.version === refusedVersion);
    const seen = Date.now();
    const fleet = await e2e.until("the refusal in the fleet status", () => e2e.admin<FleetStatus>("/status/fleet"), (f) => f.refused.length > 0, REPORT_INTERVAL_MS * 5);
    const visibleAfterMs = Date.now() - seen;
    expect(visibleAfterMs).toBeLessThan(REPORT_INTERVAL_MS);

    const colo = served.versions[0]!.colos[0]!;
    expect(fleet).toEqual({
      at: fleet.at,
      storeVersion: 1,
      isolates: 1,
      notServing: 0,
      versions: [{ version: 1, sha256: status.serving!.sha256, isolates: 1, colos: [colo], since: served.versions[0]!.since }],
      oldest: { version: 1, sha256: status.serving!.sha256, isolates: 1, colos: [colo], since: served.versions[0]!.since, supersededAt: null },
      refused: [{
        version: refusedVersion,
        isolates: 1,
        reasons: [{ message: status.lastError!.message, paths: ["http.routers.app.rule"], isolates: 1, colos: [colo], isolateIds: [status.isolate] }],
      }],
      errors: [],
      notHeardFrom: { isolates: 0, list: [] },
    });
    expect(status.lastError!.message).toMatch(new RegExp(`^config version ${refusedVersion} rejected: http\\.routers\\.app\\.rule: `));

    const human = await run("status", "--url", e2e.dev.url);
    expect(human.code, human.err).toBe(0);
    const lines = human.out.split("\n");
    expect(lines[0]).toMatch(/^config store: version 1 \(as of \d{4}-\d\d-\d\dT[\d:.]+Z\)$/);
    expect(lines.slice(1)).toEqual([
      "isolates heard from: 1",
      "versions served:",
      `  version 1  ${status.serving!.sha256.slice(0, 12)}  1 isolate in ${colo}, since ${served.versions[0]!.since}`,
      "refused:",
      `  version ${refusedVersion}: 1 isolate`,
      `    ${status.lastError!.message}`,
      `      at http.routers.app.rule; 1 isolate in ${colo}: ${status.isolate}`,
      "not heard from: none",
    ]);
    const json = await run("status", "--json", "--url", e2e.dev.url);
    expect(json.code).toBe(0);
    expect({ ...(JSON.parse(json.out) as FleetStatus), at: fleet.at }).toEqual(fleet);
    console.log(`fleet e2e: refusal visible in /status/fleet ${visibleAfterMs} ms after /status showed it (colo ${colo})`);
  });
});
