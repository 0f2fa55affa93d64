// `switchyard token create NAME --scope read,write` / `token list` / `token revoke NAME`: stored
// admin tokens over <base>/tokens (SWITCHYARD_TOKEN must be the ADMIN_TOKEN). A new token is
// printed once, alone on stdout, so `TOKEN=$(switchyard token create ci --scope read)` works.
import { SCOPES } from "../../providers/store/tokens.ts";
import { parse, required, UsageError, type Io } from "../io.ts";
import { client, CONNECTION } from "./remote.ts";

interface TokenRecord {
  readonly name: string;
  readonly scopes: string[];
  readonly createdAt: string;
}

export async function tokenCommand(args: string[], io: Io): Promise<number> {
  const [action, ...rest] = args;
  if (action === "create") return create(rest, io);
  if (action === "list") return list(rest, io);
  if (action === "revoke") return revoke(rest, io);
  throw new UsageError(`token needs create, list or revoke${action ? `, not "${action}"` : ""}`);
}

async function create(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION, scope: { type: "string" } }, 1);
  const name = required(positionals[0], "NAME");
  const scopes = required(values.scope, "--scope").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new UsageError(`unknown scope ${unknown.join(", ")}: --scope takes ${SCOPES.join(",")}`);
  const { body } = await client(values).call("POST", "/tokens", { body: JSON.stringify({ name, scopes }), headers: { "content-type": "application/json" } });
  const made = body as TokenRecord & { token: string };
  io.err(`created token '${made.name}' with scope ${made.scopes.join(",")}: it is shown this once, keep it now`);
  io.out(made.token);
  return 0;
}

async function list(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...CONNECTION, json: { type: "boolean" } });
  const { body } = await client(values).call("GET", "/tokens");
  const { tokens } = body as { tokens: TokenRecord[] };
  if (values.json) io.out(JSON.stringify(body, null, 2));
  else if (tokens.length === 0) io.out("no stored tokens (ADMIN_TOKEN, ADMIN_READ_TOKEN and METRICS_TOKEN are the Worker's own)");
  else for (const t of tokens) io.out(`${t.name.padEnd(24)}  ${t.scopes.join(",").padEnd(26)}  ${t.createdAt}`);
  return 0;
}

async function revoke(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...CONNECTION }, 1);
  const name = required(positionals[0], "NAME");
  await client(values).call("DELETE", `/tokens/${encodeURIComponent(name)}`);
  io.out(`revoked token '${name}'`);
  return 0;
}
