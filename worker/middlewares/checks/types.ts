// One interface for the option checks each middleware owns, as Traefik's constructors return
// errors: what the schema alone cannot judge (combinations, formats, what a Worker cannot do).
// worker/config asks them through the registry (index.ts) and reports what they find at its path.
import type { IssueSink, Path } from "../../schema/issues.ts";
import type { MiddlewareOptions, MiddlewareType } from "../../schema/middlewares.ts";

export type { IssueSink };

/** Checks one middleware's options; `path` is the options' own (`http.middlewares.m.basicAuth`). */
export type OptionCheck<K extends MiddlewareType> = (issues: IssueSink, path: Path, options: MiddlewareOptions<K>) => void;

export type OptionChecks = { readonly [K in MiddlewareType]?: OptionCheck<K> };
