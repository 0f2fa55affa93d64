// Multi-layer routing (Traefik v3.6, pkg/server/router/router.go ParseRouterTree): routers that
// name parents in parentRefs form a tree. Traefik disables the routers it finds wrong; here each is
// an error, as every router problem is. Missing parents are reported by checkReferences.
import type { Path } from "../issues.ts";
import { localName } from "../references.ts";
import type { RouterConfig } from "../../schema/routers.ts";
import type { CheckContext } from "./context.ts";
import { entries } from "./context.ts";

/**
 * Deepest parent → child nesting accepted (a root is level 1). Traefik has no bound; a real tree
 * has 2 or 3 levels, and every level costs a muxer match per request.
 */
export const MAX_ROUTER_DEPTH = 32;

/** Traefik's "non-root router cannot have …": only a root faces the entry point. */
const ROOT_ONLY = ["entryPoints", "tls", "observability"] as const;

/** Each router's valid parents (existing, schema-valid routers), by local name, duplicates removed. */
function parentsOf(ctx: CheckContext): Map<string, string[]> {
  const routers = ctx.config.http?.routers ?? {};
  const parents = new Map<string, string[]>();
  for (const [name, router] of entries(ctx, "routers")) {
    const refs = (router.parentRefs ?? []).map(localName).filter((p) => Object.hasOwn(routers, p));
    parents.set(name, [...new Set(refs)]);
  }
  return parents;
}

function checkChild(ctx: CheckContext, name: string, router: RouterConfig): void {
  for (const key of ROOT_ONLY) {
    if (router[key] === undefined) continue;
    const path: Path = ["http", "routers", name, key];
    ctx.issues.error(path, `a child router (it has parentRefs) cannot have ${key}: only root routers can, as in Traefik ("non-root router cannot have ${key} configuration"); set it on the root`);
  }
}

function checkEnds(ctx: CheckContext, name: string, router: RouterConfig, children: readonly string[] | undefined): void {
  const path: Path = ["http", "routers", name, "service"];
  if (children !== undefined && router.service !== undefined) {
    ctx.issues.error(path, `router has both a service and is referenced as a parent by other routers (${children.join(", ")}): a parent routes to its children, remove its service`);
  } else if (children === undefined && router.service === undefined && !ctx.defined.brokenChildrenOf.has(name)) {
    ctx.issues.error(path, '"service" is required: this router has no service and no child routers (no router names it in parentRefs)');
  }
}

export function checkTree(ctx: CheckContext): void {
  const parents = parentsOf(ctx);
  const children = new Map<string, string[]>();
  for (const [child, list] of parents) for (const p of list) (children.get(p) ?? children.set(p, []).get(p)!).push(child);
  for (const [name, router] of entries(ctx, "routers")) {
    if ((router.parentRefs?.length ?? 0) > 0) checkChild(ctx, name, router);
    checkEnds(ctx, name, router, children.get(name));
  }
  checkShape(ctx, parents, children);
}

/**
 * Cycles and depth, without recursion (a config may hold 10,000 routers): levels from the roots
 * down (Kahn's order); a router never reached sits on a cycle or under one.
 */
function checkShape(ctx: CheckContext, parents: Map<string, string[]>, children: Map<string, string[]>): void {
  const pending = new Map<string, number>();
  const level = new Map<string, number>();
  const queue: string[] = [];
  for (const [name, list] of parents) {
    pending.set(name, list.length);
    if (list.length === 0) {
      level.set(name, 1);
      queue.push(name);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i]!;
    const depth = level.get(name)!;
    // Reported at the first router past the limit only; its children are still walked, so that
    // they do not look like a cycle.
    if (depth === MAX_ROUTER_DEPTH + 1) {
      ctx.issues.error(["http", "routers", name, "parentRefs"], `routers are nested more than ${MAX_ROUTER_DEPTH} levels deep here (the limit): flatten the router tree`);
    }
    for (const child of children.get(name) ?? []) {
      level.set(child, Math.max(level.get(child) ?? 0, depth + 1));
      const left = pending.get(child)! - 1;
      pending.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  reportCycles(ctx, parents, pending);
}

/** Walks parent links among the routers left over until one repeats: that loop is a cycle. */
function reportCycles(ctx: CheckContext, parents: Map<string, string[]>, pending: Map<string, number>): void {
  const stuck = (name: string) => (pending.get(name) ?? 0) > 0;
  const reported = new Set<string>();
  for (const start of [...parents.keys()].filter(stuck).sort()) {
    if (reported.has(start)) continue;
    const walk: string[] = [];
    const onWalk = new Set<string>();
    let at = start;
    while (!onWalk.has(at) && !reported.has(at)) {
      walk.push(at);
      onWalk.add(at);
      at = parents.get(at)!.find(stuck)!;
    }
    for (const name of walk) reported.add(name);
    if (!onWalk.has(at)) continue; // led into a cycle already reported
    const loop = walk.slice(walk.indexOf(at));
    // `loop` follows child → parent; Traefik prints parent → child, from the same router.
    const child = loop[0]!;
    const shown = [child, ...loop.slice(1).reverse()];
    const index = (ctx.config.http?.routers?.[child]?.parentRefs ?? []).findIndex((r) => localName(r) === loop[1 % loop.length]);
    ctx.issues.error(
      ["http", "routers", child, "parentRefs", index],
      `cyclic reference detected in router tree: ${[...shown, child].join(" -> ")}; a router cannot be its own parent, directly or through other routers`,
    );
  }
}
