// Each router, service, middleware and transport validated on its own: a bad one is reported as
// itself and the others still reach the semantic checks.
import type * as z from "zod/mini";
import { controlCharacter, describeChar } from "../http/header-syntax.ts";
import type { IssueList, Path } from "./issues.ts";
import { canonicalCase, isMap } from "./keys.ts";
import type { RawHttp } from "./shell.ts";
import type { DynamicConfig, HttpConfig, HttpSection } from "../schema/index.ts";
import { setOwn } from "./own.ts";
import { quickRouter } from "./quick-router.ts";
import { MIDDLEWARE_TYPES, middlewareSchema } from "../schema/middlewares.ts";
import { routerSchema } from "../schema/routers.ts";
import { SERVICE_TYPES, serviceSchema } from "../schema/services.ts";
import { serversTransportSchema } from "../schema/transports.ts";
import { errorMap, fromZod } from "./zod-issues.ts";

/**
 * Every name a reference can point at (routers: by parentRefs), valid or not: references to a
 * broken one are not "missing".
 */
export type DefinedNames = Record<HttpSection, ReadonlySet<string>> & {
  /** Routers named in the parentRefs of routers that failed their schema: they may have children. */
  readonly brokenChildrenOf: ReadonlySet<string>;
};

export interface Entities {
  readonly config: DynamicConfig;
  readonly defined: DefinedNames;
}

function checkName(section: HttpSection, name: string, issues: IssueList): boolean {
  // A router's name is sent in X-Switchyard-Router (VERSION_HEADER), every name in the API's URLs and logs.
  const control = controlCharacter(name);
  if (name === "") issues.error(["http", section, name], "a name must not be empty");
  else if (name.includes("@")) issues.error(["http", section, name], `"${name}": a name defined in the config must not contain "@" (it is added when referencing: "${name.split("@")[0]}@file")`);
  else if (control !== null) issues.error(["http", section, name], `${JSON.stringify(name)}: a name must not contain ${describeChar(control)} or any other control character`);
  else return true;
  return false;
}

/** Services and middlewares have exactly one type. */
function checkOneType(value: unknown, types: readonly string[], what: string, path: Path, issues: IssueList): boolean {
  if (!isMap(value)) return true; // the schema reports the wrong shape
  const present = types.filter((t) => value[t] !== undefined);
  if (present.length === 1) return true;
  if (present.length > 1) {
    issues.error(path, `a ${what} has exactly one type, this one has ${present.join(" and ")}: define one ${what} per type`);
    return false;
  }
  const unknown = Object.keys(value).filter((k) => !types.includes(k) && k !== "middlewares");
  if (unknown.length === 0) issues.error(path, `a ${what} needs a type: one of ${types.join(", ")}`);
  return false;
}

/** Keys in their canonical case (keys.ts); false when that pass found an error (a `__proto__` key in a record). */
function readKeys(value: unknown, schema: z.ZodMiniType, path: Path, issues: IssueList): { input: unknown; ok: boolean } {
  const before = issues.items.length;
  const input = canonicalCase(value, schema, path, issues);
  let ok = true;
  for (let i = before; i < issues.items.length; i++) if (issues.items[i]!.severity === "error") ok = false;
  return { input, ok };
}

/** What a section's entries are read with: the schema, and perhaps a quicker reader for the common shape. */
interface Reader<S extends z.ZodMiniType> {
  readonly schema: S;
  /** The schema's output for an entry of the common shape (which has nothing to report); else undefined. */
  readonly quick?: (value: unknown) => z.output<S> | undefined;
  /** Services and middlewares: the types of which each has exactly one. */
  readonly types?: readonly string[];
}

// Options for every entry's parse: one object, not one per entry.
const PARSE_OPTIONS = { reportInput: true, error: errorMap } as const;

function parseSection<S extends z.ZodMiniType>({ schema, quick, types }: Reader<S>, section: HttpSection, raw: Record<string, unknown>, issues: IssueList): Record<string, z.output<S>> {
  const out: Record<string, z.output<S>> = {};
  // Names, not [name, value] pairs: a section may hold 10,000 entries, most of them read quickly.
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    const read = quick?.(value);
    if (read !== undefined) {
      if (checkName(section, name, issues)) setOwn(out, name, read);
      continue;
    }
    const path = ["http", section, name];
    const { input, ok: keysOk } = readKeys(value, schema, path, issues);
    let ok = checkName(section, name, issues) && keysOk;
    if (types) ok = checkOneType(input, types, section.slice(0, -1), path, issues) && ok;
    const parsed = schema.safeParse(input, PARSE_OPTIONS);
    if (!parsed.success) issues.items.push(...fromZod(parsed.error, schema, path));
    else if (ok) setOwn(out, name, parsed.data);
  }
  return out;
}

/** Empty sections are dropped, so an empty config is `{}` however it was written. */
function assemble(http: Required<HttpConfig>): DynamicConfig {
  const out: HttpConfig = {};
  if (Object.keys(http.routers).length > 0) out.routers = http.routers;
  if (Object.keys(http.services).length > 0) out.services = http.services;
  if (Object.keys(http.middlewares).length > 0) out.middlewares = http.middlewares;
  if (Object.keys(http.serversTransports).length > 0) out.serversTransports = http.serversTransports;
  return Object.keys(out).length === 0 ? {} : { http: out };
}

export function parseEntities(raw: RawHttp, issues: IssueList): Entities {
  const http: Required<HttpConfig> = {
    routers: parseSection({ schema: routerSchema, quick: quickRouter }, "routers", raw.routers, issues),
    services: parseSection({ schema: serviceSchema, types: SERVICE_TYPES }, "services", raw.services, issues),
    middlewares: parseSection({ schema: middlewareSchema, types: MIDDLEWARE_TYPES }, "middlewares", raw.middlewares, issues),
    serversTransports: parseSection({ schema: serversTransportSchema }, "serversTransports", raw.serversTransports, issues),
  };
  const defined: DefinedNames = {
    routers: new Set(Object.keys(raw.routers)),
    brokenChildrenOf: parentsOfBroken(raw.routers, http.routers),
    services: new Set(Object.keys(raw.services)),
    middlewares: new Set(Object.keys(raw.middlewares)),
    serversTransports: new Set(Object.keys(raw.serversTransports)),
  };
  return { config: assemble(http), defined };
}

/**
 * The parents named by routers that failed their schema, read as leniently as possible: so that a
 * parent whose only child is broken is not also told it has no children.
 */
function parentsOfBroken(raw: Record<string, unknown>, valid: Record<string, unknown>): Set<string> {
  const parents = new Set<string>();
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (Object.hasOwn(valid, name) || !isMap(value)) continue;
    for (const key of Object.keys(value)) {
      const refs = key.toLowerCase() === "parentrefs" ? value[key] : undefined;
      if (Array.isArray(refs)) for (const ref of refs) if (typeof ref === "string") parents.add(ref.split("@")[0]!);
    }
  }
  return parents;
}
