import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Four projects, the test tree mirroring the source tree:
// "unit" runs the pure code (go, rules, config, the watcher) in plain Node, in seconds;
// "workers" runs inside workerd everything that touches bindings, fetch or the runtime;
// "node" runs where a real process is needed (the CLI, wrangler dev end to end);
// "browser" drives the dashboard in a real Chromium against wrangler dev (skipped, loudly, without Chromium).
export default defineConfig({
  test: {
    // The router writes an access-log line per request (worker/observe); the tests that check them
    // spy on console.log, so they are not printed: the output stays readable.
    onConsoleLog: (log) => !log.startsWith('{"StartUTC"'),
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // Test settings: poll on every request, a known admin token, responses tagged with their version.
            miniflare: {
              bindings: { ADMIN_TOKEN: "test-admin-token", POLL_INTERVAL_MS: "0", VERSION_HEADER: "true" },
              // A second Worker reachable only through a service binding (binding://ECHO upstreams).
              serviceBindings: { ECHO: "echo-worker" },
              workers: [{ name: "echo-worker", modules: true, scriptPath: "./test/fixtures/echo-worker.js", compatibilityDate: "2026-11-01" }],
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/worker/global-setup.ts"],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 60_000,
          // wrangler dev's start (it builds the dashboard first) and Chromium's launch.
          hookTimeout: 150_000,
        },
      },
    ],
  },
});
