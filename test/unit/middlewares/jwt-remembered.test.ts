// The jwt middleware's memory of verified tokens (worker/middlewares/jwt/verified-tokens.ts): a
// token verified once is not verified again until its exp or TOKEN_MEMORY_MS; failures and tokens
// not valid yet are never remembered; the memory is bounded.
import type { JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import type { Verify } from "../../../worker/middlewares/jwt/keys.ts";
import { remembering, TOKEN_MEMORY_MS } from "../../../worker/middlewares/jwt/verified-tokens.ts";
import type { RequestContext } from "../../../worker/services/types.ts";

const rc = {} as RequestContext;

function counting(payloadOf: (token: string) => JWTPayload | Error) {
  const calls: string[] = [];
  const verify: Verify = async (token) => {
    calls.push(token);
    const p = payloadOf(token);
    if (p instanceof Error) throw p;
    return p;
  };
  return { verify, calls };
}

describe("remembered tokens", () => {
  it("verifies a token once, then answers from memory until TOKEN_MEMORY_MS", async () => {
    const clock = { t: 1_000_000_000 };
    const { verify, calls } = counting(() => ({ sub: "a", exp: clock.t / 1000 + 3600 }));
    const v = remembering(verify, 0, () => clock.t);
    for (let i = 0; i < 100; i++) expect((await v("t1", rc, {})).sub).toBe("a");
    expect(calls).toEqual(["t1"]);
    clock.t += TOKEN_MEMORY_MS;
    await v("t1", rc, {});
    expect(calls).toEqual(["t1", "t1"]);
  });

  it("never past exp (plus the skew): then the full verification answers (and refuses)", async () => {
    const clock = { t: 1_000_000_000 };
    const exp = clock.t / 1000 + 10;
    const { verify, calls } = counting(() => (clock.t / 1000 >= exp + 5 ? new Error("expired") : { exp }));
    const v = remembering(verify, 5, () => clock.t);
    await v("t", rc, {});
    clock.t += 14_000;
    await v("t", rc, {});
    expect(calls.length).toBe(1);
    clock.t += 1_000;
    await expect(v("t", rc, {})).rejects.toThrow("expired");
    await expect(v("t", rc, {})).rejects.toThrow("expired");
    expect(calls.length).toBe(3);
  });

  it("does not remember failures, or tokens not valid yet (nbf or iat ahead, within the skew)", async () => {
    const clock = { t: 1_000_000_000 };
    const { verify, calls } = counting((t) => (t === "bad" ? new Error("bad signature") : { nbf: clock.t / 1000 + 3 }));
    const v = remembering(verify, 10, () => clock.t);
    for (let i = 0; i < 3; i++) await expect(v("bad", rc, {})).rejects.toThrow();
    await v("early", rc, {});
    await v("early", rc, {});
    expect(calls).toEqual(["bad", "bad", "bad", "early", "early"]);
  });

  it("keeps at most 1,024 tokens, the oldest going first", async () => {
    const { verify, calls } = counting(() => ({}));
    const v = remembering(verify, 0);
    for (let i = 0; i <= 1024; i++) await v(`t${i}`, rc, {});
    await v("t1024", rc, {});
    expect(calls.length).toBe(1025);
    await v("t0", rc, {});
    expect(calls.length).toBe(1026);
  });
});
