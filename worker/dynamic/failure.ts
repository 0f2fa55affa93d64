// What a failed poll says about itself, beyond its message: which version it could not take (null
// when the provider could not even name one) and, for a refused config, the paths of its first
// issues. The fleet status groups refusals by these.
//
// The listener's ConfigRejected is recognised by its shape (an `issues` list of {path}), not by
// class: the listener imports the watcher's types, and the watcher must not import it back.

/** How many issue paths a failure keeps (the message already names the first five). */
const MAX_PATHS = 5;

export interface FailureDetail {
  /** The version the poll was taking when it failed; null when reading the version itself failed. */
  readonly version: number | null;
  /** The first issues' JSON paths (`""` for the whole config) when the config was refused; else empty. */
  readonly paths: readonly string[];
}

export function failureDetail(err: unknown, version: number | null): FailureDetail {
  return { version, paths: issuePaths(err) };
}

function issuePaths(err: unknown): string[] {
  if (typeof err !== "object" || err === null || !("issues" in err) || !Array.isArray(err.issues)) return [];
  const issues: unknown[] = err.issues;
  return issues.slice(0, MAX_PATHS).flatMap((issue) => {
    const path: unknown = typeof issue === "object" && issue !== null && "path" in issue ? issue.path : undefined;
    return typeof path === "string" ? [path] : [];
  });
}
