import { buildLazyMuxer, compileRule, defaultPriority, muxIndex, viewFromDescription, type CompiledRule, type MuxIndex, type Route } from "../../../worker/rules/index.ts";

/** A rule that must compile (the test's own rules are valid: a failure names the rule). */
export function rule(src: string): CompiledRule {
  const r = compileRule(src);
  if (!r.ok) throw new Error(`${src}: ${r.error.message}`);
  return r.value;
}

/** Routes from [name, rule] pairs, each handled by its name, at its rule's default priority. */
export function routesOf(rules: readonly (readonly [string, string])[]): Route<string>[] {
  return rules.map(([name, src]) => ({ name, rule: rule(src), priority: defaultPriority(src), handler: name }));
}

/** A lazy muxer whose source counts what it builds; the index goes through JSON as published. */
export function lazyOf(routes: readonly Route<string>[]) {
  const byName = new Map(routes.map((r) => [r.name, r]));
  const index = JSON.parse(JSON.stringify(muxIndex(routes))) as MuxIndex;
  const built: string[] = [];
  const muxer = buildLazyMuxer(index, (name) => (built.push(name), byName.get(name) ?? null));
  return { muxer, built, index };
}

/** The request view a muxer matches, from a URL (GET, no headers unless given). */
export const view = (url: string, headers: Record<string, string> = {}, method = "GET") => viewFromDescription({ method, url, headers });
