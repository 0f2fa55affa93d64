import { env } from "cloudflare:test";
import { expect, it } from "vitest";

it("the test setup has a second Worker behind the ECHO service binding", async () => {
  const echo = (env as unknown as { ECHO: Fetcher }).ECHO;
  const res = await echo.fetch("http://echo/hello?x=1", { method: "POST", body: "abc" });
  expect(await res.json()).toMatchObject({ name: "echo-worker", method: "POST", url: "/hello?x=1", bodyBytes: 3 });
});
