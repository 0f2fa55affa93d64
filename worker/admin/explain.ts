// POST <base>/explain: which router of this isolate's current config a described request would hit.
import { json } from "../api/responses.ts";
import { viewFromDescription, type RequestDescription } from "../rules/index.ts";
import { readJsonBody } from "./body.ts";
import type { AdminIsolate } from "./isolate.ts";
import { jsonError } from "./responses.ts";

export async function explain(request: Request, isolate: AdminIsolate): Promise<Response> {
  const snapshot = await isolate.loaded();
  if (!snapshot) return jsonError(503, "no configuration is loaded yet");
  const body = await readJsonBody(request);
  if (!body.ok) return jsonError(body.status, body.message);
  const many = Array.isArray(body.value);
  const list: unknown[] = many ? (body.value as unknown[]) : [body.value];
  const results = [];
  for (const [i, d] of list.entries()) {
    const problem = describeProblem(d);
    if (problem) return jsonError(400, many ? `request ${i}: ${problem}` : problem);
    const route = snapshot.muxer.match(viewFromDescription(withMethod(d as Partial<RequestDescription> & { url: string })));
    results.push(route ? { router: route.name, priority: route.priority, rule: route.rule.source } : { router: null });
  }
  // One request in, one answer out; a list in, a list out.
  return json(many ? { version: snapshot.meta.version, results } : { version: snapshot.meta.version, ...results[0] });
}

function describeProblem(d: unknown): string | null {
  if (typeof d !== "object" || d === null) return "expected an object like {\"method\":\"GET\",\"url\":\"https://a.com/x\"}";
  const url = (d as { url?: unknown }).url;
  if (typeof url !== "string" || !URL.canParse(url)) return '"url" must be an absolute URL';
  return null;
}

function withMethod(d: Partial<RequestDescription> & { url: string }): RequestDescription {
  return { ...d, method: d.method ?? "GET" };
}
