// `npm start`: the demo upstream (whoami on 127.0.0.1:8788) plus the router under `wrangler dev`
// on http://127.0.0.1:8787 (wrangler builds the dashboard first: wrangler.toml [build]). Extra
// arguments go to wrangler (e.g. `npm start -- --var ADMIN_TOKEN:x`). Once the router answers, it
// prints the dashboard's URL and how to sign in.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { startWhoami } from "../examples/whoami.ts";
import { dashboardInfo, readDevVars } from "./start-info.ts";

const WHOAMI_PORT = Number(process.env.WHOAMI_PORT ?? 8788);
const READY_TIMEOUT_MS = 120_000;

const whoami = await startWhoami({ port: WHOAMI_PORT, name: "whoami" }).catch((err: Error) => {
  console.error(`cannot start the demo upstream on 127.0.0.1:${WHOAMI_PORT}: ${err.message}`);
  process.exit(1);
});
console.log(`demo upstream (whoami) on ${whoami.url}`);

const args = process.argv.slice(2);
const wrangler = spawn("wrangler", ["dev", ...args], { stdio: "inherit" });
const stop = () => wrangler.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", async (code) => {
  await whoami.close();
  process.exit(code ?? 0);
});

const devVars = await readFile(".dev.vars", "utf8").then(readDevVars, () => ({}));
const info = dashboardInfo(args, devVars, await readFile("wrangler.toml", "utf8"));
void announce(info.url, info.signIn);

/** Prints the dashboard's address once it answers (bounded: silent if wrangler never gets ready). */
async function announce(url: string, signIn: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && wrangler.exitCode === null) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) {
        console.log(`\ndashboard: ${url}\n${signIn}\n`);
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
