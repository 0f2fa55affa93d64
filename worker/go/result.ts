// The one Result shape of the code base: errors are values, never exceptions across a module.
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
