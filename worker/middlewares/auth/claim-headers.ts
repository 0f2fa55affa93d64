// Traefik Hub's `forwardHeaders` (jwt, oidc, apiKey): request headers filled from claims, `Header:
// claim.path`. Shared by the middlewares that forward claims.
//
//   claimHeaders(forwardHeaders) -> (headers, claims) => void
//
// Every configured header is first removed from the request, so a client can never send its own
// copy upstream; then it is set from the claim: a string as is, a missing claim as "" (as Traefik
// Hub: "claims not found result in empty headers"), anything else (numbers, booleans, arrays,
// objects) as JSON. A string a header cannot carry as it is (control characters, non-ASCII) is sent
// JSON-encoded with \u escapes, so the header is always valid and never split.
import { claimAt, type Claims } from "./claims.ts";

export type ApplyClaimHeaders = (headers: Headers, claims: Claims) => void;

/** Printable ASCII and tab: what a header value carries byte for byte on every runtime. */
const PLAIN = /^[\t\x20-\x7e]*$/;

function asciiJSON(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The header value for a claim (see the module comment). */
export function claimHeaderValue(claim: unknown): string {
  if (claim === undefined) return "";
  if (typeof claim === "string") return PLAIN.test(claim) ? claim.trim() : asciiJSON(claim);
  return asciiJSON(claim);
}

/** The header names a forwardHeaders map sets (and therefore strips from the incoming request). */
export function claimHeaderNames(forwardHeaders: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(forwardHeaders ?? {});
}

/** Compiles forwardHeaders once; the function strips then sets the headers on a request's copy. */
export function claimHeaders(forwardHeaders: Readonly<Record<string, string>> | undefined): ApplyClaimHeaders {
  const entries = Object.entries(forwardHeaders ?? {});
  return (headers, claims) => {
    for (const [name] of entries) headers.delete(name);
    for (const [name, path] of entries) headers.set(name, claimHeaderValue(claimAt(claims, path)));
  };
}
