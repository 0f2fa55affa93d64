// api@internal is guarded only by its router's middlewares (as in Traefik): basicAuth and
// ipAllowList in front of it must refuse strangers and serve the allowed.
import { describe, expect, it } from "vitest";
import { send, snapshotOf } from "../../helpers/serve.ts";

const APR1 = "$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"; // test/test (Traefik's own test vector)

const snap = snapshotOf({
  http: {
    routers: {
      dashboard: { rule: "Host(`traefik.test`) && PathPrefix(`/api`)", service: "api@internal", middlewares: ["admins"] },
      office: { rule: "Host(`office.test`) && PathPrefix(`/api`)", service: "api@internal", middlewares: ["office-ips"] },
    },
    middlewares: {
      admins: { basicAuth: { users: [`test:${APR1}`] } },
      "office-ips": { ipAllowList: { sourceRange: ["192.0.2.0/24"] } },
    },
  },
});

describe("api@internal behind access middlewares", () => {
  it("basicAuth: 401 without credentials or with wrong ones, the API with them", async () => {
    const none = await send(snap, "https://traefik.test/api/http/routers");
    expect(none.status).toBe(401);
    expect(await none.text()).toBe("401 Unauthorized\n");
    const wrong = await send(snap, "https://traefik.test/api/http/routers", { headers: { authorization: `Basic ${btoa("test:nope")}` } });
    expect(wrong.status).toBe(401);
    const ok = await send(snap, "https://traefik.test/api/http/routers", { headers: { authorization: `Basic ${btoa("test:test")}` } });
    expect(ok.status).toBe(200);
    const routers = (await ok.json()) as { name: string; service: string }[];
    expect(routers.map((r) => r.name).sort()).toEqual(["dashboard@file", "office@file"]);
    expect(routers.every((r) => r.service === "api@internal")).toBe(true);
  });

  it("ipAllowList: 403 from outside the range, the API from inside", async () => {
    const outside = await send(snap, "https://office.test/api/http/routers", { clientIP: "203.0.113.7" });
    expect([outside.status, await outside.text()]).toEqual([403, "Forbidden"]);
    const inside = await send(snap, "https://office.test/api/http/routers", { clientIP: "192.0.2.10" });
    expect(inside.status).toBe(200);
    expect(((await inside.json()) as unknown[]).length).toBe(2);
  });
});
