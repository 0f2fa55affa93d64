// Runs in Node before the workerd tests: builds the dashboard if it is not, starts a real whoami upstream on loopback, and the named
// upstreams the services tests use (test/fixtures/upstream.ts). Every server is closed on teardown.
import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildDashboard, DIST } from "../../dashboard/build.mjs";
import { startWhoami } from "../../examples/whoami.ts";
import { startUpstream, type Upstream } from "../fixtures/upstream.ts";
import { startFlapServer } from "./middlewares/traffic/flap-server.ts";

/** Named loopback upstreams: s1..s3 answer at once, `slow` waits 150 ms per request, the rest are
 *  dedicated to one test file each (health flips, mirrors) so parallel files never share state. */
export const UPSTREAMS = ["s1", "s2", "s3", "slow", "flap1", "flap2", "flap3", "mirror", "main", "backup"] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

declare module "vitest" {
  export interface ProvidedContext {
    whoamiUrl: string;
    upstreams: Record<UpstreamName, string>;
    /** The traffic middleware tests' counting upstream (mw-traffic-flap-server.ts). */
    trafficFlapUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // The dashboard's files are the assets binding's (wrangler.toml [assets]); npm install builds
  // them, a checkout that skipped it gets them here.
  if (!existsSync(`${DIST}index.html`)) await buildDashboard();
  const server = await startWhoami({ port: 0, name: "test-whoami" });
  project.provide("whoamiUrl", server.url);
  const started: Upstream[] = await Promise.all(UPSTREAMS.map((name) => startUpstream(name, { delayMs: name === "slow" ? 150 : 0 })));
  project.provide("upstreams", Object.fromEntries(started.map((u) => [u.name, u.url])) as Record<UpstreamName, string>);
  const flap = await startFlapServer();
  project.provide("trafficFlapUrl", flap.url);
  return async () => {
    await Promise.all([server.close(), flap.close(), ...started.map((u) => u.close())]);
  };
}
