// The config store's check of a write's signature: its form only (64 bytes of base64/base64url).
// Whether it is the right key's is for the isolates to decide (providers/signed.ts): the store
// holds no trust, so a leaked admin token cannot make it vouch for anything.
import type { StoreIssue } from "../config-store-api.ts";
import { parseSignature } from "./signature.ts";

export function signatureIssues(signature: unknown): StoreIssue[] {
  if (signature === undefined) return [];
  if (typeof signature !== "string") return [{ path: "signature", message: "must be a string (base64url)", severity: "error" }];
  const parsed = parseSignature(signature);
  return parsed.ok ? [] : [{ path: "signature", message: parsed.error, severity: "error" }];
}
