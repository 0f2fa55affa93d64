// The outer layers: top-level sections, `http`, and the four maps of names inside it. Their keys
// are read case-insensitively (`HTTP`, `Routers`), as keys.ts does for the entities.
import type { IssueList, Path } from "./issues.ts";
import { canonicalKeys, fillOver, isMap, type Combine } from "./keys.ts";
import { HTTP_SECTIONS, httpSchema, type HttpSection } from "../schema/index.ts";
import { didYouMean } from "../rules/suggest.ts";

export type RawHttp = Record<HttpSection, Record<string, unknown>>;

const TOP_LEVEL = ["http", "tcp", "udp", "tls"];
const SECTIONS = Object.keys(HTTP_SECTIONS) as HttpSection[];

function checkTopLevel(root: Record<string, unknown>, issues: IssueList): void {
  for (const key of Object.keys(root)) {
    if (key === "tcp" || key === "udp") {
      issues.error([key], `${key} routing is not supported on Workers (HTTP only): remove the ${key} section`);
    } else if (key === "tls") {
      issues.warn([key], "tls is ignored on Workers: Cloudflare terminates TLS, so certificates and TLS options are managed in Cloudflare");
    } else if (key !== "http") {
      issues.error([key], `unknown top-level key "${key}"${didYouMean(key, TOP_LEVEL)}; Switchyard reads the http section of a Traefik dynamic configuration`);
    }
  }
}

/** A section's map of names, with null (a YAML key without value) read as empty. */
function readSection(value: unknown, path: Path, issues: IssueList): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (isMap(value)) return value;
  issues.error(path, `expected a map of names to definitions, got ${Array.isArray(value) ? "a list" : typeof value}`);
  return {};
}

/** Two spellings of a section (`routers`, `Routers`): their names together, a name in both taken whole from the later. */
const combineSections: Combine = (target, values) => values.reduce((a, b) => fillOver(a, b, httpSchema.shape[target as HttpSection]));

/** Two spellings of `http`: each one's sections in canonical case, then filled one over the other. */
function combineTopLevel(issues: IssueList): Combine {
  return (target, values) => {
    if (target !== "http") return values[values.length - 1];
    const canonical = values.map((v) => (isMap(v) ? canonicalKeys(v, SECTIONS, ["http"], issues, combineSections) : v));
    return canonical.reduce((a, b) => fillOver(a, b, httpSchema));
  };
}

function readHttp(written: Record<string, unknown>, issues: IssueList): RawHttp {
  const http = canonicalKeys(written, SECTIONS, ["http"], issues, combineSections);
  for (const key of Object.keys(http)) {
    if (!(SECTIONS as string[]).includes(key)) issues.error(["http", key], `unknown key "${key}"${didYouMean(key, SECTIONS)}; http has ${SECTIONS.join(", ")}`);
  }
  const out = {} as RawHttp;
  for (const section of SECTIONS) out[section] = readSection(http[section], ["http", section], issues);
  return out;
}

/** Checks everything above the entity level and returns the raw entities to validate. */
export function readShell(raw: unknown, issues: IssueList): RawHttp {
  const empty: RawHttp = { routers: {}, services: {}, middlewares: {}, serversTransports: {} };
  if (raw === undefined || raw === null) return empty;
  if (!isMap(raw)) {
    issues.error([], `a dynamic configuration is a map with an http section, got ${Array.isArray(raw) ? "a list" : typeof raw}`);
    return empty;
  }
  const root = canonicalKeys(raw, TOP_LEVEL, [], issues, combineTopLevel(issues));
  checkTopLevel(root, issues);
  const http = root.http;
  if (http === undefined || http === null) return empty;
  if (!isMap(http)) {
    issues.error(["http"], "expected a map with routers, services, middlewares, serversTransports");
    return empty;
  }
  return readHttp(http, issues);
}
