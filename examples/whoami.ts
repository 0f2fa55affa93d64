// A tiny Traefik-style whoami upstream: echoes the request it received (method, path, headers, body size).
// Used by `npm start` (demo upstream) and by the tests. Extra endpoints help test the proxy:
//   /status/{code}    answers that status
//   /slow?ms=N        waits N ms (bounded to 30 s) before answering
//   /stream?n=N&ms=M  streams N chunks M ms apart (server-sent events)
//   /cookies          sets two cookies
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Whoami {
  url: string;
  close(): Promise<void>;
}

export function startWhoami(opts: { port: number; host?: string; name?: string }): Promise<Whoami> {
  const name = opts.name ?? "whoami";
  const server = createServer((req, res) => void handle(name, req, res));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function handle(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://upstream");
  let bodyBytes = 0;
  for await (const chunk of req) bodyBytes += (chunk as Buffer).length;
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status) {
    res.writeHead(Number(status[1]), { "content-type": "text/plain" }).end(`status ${status[1]}\n`);
    return;
  }
  if (url.pathname === "/slow") {
    const ms = Math.min(Number(url.searchParams.get("ms") ?? 1000), 30_000);
    await new Promise((r) => setTimeout(r, ms));
  }
  if (url.pathname === "/stream") return stream(url, res);
  if (url.pathname === "/cookies") res.appendHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
  const echo = {
    name,
    method: req.method,
    url: req.url,
    path: url.pathname,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    bodyBytes,
  };
  res.writeHead(200, { "content-type": "application/json", "x-whoami": name });
  res.end(JSON.stringify(echo));
}

async function stream(url: URL, res: ServerResponse): Promise<void> {
  const n = Math.min(Number(url.searchParams.get("n") ?? 3), 100);
  const ms = Math.min(Number(url.searchParams.get("ms") ?? 100), 5_000);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (let i = 0; i < n; i++) {
    res.write(`data: ${i} ${Date.now()}\n\n`);
    await new Promise((r) => setTimeout(r, ms));
  }
  res.end();
}
