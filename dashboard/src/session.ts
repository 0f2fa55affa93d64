// The token: kept in sessionStorage only (gone when the tab closes; never in a URL nor a cookie),
// and what GET <base>/whoami says it may do (scopes).
const KEY = "switchyard.token";

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused (private mode): the token then lives in memory only, for this page.
  }
}

export interface Identity {
  readonly name: string;
  readonly scopes: readonly string[];
  /** false: the server has no /whoami yet, and the token is taken for a full one. */
  readonly known: boolean;
}

export const FULL_ACCESS: Identity = { name: "admin", scopes: ["read", "write", "rollback", "metrics"], known: false };

export function can(identity: Identity, scope: "read" | "write" | "rollback" | "metrics"): boolean {
  return identity.scopes.includes(scope);
}
