// Signed configs and a cold isolate, over HTTP: two isolates of the real bundle sharing one config
// store and KV, both with CONFIG_SIGNING_PUBLIC_KEY. Isolate a serves a signed version; then an
// unsigned one is pushed. a (warm) keeps what it serves; b, which has served nothing yet, must not
// be left with nothing: it serves the store's newest signed version instead, and says why.
import { createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWhoami, type Whoami } from "../../examples/whoami.ts";
import { signedMessage } from "../../providers/store/signature.ts";
import { pollUntil, startTwoIsolates, type TwoIsolates } from "./helpers/two-isolates.ts";

const TOKEN = "signed-cold-token";
const { privateKey } = generateKeyPairSync("ed25519");
let isolates: TwoIsolates | null = null;
let whoami: Whoami | null = null;

type Status = { serving: { version: number } | null; lastError: { message: string; version: number | null } | null };
const status = async (host: string) => JSON.parse((await isolates!.call(host, "/__switchyard/status", { headers: { authorization: `Bearer ${TOKEN}` } })).body) as Status;
const tag = async (host: string) => (await isolates!.call(host, "/app")).headers["x-config"];

function config(name: string) {
  return { http: { routers: { app: { rule: "PathPrefix(`/app`)", service: "app", middlewares: ["tag"] } }, middlewares: { tag: { headers: { customResponseHeaders: { "X-Config": name } } } }, services: { app: { loadBalancer: { servers: [{ url: whoami!.url }] } } } } };
}

/** PUT through a's admin API, signed over the sha256 the store reports in a validate first. */
async function put(name: string, signed: boolean): Promise<number> {
  const body = JSON.stringify(config(name));
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  if (signed) {
    const check = JSON.parse((await isolates!.call("a.test", "/__switchyard/config/validate", { method: "POST", headers, body })).body) as { sha256: string };
    headers["x-switchyard-signature"] = sign(null, signedMessage(check.sha256), privateKey).toString("base64url");
  }
  const res = await isolates!.call("a.test", "/__switchyard/config", { method: "PUT", headers, body });
  expect(res.status, res.body).toBe(200);
  return (JSON.parse(res.body) as { version: number }).version;
}

beforeAll(async () => {
  whoami = await startWhoami({ port: 0, name: "signed-cold" });
  const publicKey = createPublicKey(privateKey).export({ format: "jwk" }).x!;
  isolates = await startTwoIsolates({ ADMIN_TOKEN: TOKEN, POLL_INTERVAL_MS: "0", CONFIG_SIGNING_PUBLIC_KEY: publicKey });
}, 90_000);

afterAll(async () => {
  await isolates?.dispose();
  await whoami?.close();
});

describe("signed configs, a cold isolate", () => {
  it("handed a refused newest version, serves the newest signed one and reports the refusal", { timeout: 60_000 }, async () => {
    const v1 = await put("signed", true);
    expect((await pollUntil(() => status("a.test"), (s) => s.serving?.version === v1, 15_000)).serving?.version).toBe(v1);
    const v2 = await put("unsigned", false);
    const warm = await pollUntil(() => status("a.test"), (s) => s.lastError?.version === v2, 15_000);
    expect(warm.lastError?.message).toMatch(/refused: not signed/);
    expect(await tag("a.test")).toBe("signed");

    // b's first request: a cold isolate.
    expect(await tag("b.test")).toBe("signed");
    const cold = await pollUntil(() => status("b.test"), (s) => s.lastError?.version === v2, 15_000);
    expect(cold.serving?.version).toBe(v1);
    expect(cold.lastError?.message).toMatch(new RegExp(`refused: (not signed.*; serving version ${v1}, the newest signed one, instead|not signed)`));
  });
});
