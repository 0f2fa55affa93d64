// Where each router sits in a config's canonical text, so that a cold isolate can leave the routers
// unparsed and parse one when a request first reaches it (JSON.parse of a 10,000-router snapshot,
// 1 MB, is most of what a load from facts still costs). The config store computes the spans
// (facts.ts); the isolate reads the text through them (lazyConfig).
import { canonicalJSON, type DynamicConfig, type RouterConfig } from "../config/index.ts";

/** The routers of a canonical text: names in its (sorted) order, each value's [start, end). */
export interface RouterSpans {
  readonly names: readonly string[];
  /** Flat: start and end of names[i]'s value at 2i and 2i + 1. */
  readonly spans: readonly number[];
  /** Start and end of the whole `http.routers` object. */
  readonly at: readonly [number, number];
}

const ROUTERS_KEY = '"routers":';

/** The spans of `config`'s routers in `text` (canonicalJSON of it), or null if they cannot be placed. */
export function routerSpans(text: string, config: DynamicConfig): RouterSpans | null {
  const routers = config.http?.routers;
  if (routers === undefined) return null;
  const whole = `${ROUTERS_KEY}${canonicalJSON(routers)}`;
  const found = text.indexOf(whole);
  // Once only: the same text under another "routers" key would make the place ambiguous.
  if (found < 0 || text.indexOf(whole, found + 1) >= 0) return null;
  const start = found + ROUTERS_KEY.length;
  const names = Object.keys(routers).sort();
  const spans: number[] = [];
  let cursor = start + 1;
  for (const name of names) {
    const key = `${JSON.stringify(name)}:`;
    if (!text.startsWith(key, cursor)) return null;
    const from = cursor + key.length;
    const to = from + canonicalJSON(routers[name]).length;
    spans.push(from, to);
    cursor = to + 1;
  }
  return { names, spans, at: [start, found + whole.length] };
}

/**
 * The config of `text` with its routers left unparsed: everything else is parsed at once (the
 * text with `{}` for the routers object), the routers object is a read-only view whose entries
 * are parsed on first access. Null when the spans do not fit the text (the caller then parses it
 * whole). The text is the config store's canonical JSON, sha256 verified (docs/cold-start.md).
 */
export function lazyConfig(text: string, spans: RouterSpans): DynamicConfig | null {
  const [start, end] = spans.at;
  if (!(0 <= start && start < end && end <= text.length) || spans.spans.length !== spans.names.length * 2) return null;
  let rest: unknown;
  try {
    rest = JSON.parse(`${text.slice(0, start)}{}${text.slice(end)}`);
  } catch {
    return null;
  }
  const http = isRecord(rest) ? rest.http : undefined;
  if (!isRecord(http) || !isRecord(http.routers)) return null;
  http.routers = lazyRouters(text, spans);
  return rest as DynamicConfig;
}

/** A Record of routers over the text, each parsed the first time it is read (and kept). */
function lazyRouters(text: string, { names, spans }: RouterSpans): Record<string, RouterConfig> {
  let positions: Map<string, number> | null = null;
  const parsed: (RouterConfig | undefined)[] = [];
  const at = (key: string | symbol): number | undefined => (typeof key === "string" ? (positions ??= new Map(names.map((n, i) => [n, i]))).get(key) : undefined);
  const value = (i: number): RouterConfig => (parsed[i] ??= JSON.parse(text.slice(spans[2 * i]!, spans[2 * i + 1]!)) as RouterConfig);
  const refuse = () => false;
  return new Proxy(Object.create(null) as Record<string, RouterConfig>, {
    get: (_t, key) => {
      const i = at(key);
      return i === undefined ? undefined : value(i);
    },
    has: (_t, key) => at(key) !== undefined,
    ownKeys: () => [...names],
    getOwnPropertyDescriptor: (_t, key) => {
      const i = at(key);
      return i === undefined ? undefined : { value: value(i), writable: false, enumerable: true, configurable: true };
    },
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
