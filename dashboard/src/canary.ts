// The editor's canary and shadow fields as the admin API's query (PUT <base>/config?canary=…,
// PUT <base>/config/shadow?sampleRate=…), checked here only as far as a typo goes: the API checks
// the rest and answers with a path. And the releases page's figures as text.

/** The policy's documented defaults (docs/safe-changes.md, "The policy"). */
export const CANARY_DEFAULTS = { share: "5", promoteAfter: "10m", maxErrorRatio: "0.02", maxP99Ratio: "1.5", minRequests: "500" } as const;
export const DEFAULT_SAMPLE_RATE = "0.01";

export interface CanaryFields {
  readonly share: string;
  readonly promoteAfter: string;
  readonly maxErrorRatio: string;
  readonly maxP99Ratio: string;
  readonly minRequests: string;
  /** Optional: `25,50,100`; empty: the API's default. */
  readonly steps?: string;
  /** Optional: a header name; empty: the client's address. */
  readonly stickyHeader?: string;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** The query for PUT <base>/config, or the fields' errors (path: the query parameter). */
export function canaryQuery(fields: CanaryFields): { ok: true; query: string } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const q = new URLSearchParams();
  const share = fields.share.trim().replace(/%$/, "");
  const n = Number(share);
  if (share === "" || !(n > 0 && n < 100)) errors.push({ path: "canary", message: "the share is a percent above 0 and below 100" });
  q.set("canary", share);
  const after = fields.promoteAfter.trim();
  if (after === "") errors.push({ path: "promoteAfter", message: "a duration (10m, 90s) or seconds" });
  q.set("promoteAfter", after);
  for (const key of ["maxErrorRatio", "maxP99Ratio", "minRequests"] as const) {
    const text = fields[key].trim();
    if (text === "" || !Number.isFinite(Number(text)) || Number(text) < 0) errors.push({ path: key, message: "a number, 0 or more" });
    q.set(key, text);
  }
  const steps = fields.steps?.trim() ?? "";
  if (steps !== "") q.set("steps", steps);
  const header = fields.stickyHeader?.trim() ?? "";
  if (header !== "") q.set("stickyHeader", header);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, query: q.toString() };
}

/** `?sampleRate=R` for PUT <base>/config/shadow, R above 0 and at most 1. */
export function shadowQuery(rate: string): { ok: true; query: string } | { ok: false; errors: FieldError[] } {
  const text = rate.trim();
  const n = Number(text);
  if (text === "" || !(n > 0 && n <= 1)) return { ok: false, errors: [{ path: "sampleRate", message: "a number above 0 and at most 1 (0.01 = 1 %)" }] };
  return { ok: true, query: new URLSearchParams({ sampleRate: text }).toString() };
}

/** An error ratio (0.0123) as a percent with two decimals: `1.23 %`. */
export function ratioText(ratio: number | null | undefined): string {
  return typeof ratio === "number" && Number.isFinite(ratio) ? `${(Math.round(ratio * 10_000) / 100).toFixed(2)} %` : "–";
}

/** A p99 bucket bound: `50 ms`, `> 10 s` for "+Inf", `–` without requests. */
export function p99Text(p99: number | "+Inf" | null | undefined): string {
  if (p99 === "+Inf") return "> 10 s";
  return typeof p99 === "number" ? (p99 >= 1000 ? `${p99 / 1000} s` : `${p99} ms`) : "–";
}

/** A router name in a move, `404` for null (no router matches). */
export function routerText(name: string | null): string {
  return name === null ? "404" : name;
}

/** The shares a canary goes through: `5 % now, then 25 %, 50 %, 100 %`. */
export function stepsText(share: number, next: readonly number[]): string {
  return next.length === 0 ? `${share} % (last step)` : `${share} % now, then ${next.map((s) => `${s} %`).join(", ")}`;
}
