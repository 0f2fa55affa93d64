// A loopback upstream for the traffic middleware tests (Node, started by global-setup.ts). Each
// test uses its own key, so files running side by side never share a counter:
//   /flap/<key>?fail=N&status=S   the first N hits of <key> answer S (default 503), later ones 200
//   /hits/<key>                   {"hits": n}: how many times /flap/<key> was asked, with bodyBytes of the last
// Every answer reports the request body size it read, so a test can see what was (re)sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback, type Listening } from "../../../fixtures/loopback.ts";

export type FlapServer = Listening;

interface Seen {
  hits: number;
  lastBodyBytes: number;
}

const MAX_KEYS = 10_000;

export function startFlapServer(): Promise<FlapServer> {
  const seen = new Map<string, Seen>();
  const server = createServer((req, res) => void handle(seen, req, res));
  return listenOnLoopback(server);
}

async function handle(seen: Map<string, Seen>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://flap");
  let bodyBytes = 0;
  for await (const chunk of req) bodyBytes += (chunk as Buffer).length;
  const [, kind = "", key = ""] = url.pathname.split("/");
  if (kind === "hits") return json(res, 200, { hits: seen.get(key)?.hits ?? 0, lastBodyBytes: seen.get(key)?.lastBodyBytes ?? 0 });
  if (kind !== "flap" || key === "") return json(res, 404, { error: "use /flap/<key> or /hits/<key>" });
  if (!seen.has(key) && seen.size >= MAX_KEYS) seen.clear();
  const entry = seen.get(key) ?? { hits: 0, lastBodyBytes: 0 };
  entry.hits++;
  entry.lastBodyBytes = bodyBytes;
  seen.set(key, entry);
  const failures = Number(url.searchParams.get("fail") ?? 0);
  const status = entry.hits <= failures ? Number(url.searchParams.get("status") ?? 503) : 200;
  json(res, status, { key, hit: entry.hits, bodyBytes, contentLength: req.headers["content-length"] ?? null });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
