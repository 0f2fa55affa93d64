// zod issues → ConfigIssues with full paths and messages written for people editing a config.
import { $ZodArray, $ZodDefault, type $ZodError, $ZodLazy, $ZodNullable, $ZodObject, $ZodOptional, $ZodPipe, $ZodPrefault, $ZodRecord, $ZodTransform, type $ZodRawIssue, type $ZodType } from "zod/v4/core";
import { error, type ConfigIssue, type Path, type PathSegment } from "./issues.ts";
import { MIDDLEWARE_TYPES, middlewareSchema } from "../schema/middlewares.ts";
import { didYouMean } from "../rules/suggest.ts";

type Schema = $ZodType;

/**
 * Strips wrappers (optional, default, preprocess, lazy...) down to the schema that holds structure.
 * The schema's entities are z.lazy (built on first use, worker/schema/README.md): unwrapping one builds it.
 */
export function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    if (current instanceof $ZodLazy) current = current._zod.innerType;
    else if (current instanceof $ZodOptional || current instanceof $ZodNullable) current = current._zod.def.innerType;
    else if (current instanceof $ZodDefault || current instanceof $ZodPrefault) current = current._zod.def.innerType;
    else if (current instanceof $ZodPipe) {
      const { in: input, out } = current._zod.def;
      current = input instanceof $ZodTransform ? out : input;
    } else return current;
  }
}

/** The schema found by following `path` from `root`, if any, unwrapped. */
export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current: Schema | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    const s = unwrap(current);
    if (s instanceof $ZodObject) current = s._zod.def.shape[String(segment)];
    else if (s instanceof $ZodRecord) current = s._zod.def.valueType;
    else if (s instanceof $ZodArray) current = s._zod.def.element;
    else return undefined;
  }
  return current === undefined ? undefined : unwrap(current);
}

function describe(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

const EXPECTED: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "a map of keys to values",
  record: "a map of keys to values",
  array: "a list",
};

type RawIssue = $ZodRawIssue;

function sizeMessage(issue: RawIssue & { code: "too_small" | "too_big" }): string {
  const small = issue.code === "too_small";
  const bound = String(small ? issue.minimum : issue.maximum);
  if (issue.origin === "string") return small && bound === "1" ? "must not be empty" : `length must be ${small ? "at least" : "at most"} ${bound}`;
  if (issue.origin === "array") return `must have ${small ? "at least" : "at most"} ${bound} item(s)`;
  const op = small ? (issue.inclusive === false ? ">" : "≥") : issue.inclusive === false ? "<" : "≤";
  return `must be ${op} ${bound} (got ${describe(issue.input)})`;
}

/**
 * Messages for zod's own checks, passed to safeParse as its error map: a message a schema sets
 * itself takes precedence over these.
 */
export function errorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      const last = issue.path?.[issue.path.length - 1];
      if (issue.input === undefined && last !== undefined) return `"${String(last)}" is required`;
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    }
    case "too_small":
    case "too_big":
      return sizeMessage(issue);
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")} (got ${describe(issue.input)})`;
    default:
      return undefined;
  }
}

function unknownKey(root: Schema, at: readonly PropertyKey[], key: string): string {
  const schema = schemaAt(root, at);
  if (schema === unwrap(middlewareSchema)) {
    return `unknown middleware type "${key}"${didYouMean(key, MIDDLEWARE_TYPES)}; valid types are ${MIDDLEWARE_TYPES.join(", ")}`;
  }
  const known = schema instanceof $ZodObject ? Object.keys(schema._zod.def.shape) : [];
  const hint = didYouMean(key, known);
  if (hint !== "" || known.length === 0) return `unknown key "${key}"${hint}`;
  return `unknown key "${key}"; known keys here: ${known.join(", ")}`;
}

/** Converts one parse failure of `root` (run with reportInput and errorMap) into issues under `prefix`. */
export function fromZod(zodError: $ZodError, root: Schema, prefix: Path): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of zodError.issues) {
    const relative = issue.path as PathSegment[];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push(error([...prefix, ...relative, key], unknownKey(root, relative, key)));
    } else if (issue.code === "invalid_key") {
      const inner = issue.issues.map((i) => i.message).join("; ");
      out.push(error([...prefix, ...relative], `invalid key ${describe(issue.input)}: ${inner}`));
    } else {
      out.push(error([...prefix, ...relative], issue.message));
    }
  }
  return out;
}
