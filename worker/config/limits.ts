// Bounds on parsed config data, checked once right after parsing and before anything else walks
// it: the schema, key canonicalization, canonical JSON and structured clone (RPC) all recurse, so
// a document nested 100,000 deep would overflow their stacks, and YAML aliases can make a small
// text stand for a huge tree ("billion laughs": the parser shares one object per anchor, but every
// walk after it expands the sharing). This walk itself uses an explicit stack and stops at the
// first bound it crosses, so its cost is bounded by the limits, not by the input.
import { error, type ConfigIssue, type PathSegment } from "./issues.ts";

/** Deepest nesting of maps and lists accepted. A Traefik dynamic config needs about 8. */
export const MAX_DEPTH = 64;

/**
 * Aliases a YAML document may use (the `yaml` package's maxAliasCount defaults to 100, which
 * refuses ordinary configs that reuse anchors): also the most uses of one anchor, counting uses
 * inside other anchors, so an alias bomb is refused after resolving at most this many. The package
 * resolves aliases in quadratic time: 5,000 take about 0.5 s, 10,000 about 2 s (measured in Node).
 */
export const MAX_YAML_ALIASES = 5_000;

/**
 * Size of the data once aliases are expanded: every map, list and scalar counts 1 and every string
 * character 1 more, so an alias-free text of N bytes is at most N; about 8 MB of JSON.
 */
export const MAX_EXPANDED_SIZE = 8_000_000;

/**
 * Whether YAML text opens more than `limit` flow collections (`[`, `{`) without closing them. The
 * yaml package builds its whole syntax tree before it composes (and then overflows its stack at
 * about 800 levels): 100,000 brackets cost it 1.5 s and 150 MB. This count ignores quoting and
 * comments, so it can only overestimate; at 1,000 no real config comes near it.
 */
export function flowDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return false;
}

function tooDeep(path: PathSegment[]): ConfigIssue {
  return error(path, `nested deeper than ${MAX_DEPTH} levels of maps and lists (the limit; a Traefik dynamic configuration needs about 8)`);
}

function tooLarge(): ConfigIssue {
  return error([], `the config expands to more than ${MAX_EXPANDED_SIZE.toLocaleString("en-US")} values and characters (the limit, about 8 MB of JSON): YAML aliases repeat their anchor's whole content each time`);
}

/**
 * Whether valid JSON text nests deeper than MAX_DEPTH: a scan of the text, much quicker than a walk
 * of the parsed data (a config of 10,000 routers is loaded by every isolate). JSON has no aliases,
 * so the data's expanded size is at most the text's length.
 */
export function jsonMayCross(text: string): boolean {
  if (text.length > MAX_EXPANDED_SIZE) return true;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, over escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const isContainer = (v: unknown): v is object => typeof v === "object" && v !== null;

/** One map or list being walked: its keys (null for a list) and the position reached. */
interface Level {
  readonly container: object;
  readonly keys: string[] | null;
  readonly length: number;
  next: number;
}

function level(container: object): Level {
  if (Array.isArray(container)) return { container, keys: null, length: container.length, next: 0 };
  const keys = Object.keys(container);
  return { container, keys, length: keys.length, next: 0 };
}

function keyAt(l: Level, i: number): PathSegment {
  return l.keys === null ? i : l.keys[i]!;
}

function childAt(l: Level, i: number): unknown {
  return l.keys === null ? (l.container as unknown[])[i] : (l.container as Record<string, unknown>)[l.keys[i]!];
}

/**
 * The first bound `value` crosses (depth, then expanded size), or null when it is within all.
 * Depth first with a stack of levels, so the path of the container that is too deep is the stack.
 */
export function checkBounds(value: unknown): ConfigIssue | null {
  let size = 1 + (typeof value === "string" ? value.length : 0);
  if (!isContainer(value)) return null;
  const stack: Level[] = [level(value)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.length) {
      stack.pop();
      continue;
    }
    const child = childAt(top, top.next++);
    size += 1 + (typeof child === "string" ? child.length : 0);
    if (size > MAX_EXPANDED_SIZE) return tooLarge();
    if (!isContainer(child)) continue;
    // The child is at depth stack.length (the root is at 0).
    if (stack.length >= MAX_DEPTH) return tooDeep(stack.map((l) => keyAt(l, l.next - 1)));
    stack.push(level(child));
  }
  return null;
}
