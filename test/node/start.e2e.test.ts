// The front door: `npm start` gives a router on 127.0.0.1:8787 whose demo config reaches a real
// whoami upstream.
import { afterAll, expect, it } from "vitest";
import { startProcess, waitUntilReady, type Running } from "./helpers/processes.ts";

let started: (Running & { child: import("node:child_process").ChildProcess }) | null = null;

afterAll(async () => {
  await started?.stop();
});

it("npm start serves /whoami through the router to the echoing upstream", async () => {
  started = startProcess("npm", ["start"]);
  await waitUntilReady("http://127.0.0.1:8787/whoami", started.child, started.output, 90_000);
  const res = await fetch("http://127.0.0.1:8787/whoami?hello=1", { headers: { "X-Demo": "yes" } });
  expect(res.status, started.output()).toBe(200);
  const echo = (await res.json()) as { name: string; method: string; url: string; headers: Record<string, string> };
  expect(echo).toMatchObject({ name: "whoami", method: "GET", url: "/whoami?hello=1" });
  expect(echo.headers["x-demo"]).toBe("yes");
  expect(echo.headers["x-forwarded-host"]).toBe("127.0.0.1:8787");
  expect(echo.headers["x-forwarded-for"]).toBeTruthy();
  expect((await fetch("http://127.0.0.1:8787/nothing")).status).toBe(404);
});

it("npm start prints the dashboard's URL once the router answers, and the page loads there", async () => {
  expect(started, "the first test starts npm start").not.toBeNull();
  const deadline = Date.now() + 30_000;
  while (!/dashboard: http:\/\/\S+/.test(started!.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const url = /dashboard: (http:\/\/\S+)/.exec(started!.output())?.[1];
  expect(url, started!.output()).toBe("http://127.0.0.1:8787/__switchyard/dashboard/");
  expect(started!.output()).toMatch(/ADMIN_TOKEN/);
  const page = await fetch(url!);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("<title>Switchyard dashboard</title>");
});
