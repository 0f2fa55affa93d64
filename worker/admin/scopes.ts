// Which scope each admin call needs (docs/safe-changes.md, "Scoped tokens"). Decided from the
// method and path alone, before routing, so a route added later falls under a rule here: reads
// are `read`, the metrics paths `metrics`, a rollback `rollback`, token management needs the
// ADMIN_TOKEN itself, and every other write `write` (the safe default for a new endpoint).
import type { Scope } from "../../providers/store/tokens.ts";

export { SCOPES, type Scope } from "../../providers/store/tokens.ts";

/** What a call needs: one of `scopes`, or the admin token itself (`manage`), or any valid token (`any`). */
export type Need = { readonly kind: "scope"; readonly scopes: readonly Scope[] } | { readonly kind: "manage" } | { readonly kind: "any" };

const scope = (...scopes: Scope[]): Need => ({ kind: "scope", scopes });

/** POSTs that only read: they answer about a body and store nothing. */
const READING_POSTS = new Set(["/config/validate", "/explain", "/plan"]);

/** `path`: the request's path below the admin base ("/config", "/metrics"...). HEAD counts as GET. */
export function needOf(method: string, rawPath: string): Need {
  // As the router would match it: repeated and trailing slashes do not make another endpoint.
  const path = rawPath.replace(/\/{2,}/g, "/").replace(/(.)\/+$/, "$1");
  const read = method === "GET" || method === "HEAD";
  if (path === "/whoami") return { kind: "any" };
  if (path === "/tokens" || path.startsWith("/tokens/")) return { kind: "manage" };
  if (read && (path === "/metrics" || path === "/metrics/history")) return scope("metrics");
  if (read) return scope("read");
  if (method === "POST" && READING_POSTS.has(path)) return scope("read");
  if (method === "POST" && path === "/config/rollback") return scope("rollback");
  // A canary's abort puts the live version back: what a rollback token is for, as well as write's.
  if (method === "POST" && path.endsWith("/abort")) return scope("write", "rollback");
  return scope("write");
}

/** The scope to name in a refusal (the first acceptable one). */
export function describeNeed(need: Need): string {
  return need.kind === "scope" ? need.scopes[0]! : "manage";
}
