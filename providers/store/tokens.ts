// Stored admin tokens (issue 18): a name, its scopes and the SHA-256 of the token, never the token
// itself. The tokens are 256-bit random strings made by the admin API, so a fast unsalted hash is
// enough: nothing can be guessed from it (no dictionary to try, 2^256 to search), and a lookup is
// an indexed equality on the hash, one row per request at most.

/** A problem with a token's fields: config-store-api's StoreIssue shape (not imported: that file imports this one). */
export interface TokenIssue {
  path: string;
  message: string;
  severity: "error";
}

/** What a token may do (docs/safe-changes.md, "Scoped tokens"). */
export const SCOPES = ["read", "write", "rollback", "metrics"] as const;
export type Scope = (typeof SCOPES)[number];

/** The names the Worker's own tokens (ADMIN_TOKEN, ADMIN_READ_TOKEN, METRICS_TOKEN) carry in history. */
export const RESERVED_TOKEN_NAMES = ["admin", "read-only", "metrics"] as const;

/** How many stored tokens the store keeps at most (admin traffic is a few CI jobs and people). */
export const MAX_TOKENS = 200;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HASH = /^[0-9a-f]{64}$/;

export interface TokenRecord {
  readonly name: string;
  readonly scopes: Scope[];
  /** ISO 8601. */
  readonly createdAt: string;
}

export interface NewToken {
  readonly name: string;
  readonly scopes: readonly string[];
  /** Lower-case hex SHA-256 of the token. */
  readonly hash: string;
}

export type CreateTokenResult =
  | { ok: true; token: TokenRecord }
  | { ok: false; status: 400; errors: TokenIssue[] }
  | { ok: false; status: 409; message: string };

export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && (SCOPES as readonly string[]).includes(value);
}

/** Every problem with a new token's fields (the admin API checks first; any other caller of the RPC may not). */
export function tokenIssues(token: { name?: unknown; scopes?: unknown; hash?: unknown }): TokenIssue[] {
  const issues: TokenIssue[] = [];
  const error = (path: string, message: string) => issues.push({ path, message, severity: "error" });
  if (typeof token.name !== "string" || !NAME.test(token.name)) {
    error("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  } else if ((RESERVED_TOKEN_NAMES as readonly string[]).includes(token.name)) {
    error("name", `"${token.name}" is the name of one of the Worker's own tokens (${RESERVED_TOKEN_NAMES.join(", ")})`);
  }
  if (!Array.isArray(token.scopes) || token.scopes.length === 0) error("scopes", `must be a non-empty list of ${SCOPES.join(", ")}`);
  else token.scopes.forEach((s, i) => isScope(s) || error(`scopes[${i}]`, `unknown scope ${JSON.stringify(s)}: one of ${SCOPES.join(", ")}`));
  if ("hash" in token && (typeof token.hash !== "string" || !HASH.test(token.hash))) error("hash", "must be a lower-case hex SHA-256");
  return issues;
}

/** The scopes in their canonical order, each once. */
export function normalScopes(scopes: readonly string[]): Scope[] {
  return SCOPES.filter((s) => scopes.includes(s));
}

type TokenRow = { name: string; scopes: string; created_at: string };

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS tokens (
     name       TEXT PRIMARY KEY,
     hash       TEXT NOT NULL UNIQUE,
     scopes     TEXT NOT NULL,
     created_at TEXT NOT NULL
   )`,
];

export class TokensTable {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    for (const statement of SCHEMA) sql.exec(statement);
  }

  create(token: NewToken, createdAt: string): CreateTokenResult {
    const issues = tokenIssues(token);
    if (issues.length > 0) return { ok: false, status: 400, errors: issues };
    if (this.byName(token.name)) return { ok: false, status: 409, message: `a token named '${token.name}' exists: revoke it first` };
    if (this.count() >= MAX_TOKENS) return { ok: false, status: 409, message: `${MAX_TOKENS} tokens are stored already: revoke some first` };
    const scopes = normalScopes(token.scopes);
    this.sql.exec("INSERT INTO tokens (name, hash, scopes, created_at) VALUES (?, ?, ?, ?)", token.name, token.hash, scopes.join(","), createdAt);
    return { ok: true, token: { name: token.name, scopes, createdAt } };
  }

  list(): TokenRecord[] {
    return this.sql.exec<TokenRow>("SELECT name, scopes, created_at FROM tokens ORDER BY name").toArray().map(toRecord);
  }

  byHash(hash: string): TokenRecord | null {
    const row = this.sql.exec<TokenRow>("SELECT name, scopes, created_at FROM tokens WHERE hash = ?", hash).toArray()[0];
    return row ? toRecord(row) : null;
  }

  /** True when a token of that name was there. */
  revoke(name: string): boolean {
    return this.sql.exec("DELETE FROM tokens WHERE name = ?", name).rowsWritten > 0;
  }

  private byName(name: string): boolean {
    return this.sql.exec("SELECT 1 FROM tokens WHERE name = ?", name).toArray().length > 0;
  }

  private count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM tokens").one().n;
  }
}

function toRecord(row: TokenRow): TokenRecord {
  return { name: row.name, scopes: normalScopes(row.scopes.split(",")), createdAt: row.created_at };
}
