// A loopback JWKS server for the jwt tests (Node, started by global-setup.ts). Each test uses its
// own key, so files running side by side never share a key set or a counter:
//   PUT  /jwks/<key>?maxAge=N&status=S   sets the JWK set <key> serves (the body), its Cache-Control
//                                        max-age (none when absent) and its status (default 200)
//   GET  /jwks/<key>                     the set, counted
//   GET  /count/<key>                    {"fetches": n}: how many times /jwks/<key> was asked
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback, type Listening } from "../../../fixtures/loopback.ts";

export type JwksServer = Listening;

interface Served {
  body: string;
  maxAge: string | null;
  status: number;
  fetches: number;
}

const MAX_KEYS = 1_000;
const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error("body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function handle(sets: Map<string, Served>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://x");
  const [, kind, key = ""] = url.pathname.split("/");
  const served = sets.get(key);
  if (kind === "jwks" && req.method === "PUT") {
    if (!served && sets.size >= MAX_KEYS) return void res.writeHead(507).end();
    const body = await readBody(req);
    const status = Number(url.searchParams.get("status") ?? 200);
    sets.set(key, { body, maxAge: url.searchParams.get("maxAge"), status, fetches: served?.fetches ?? 0 });
    return void res.writeHead(204).end();
  }
  if (kind === "jwks" && served) {
    served.fetches++;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (served.maxAge !== null) headers["cache-control"] = `public, max-age=${served.maxAge}`;
    return void res.writeHead(served.status, headers).end(served.body);
  }
  if (kind === "count") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ fetches: served?.fetches ?? 0 }));
  res.writeHead(404).end();
}

export function startJwksServer(): Promise<JwksServer> {
  const sets = new Map<string, Served>();
  const server = createServer((req, res) => void handle(sets, req, res).catch(() => res.writeHead(500).end()));
  return listenOnLoopback(server);
}
