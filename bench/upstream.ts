// The loopback upstream for bench/proxy.ts, run as its own process: answers every request at once
// with "ok" and echoes what the proxy changed (path, one request header, forwarded headers) so the
// bench can check that the middleware chain ran. Prints {"port": N} once listening, and exits when
// its stdin closes, so it never outlives the bench, whatever way the bench ends.
import { createServer } from "node:http";

const server = createServer((req, res) => {
  res.writeHead(200, {
    "content-type": "text/plain",
    "content-length": "2",
    "x-seen-path": req.url ?? "",
    "x-seen-bench": String(req.headers["x-bench-config"] ?? ""),
    "x-seen-forwarded": req.headers["x-forwarded-host"] === undefined ? "no" : "yes",
  });
  res.end("ok");
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }) + "\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
process.stdin.resume();
