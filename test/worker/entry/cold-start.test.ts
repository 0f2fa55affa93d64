// A fresh isolate with nothing in KV serves the bundled default config (examples/demo.yaml).
import { SELF } from "cloudflare:test";
import { expect, it } from "vitest";
import { adminFetch } from "../helpers/admin.ts";

it("serves the bundled default config when nothing is published", async () => {
  const res = await SELF.fetch("http://127.0.0.1:8787/whoami");
  await res.arrayBuffer();
  expect(res.headers.get("x-switchyard-router")).toBe("whoami");
  expect(res.headers.get("x-switchyard-version")).toBe("0");
  const status = (await (await adminFetch("/status")).json()) as { serving: { version: number; provider: string } };
  expect(status.serving).toMatchObject({ version: 0, provider: "file" });
  expect((await SELF.fetch("http://127.0.0.1:8787/nothing-here")).status).toBe(404);
});
