// POST <base>/plan (scope read): `switchyard plan` over HTTP, for the dashboard and CI without the
// CLI. Body `{"config": {...}, "requests": [{"method","url","headers"}...]}` (JSON); the config is
// compared with the config store's newest version (worker/compile/plan.ts). Nothing is stored.
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { json } from "../api/responses.ts";
import { plan } from "../compile/plan.ts";
import { parseDefaultRuleSyntax } from "../config/index.ts";
import type { Env } from "../env.ts";
import type { RequestDescription } from "../rules/index.ts";
import { MAX_CONFIG_BODY_BYTES, readJsonBody } from "./body.ts";
import { jsonError } from "./responses.ts";
import { store } from "./store.ts";

/** Requests one plan may match (each is a match against two route tables: cheap, but bounded). */
export const MAX_PLAN_REQUESTS = 1_000;

export async function planRoute(request: Request, env: ConfigStoreBinding & Pick<Env, "DEFAULT_RULE_SYNTAX">): Promise<Response> {
  const body = await readJsonBody(request, MAX_CONFIG_BODY_BYTES);
  if (!body.ok) return jsonError(body.status, body.message);
  const value = body.value as { config?: unknown; requests?: unknown } | null;
  if (typeof value !== "object" || value === null || !("config" in value)) return jsonError(400, 'body must be {"config": {...}, "requests": [{"method": "GET", "url": "https://..."}]}');
  const requests = value.requests ?? [];
  const problem = requestsProblem(requests);
  if (problem) return jsonError(400, problem);
  const syntax = parseDefaultRuleSyntax(env.DEFAULT_RULE_SYNTAX, "DEFAULT_RULE_SYNTAX");
  const stored = await store(env).get();
  const live = stored ? { version: stored.record.version, config: JSON.parse(stored.canonical) as unknown } : null;
  const result = plan({ live, candidate: value.config, requests: requests as RequestDescription[], defaultRuleSyntax: syntax.ok ? syntax.value : "v3" });
  if (!result.ok) return jsonError(result.side === "candidate" ? 400 : 500, `the ${result.side} config is invalid`, {}, { errors: result.errors });
  return json(result.plan);
}

function requestsProblem(requests: unknown): string | null {
  if (!Array.isArray(requests)) return '"requests" must be a list';
  if (requests.length > MAX_PLAN_REQUESTS) return `at most ${MAX_PLAN_REQUESTS} requests per plan`;
  for (const [i, r] of requests.entries()) {
    const url = (r as { url?: unknown } | null)?.url;
    if (typeof r !== "object" || r === null || typeof url !== "string" || !URL.canParse(url)) return `requests[${i}]: "url" must be an absolute URL`;
    const method = (r as { method?: unknown }).method;
    if (method !== undefined && typeof method !== "string") return `requests[${i}]: "method" must be a string`;
    const headers = (r as { headers?: unknown }).headers;
    if (headers !== undefined && (typeof headers !== "object" || headers === null || Array.isArray(headers))) return `requests[${i}]: "headers" must be an object`;
  }
  return null;
}
