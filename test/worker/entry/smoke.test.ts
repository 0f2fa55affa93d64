import { inject, it, expect } from "vitest";
it("reaches the loopback upstream from workerd", async () => {
  const res = await fetch(inject("whoamiUrl") + "/hello");
  expect(res.status).toBe(200);
  const body = (await res.json()) as { path: string };
  expect(body.path).toBe("/hello");
});
