// `npm start`: the demo upstream (whoami on 127.0.0.1:8788) plus the router under `wrangler dev`
// on http://127.0.0.1:8787. Extra arguments go to wrangler (e.g. `npm start -- --var ADMIN_TOKEN:x`).
import { spawn } from "node:child_process";
import { startWhoami } from "../examples/whoami.ts";

const WHOAMI_PORT = Number(process.env.WHOAMI_PORT ?? 8788);

const whoami = await startWhoami({ port: WHOAMI_PORT, name: "whoami" }).catch((err: Error) => {
  console.error(`cannot start the demo upstream on 127.0.0.1:${WHOAMI_PORT}: ${err.message}`);
  process.exit(1);
});
console.log(`demo upstream (whoami) on ${whoami.url}`);

const wrangler = spawn("wrangler", ["dev", ...process.argv.slice(2)], { stdio: "inherit" });
const stop = () => wrangler.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", async (code) => {
  await whoami.close();
  process.exit(code ?? 0);
});
