// POST <base>/explain: which router of this isolate's current config a described request would hit.
import { json } from "../api/responses.ts";
import type { Snapshot } from "../compile/snapshot.ts";
import { matchChain, verdicts, viewFromDescription, type RequestDescription, type Route, type Verdicts } from "../rules/index.ts";
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
    results.push(explainOne(snapshot, d as Described));
  }
  // One request in, one answer out; a list in, a list out.
  return json(many ? { version: snapshot.meta.version, results } : { version: snapshot.meta.version, ...results[0] });
}

/**
 * The leaf router that would serve the request; through parent routers also `chain`, root first
 * (the leaf last, or, when a parent matched and none of its children did, 404, the parents only).
 */
function explainOne(snapshot: Snapshot, d: Described) {
  const view = viewFromDescription(withMethod(d));
  const { chain, served } = matchChain(snapshot.muxer, view);
  const level = (r: Route<unknown>) => ({ router: r.name, priority: r.priority, rule: r.rule.source });
  const levels = chain.length > (served ? 1 : 0) ? { chain: chain.map(level), ...parentsNote(snapshot, chain) } : {};
  const hit = served ? chain[chain.length - 1]! : null;
  // `detail`: every route tried, in route order, with the part of its rule that failed (docs/routers.md).
  const detail = d.detail === true ? detailOf(verdicts(snapshot.muxer, view)) : {};
  return hit ? { ...level(hit), ...levels, ...detail } : { router: null, ...levels, ...detail };
}

function detailOf(v: Verdicts) {
  return v.truncated ? { routers: v.routers, truncated: true } : { routers: v.routers };
}

/** explain matches children against the request as given: say so when a parent would have changed it first. */
function parentsNote(snapshot: Snapshot, chain: readonly Route<unknown>[]) {
  const routers = snapshot.config.http?.routers ?? {};
  const which = chain
    .filter((r) => r.children !== undefined && (routers[r.name]?.middlewares?.length ?? 0) > 0)
    .map((r) => `${r.name}: ${routers[r.name]!.middlewares!.join(", ")}`);
  if (which.length === 0) return {};
  return { note: `children were matched against the request as given: explain does not run the parent routers' middlewares (${which.join("; ")})` };
}

function describeProblem(d: unknown): string | null {
  if (typeof d !== "object" || d === null) return "expected an object like {\"method\":\"GET\",\"url\":\"https://a.com/x\"}";
  const url = (d as { url?: unknown }).url;
  if (typeof url !== "string" || !URL.canParse(url)) return '"url" must be an absolute URL';
  const detail = (d as { detail?: unknown }).detail;
  if (detail !== undefined && typeof detail !== "boolean") return '"detail" must be true or false';
  return null;
}

type Described = Partial<RequestDescription> & { url: string; detail?: boolean };

function withMethod(d: Described): RequestDescription {
  return { ...d, method: d.method ?? "GET" };
}
