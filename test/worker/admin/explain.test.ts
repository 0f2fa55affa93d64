// POST <base>/explain with "detail": true through the Worker: every router in evaluation order
// with its priority, rule, whether it matched and the part of its rule that failed, over the
// isolate's lazy muxer (a config loaded from the store's load facts); capped with `truncated`.
import { beforeAll, describe, expect, it } from "vitest";
import { adminFetch, publish } from "../helpers/admin.ts";

const svc = { loadBalancer: { servers: [{ url: "http://127.0.0.1:9" }] } };

beforeAll(async () => {
  const extra = Object.fromEntries(Array.from({ length: 205 }, (_, i) => [`bulk-${i}`, { rule: `Host(\`bulk${i}.test\`)`, service: "svc" }]));
  await publish({
    http: {
      routers: {
        api: { rule: "Host(`x.test`) && PathPrefix(`/api`)", service: "svc" },
        beta: { rule: "Host(`x.test`) && PathPrefix(`/api`) && Header(`X-Beta`, `1`)", service: "svc", priority: 1000 },
        "not-admin": { rule: "Host(`x.test`) && !PathPrefix(`/api`)", service: "svc", priority: 999 },
        either: { rule: "Host(`y.test`) || Host(`z.test`)", service: "svc", priority: 998 },
        ...extra,
      },
      services: { svc },
    },
  }, "/");
});

type Entry = { router: string; priority: number; rule: string; matched: boolean; failed?: string; saw?: string };
type Answer = { router: string | null; routers?: Entry[]; truncated?: boolean };

async function explain(body: unknown): Promise<{ status: number; body: Answer & { error?: string } }> {
  const res = await adminFetch("/explain", { method: "POST", body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Answer & { error?: string } };
}

describe("POST <base>/explain with detail", () => {
  it("the isolate serves this config from its load facts (the lazy muxer)", async () => {
    const status = (await (await adminFetch("/status")).json()) as { serving: { load?: string } };
    expect(status.serving.load).toBe("facts");
  });

  it("lists routers in evaluation order with what failed; capped at 200 with truncated", async () => {
    const { status, body } = await explain({ method: "GET", url: "https://x.test/api/users", headers: { "X-Beta": "0" }, detail: true });
    expect(status).toBe(200);
    expect(body.router).toBe("api");
    expect(body.routers).toHaveLength(200);
    expect(body.truncated).toBe(true);
    const [beta, notAdmin, either] = body.routers!;
    expect(beta).toEqual({ router: "beta", priority: 1000, rule: "Host(`x.test`) && PathPrefix(`/api`) && Header(`X-Beta`, `1`)", matched: false, failed: "Header(`X-Beta`, `1`)", saw: 'header x-beta: "0"' });
    expect(notAdmin).toMatchObject({ router: "not-admin", matched: false, failed: "!PathPrefix(`/api`)" });
    expect(notAdmin).not.toHaveProperty("saw");
    expect(either).toMatchObject({ router: "either", matched: false, failed: "Host(`y.test`) || Host(`z.test`)" });
    const api = body.routers!.find((r) => r.router === "api");
    expect(api).toEqual({ router: "api", priority: "Host(`x.test`) && PathPrefix(`/api`)".length, rule: "Host(`x.test`) && PathPrefix(`/api`)", matched: true });
    // Evaluation order is priority order.
    const priorities = body.routers!.map((r) => r.priority);
    expect([...priorities].sort((a, b) => b - a)).toEqual(priorities);
  });

  it("without detail the answer is today's; a list takes detail per request; a bad detail is 400", async () => {
    const plain = await explain({ url: "https://x.test/api" });
    expect(plain.body).toEqual({ version: expect.any(Number), router: "api", priority: expect.any(Number), rule: "Host(`x.test`) && PathPrefix(`/api`)" });
    const many = (await adminFetch("/explain", { method: "POST", body: JSON.stringify([{ url: "https://y.test/", detail: true }, { url: "https://y.test/" }]) }).then((r) => r.json())) as { results: Answer[] };
    expect(many.results[0]!.router).toBe("either");
    expect(many.results[0]!.routers![2]).toMatchObject({ router: "either", matched: true });
    expect(many.results[1]).not.toHaveProperty("routers");
    const bad = await explain({ url: "https://x.test/", detail: "yes" });
    expect([bad.status, bad.body.error]).toEqual([400, '"detail" must be true or false']);
  });
});
