// The push flags that start a canary, and the PUT <base>/config query they make (docs/safe-changes.md).
import { UsageError } from "../io.ts";

/** The push flags of a canary (each maps to a PUT <base>/config query parameter). */
export const CANARY_FLAGS = {
  canary: { type: "string" },
  "promote-after": { type: "string" },
  "max-error-ratio": { type: "string" },
  "max-p99-ratio": { type: "string" },
  "min-requests": { type: "string" },
  steps: { type: "string" },
  "sticky-header": { type: "string" },
} as const;

const QUERY: Record<keyof typeof CANARY_FLAGS, string> = {
  canary: "canary",
  "promote-after": "promoteAfter",
  "max-error-ratio": "maxErrorRatio",
  "max-p99-ratio": "maxP99Ratio",
  "min-requests": "minRequests",
  steps: "steps",
  "sticky-header": "stickyHeader",
};

/** The query string the canary flags make ("" without --canary; the other flags need it). */
export function canaryParams(values: Partial<Record<keyof typeof CANARY_FLAGS, string | boolean>>): URLSearchParams | null {
  const given = (Object.keys(QUERY) as (keyof typeof CANARY_FLAGS)[]).filter((k) => typeof values[k] === "string");
  if (given.length === 0) return null;
  if (!given.includes("canary")) throw new UsageError(`--${given[0]} needs --canary PERCENT`);
  const params = new URLSearchParams();
  for (const k of given) params.set(QUERY[k], String(values[k]).replace(/%$/, ""));
  return params;
}
