// Switchyard's rule engine: Traefik v3 HTTP router rules, compiled once, matched per request.

export type * from "./types.ts";
export type { RequestDescription } from "./view.ts";

export { compileRule } from "./compile.ts";
export { defaultPriority } from "./priority.ts";
export { buildMuxer } from "./mux/index.ts";
export { buildLazyMuxer, muxIndex, type MuxIndex, type RouteSource } from "./mux/lazy.ts";
export { matchChain, type ChainMatch } from "./chain.ts";
export { failedPart, MAX_VERDICTS, verdictOf, verdicts, type RouteVerdict, type Verdicts } from "./verdicts.ts";
export { viewFromDescription, viewFromRequest, viewOfForwarded } from "./view.ts";
