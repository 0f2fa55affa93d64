// Traefik's regexes are Go (RE2). JavaScript reads most of them as they are; this bridges the two
// Go-isms common in Traefik configs: `(?P<name>...)` groups and leading inline flags `(?i)`.
import type { Result } from "./issues.ts";

// Flags at the very start, or just after a leading `^` (`^(?i)/api`, as Traefik's own examples write).
const LEADING_FLAGS = /^(\^?)\(\?([imsU]+)\)/;

/** Compiles a Go regular expression as a JavaScript RegExp, or says why it cannot. */
export function compileGoRegex(source: string): Result<RegExp, string> {
  let pattern = source.replaceAll("(?P<", "(?<");
  let flags = "";
  const leading = LEADING_FLAGS.exec(pattern);
  if (leading) {
    const goFlags = leading[2] ?? "";
    if (goFlags.includes("U")) return { ok: false, error: "the Go flag (?U) (ungreedy) has no JavaScript equivalent" };
    flags = goFlags;
    pattern = (leading[1] ?? "") + pattern.slice(leading[0].length);
  }
  try {
    return { ok: true, value: new RegExp(pattern, flags) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
