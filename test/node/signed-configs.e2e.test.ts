// Signed configs end to end (issue 18): wrangler dev with CONFIG_SIGNING_PUBLIC_KEY, the CLI
// pushing through the admin API and straight to KV. Signed versions go live; an unsigned push, a
// push signed with another key and a stray KV write are refused by the isolate (the last good keeps
// serving) and show in the fleet status with why; a rollback keeps its version's signature.
import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FleetStatus } from "../../providers/store/fleet.ts";
import { runCli as run } from "./helpers/cli.ts";
import { startAdminDev, type AdminDev } from "./helpers/admin-dev.ts";

/** The raw public key (base64url), as CONFIG_SIGNING_PUBLIC_KEY takes it. */
function rawPublicKey(key: KeyObject): string {
  return createPublicKey(key).export({ format: "jwk" }).x!;
}

const TOKEN = "signed-e2e-token";
const dir = mkdtempSync(join(tmpdir(), "switchyard-signed-e2e-"));
let e2e: AdminDev;

function keyFile(name: string) {
  const { privateKey } = generateKeyPairSync("ed25519");
  const path = join(dir, name);
  writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }));
  return { path, publicKey: rawPublicKey(privateKey) };
}
const ci = keyFile("ci.pem");
const stranger = keyFile("stranger.pem");

beforeAll(async () => {
  e2e = await startAdminDev("signed-e2e", TOKEN, { FLEET_REPORT_INTERVAL_MS: "500", CONFIG_SIGNING_PUBLIC_KEY: ci.publicKey });
});

afterAll(async () => {
  await e2e?.stop();
});

type IsolateStatus = { serving: { version: number; sha256: string } | null; lastError: { message: string; version: number | null } | null };

/** A config whose one router answers /app from whoami, tagged by `name` (a header it adds). */
function configFile(name: string): string {
  const path = join(dir, `${name}.yaml`);
  const yaml = `http:\n  routers:\n    app:\n      rule: "PathPrefix(\`/app\`)"\n      service: app\n      middlewares: [tag]\n  middlewares:\n    tag:\n      headers:\n        customResponseHeaders:\n          X-Config: "${name}"\n  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: "${e2e.whoami.url}"\n`;
  writeFileSync(path, yaml);
  return path;
}

const served = async () => (await fetch(`${e2e.dev.url}/app`, { signal: AbortSignal.timeout(10_000) })).headers.get("x-config");
const version = (out: string) => Number(/version (\d+)/.exec(out)?.[1]);

/** The isolate refuses `v` with `reason`, keeps serving `name`, and the fleet status lists the refusal. */
async function refused(v: number, reason: RegExp, name: string) {
  const status = await e2e.until(`version ${v} refused`, () => e2e.admin<IsolateStatus>("/status"), (s) => s.lastError?.version === v);
  expect(status.lastError!.message).toMatch(reason);
  expect(await served()).toBe(name);
  const fleet = await e2e.until(`version ${v} in the fleet status`, () => e2e.admin<FleetStatus>("/status/fleet"), (f) => f.refused.some((r) => r.version === v), 5_000);
  expect(fleet.refused.find((r) => r.version === v)!.reasons[0]!.message).toMatch(reason);
}

describe("signed configs over HTTP", () => {
  it("admin API: signed goes live; unsigned and another key's are refused and shown; a rollback keeps its signature", { timeout: 120_000 }, async () => {
    const signed = await run("push", configFile("one"), "--sign", ci.path, "--url", e2e.dev.url);
    expect(signed.code, signed.err).toBe(0);
    expect(signed.out).toMatch(/version 1 \(signed\)/);
    await e2e.until("version 1 live", () => e2e.admin<IsolateStatus>("/status"), (s) => s.serving?.version === 1);
    expect(await served()).toBe("one");

    const unsigned = await run("push", configFile("unsigned"), "--url", e2e.dev.url);
    expect(unsigned.code, unsigned.err).toBe(0); // the store takes it; the isolates do not
    await refused(version(unsigned.out), /^version 2: config version 2 refused: not signed/, "one");

    const foreign = await run("push", configFile("foreign"), "--sign", stranger.path, "--url", e2e.dev.url);
    expect(foreign.code, foreign.err).toBe(0);
    await refused(version(foreign.out), /config version 3 refused: bad signature/, "one");

    const back = await run("rollback", "1", "--url", e2e.dev.url);
    expect(back.code, back.err).toBe(0);
    await e2e.until("the rollback live", () => e2e.admin<IsolateStatus>("/status"), (s) => s.serving?.version === 4);
    expect(await served()).toBe("one");
    const history = await e2e.admin<{ version: number; signed?: boolean }[]>("/config/history");
    expect(history.map((r) => [r.version, r.signed === true])).toEqual([[4, true], [3, true], [2, false], [1, true]]);
  });

  // Two wrangler invocations (push --kv) take most of it.
  it("KV: a stray write is refused; push --kv --sign goes live", { timeout: 150_000 }, async () => {
    const stray = await run("push", configFile("stray"), "--kv", "--persist-to", e2e.dev.state!);
    expect(stray.code, stray.err).toBe(0);
    const strayVersion = version(/as version \d+/.exec(stray.out)![0]);
    await refused(strayVersion, new RegExp(`config version ${strayVersion} refused: not signed`), "one");

    const kv = await run("push", configFile("kv-signed"), "--kv", "--sign", ci.path, "--persist-to", e2e.dev.state!);
    expect(kv.code, kv.err).toBe(0);
    expect(kv.out).toMatch(/, signed\)/);
    await e2e.until("the signed KV version live", () => e2e.admin<IsolateStatus>("/status"), (s) => s.serving?.version === strayVersion + 1, 30_000);
    expect(await served()).toBe("kv-signed");
  });
});
