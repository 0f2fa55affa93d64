// The editor's Plan requests: one JSON object per line, as `switchyard plan --requests` reads them
// (`{"method": "GET", "url": "https://a.com/x", "headers": {"X": "1"}}`), or a bare absolute URL
// (a GET). Blank lines are skipped; each bad line is an error naming its line.
export interface PlanRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string | string[]>>;
}

export function parsePlanRequests(text: string): { requests: PlanRequest[]; errors: string[] } {
  const requests: PlanRequest[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const parsed = line.startsWith("{") ? fromJson(line) : URL.canParse(line) ? { method: "GET", url: line } : `expected a JSON object or an absolute URL`;
    if (typeof parsed === "string") errors.push(`line ${i + 1}: ${parsed}`);
    else requests.push(parsed);
  });
  return { requests, errors };
}

function fromJson(line: string): PlanRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const v = value as { method?: unknown; url?: unknown; headers?: unknown };
  if (typeof v.url !== "string" || !URL.canParse(v.url)) return '"url" must be an absolute URL';
  if (v.method !== undefined && typeof v.method !== "string") return '"method" must be a string';
  if (v.headers !== undefined) {
    const ok = typeof v.headers === "object" && v.headers !== null && !Array.isArray(v.headers) &&
      Object.values(v.headers).every((h) => typeof h === "string" || (Array.isArray(h) && h.every((x) => typeof x === "string")));
    if (!ok) return '"headers" must be an object of strings';
  }
  return { method: v.method ?? "GET", url: v.url, ...(v.headers ? { headers: v.headers as Record<string, string> } : {}) };
}
