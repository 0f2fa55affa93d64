// The jwt middleware's cost per verified request with a cached key, shared by bench/jwt.ts (Node)
// and bench/workerd/jwt-entry.ts (workerd): for ES256 and RS256 tokens, blocks of the middleware
// (token from the header, jose's jwtVerify, the headers of the upstream request) over a no-op next
// handler, on tokens it has not seen and on one it verified before, of jose's jwtVerify alone, and of crypto.subtle.verify of the same signature (the
// baseline: what no JWT code can go under), taking turns; the best block of each.
import { exportSPKI, generateKeyPair, importSPKI, jwtVerify, SignJWT } from "jose";
import { jwt } from "../worker/middlewares/jwt/index.ts";
import type { MiddlewareOptions } from "../worker/schema/middlewares.ts";
import type { RequestContext } from "../worker/services/types.ts";

export type Clock = () => number;
export interface CaseResult {
  readonly alg: string;
  /** Nanoseconds per verification: the middleware on tokens it has not seen (a full verification), on one it verified before (remembered), jose alone, crypto.subtle.verify alone. */
  readonly middleware: number;
  readonly remembered: number;
  readonly jose: number;
  readonly raw: number;
}

type ImportParams = Parameters<SubtleCrypto["importKey"]>[2];
type VerifyParams = Parameters<SubtleCrypto["verify"]>[0];

const PARAMS: Record<string, { key: ImportParams; verify: VerifyParams }> = {
  ES256: { key: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  RS256: { key: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
};

function fromB64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

async function prepare(alg: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const spki = await exportSPKI(publicKey);
  const sign = (jti: string) => new SignJWT({ sub: "bench", grp: "admin", jti }).setProtectedHeader({ alg, typ: "JWT" }).setIssuedAt().setExpirationTime("1h").sign(privateKey);
  const token = await sign("0");
  // More distinct tokens than the middleware remembers (1,024), taken in turn: each is a full verification.
  const fresh = await Promise.all(Array.from({ length: DISTINCT }, (_, i) => sign(String(i + 1))));
  const freshRequests = fresh.map((t) => new Request("https://bench.test/api", { headers: { authorization: `Bearer ${t}` } }));
  let next = 0;
  const options = { publicKey: spki, clockSkew: "0s", forwardHeaders: { "X-Group": "grp" } } as MiddlewareOptions<"jwt">;
  const built = jwt(options, { name: "bench", router: "r", service: () => null });
  if (typeof built === "string") throw new Error(built);
  const ok = new Response(null, { status: 204 });
  const handler = built(async () => ok);
  const request = new Request("https://bench.test/api", { headers: { authorization: `Bearer ${token}` } });
  const rc = { url: new URL(request.url), clientIP: null, waitUntil: () => {}, env: {} } as unknown as RequestContext;
  const key = await importSPKI(spki, alg);
  const [h, p, s] = token.split(".") as [string, string, string];
  const data = new TextEncoder().encode(`${h}.${p}`);
  const signature = fromB64url(s);
  const rawKey = await crypto.subtle.importKey("spki", fromB64url(spki.replace(/-----[A-Z ]+-----|\s/g, "").replace(/\+/g, "-").replace(/\//g, "_")), PARAMS[alg]!.key, false, ["verify"]);
  return {
    middleware: async () => {
      if ((await handler(freshRequests[next++ % DISTINCT]!, rc)).status !== 204) throw new Error("the bench token was refused");
    },
    remembered: async () => {
      if ((await handler(request, rc)).status !== 204) throw new Error("the bench token was refused");
    },
    jose: async () => void (await jwtVerify(token, key, { algorithms: [alg] })),
    raw: async () => {
      if (!(await crypto.subtle.verify(PARAMS[alg]!.verify, rawKey, signature, data))) throw new Error("raw verify failed");
    },
  };
}

const DISTINCT = 2048;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function block(run: () => Promise<void>, n: number, now: Clock): Promise<number> {
  await tick();
  const t0 = now();
  for (let i = 0; i < n; i++) await run();
  await tick();
  return ((now() - t0) * 1e6) / n;
}

/** Best-of-`rounds` ns per verification for each algorithm; `now` in milliseconds. */
export async function measureJwt(n: number, rounds: number, now: Clock): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const alg of ["ES256", "RS256"]) {
    const c = await prepare(alg);
    for (const run of [c.middleware, c.remembered, c.jose, c.raw]) await block(run, Math.min(n, 200), now); // warm up
    const best = { middleware: Infinity, remembered: Infinity, jose: Infinity, raw: Infinity };
    for (let r = 0; r < rounds; r++) {
      best.raw = Math.min(best.raw, await block(c.raw, n, now));
      best.jose = Math.min(best.jose, await block(c.jose, n, now));
      best.middleware = Math.min(best.middleware, await block(c.middleware, n, now));
      best.remembered = Math.min(best.remembered, await block(c.remembered, n, now));
    }
    out.push({ alg, ...best });
  }
  return out;
}
