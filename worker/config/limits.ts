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

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly key: PathSegment;
  readonly parent: Frame | null;
}

function pathOf(frame: Frame): PathSegment[] {
  const path: PathSegment[] = [];
  for (let f: Frame | null = frame; f?.parent; f = f.parent) path.push(f.key);
  return path.reverse();
}

function tooDeep(frame: Frame): ConfigIssue {
  return error(pathOf(frame), `nested deeper than ${MAX_DEPTH} levels of maps and lists (the limit; a Traefik dynamic configuration needs about 8)`);
}

function tooLarge(): ConfigIssue {
  return error([], `the config expands to more than ${MAX_EXPANDED_SIZE.toLocaleString("en-US")} values and characters (the limit, about 8 MB of JSON): YAML aliases repeat their anchor's whole content each time`);
}

/** Pushes the children of a map or list. */
function push(stack: Frame[], frame: Frame): void {
  const { value, depth } = frame;
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, key: i, parent: frame });
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: record[keys[i]!], depth: depth + 1, key: keys[i]!, parent: frame });
}

/** The first bound `value` crosses (depth, then expanded size), or null when it is within all. */
export function checkBounds(value: unknown): ConfigIssue | null {
  const stack: Frame[] = [{ value, depth: 0, key: "", parent: null }];
  let size = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    size += 1 + (typeof v === "string" ? v.length : 0);
    if (size > MAX_EXPANDED_SIZE) return tooLarge();
    if (typeof v !== "object" || v === null) continue;
    if (frame.depth >= MAX_DEPTH) return tooDeep(frame);
    push(stack, frame);
  }
  return null;
}
