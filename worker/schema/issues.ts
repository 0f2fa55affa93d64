// Errors are values: every problem found in a config is a ConfigIssue with a path a user can follow.
// These basics sit with the schema so option checks below config/ (middlewares, services) can report.

export interface ConfigIssue {
  /** Where: `http.routers.api.rule`, `http.middlewares.auth.basicAuth.users[1]`, `""` for the whole text. */
  path: string;
  message: string;
  severity: "error" | "warning";
}

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Dotted path with array indices; a key that is not a plain identifier (letters, digits, `_`, `-`,
 * not starting with a digit) is quoted: `http.routers["my.router"].rule`.
 */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function error(path: Path, message: string): ConfigIssue {
  return { path: formatPath(path), message, severity: "error" };
}

export function warning(path: Path, message: string): ConfigIssue {
  return { path: formatPath(path), message, severity: "warning" };
}

/** Where a module's own option check reports: an error refuses the config, a warning is shown with it. */
export interface IssueSink {
  error(path: Path, message: string): void;
  warn(path: Path, message: string): void;
}

/** Collects issues while a check runs; checks push, the caller splits errors from warnings. */
export class IssueList implements IssueSink {
  readonly items: ConfigIssue[] = [];

  error(path: Path, message: string): void {
    this.items.push(error(path, message));
  }

  warn(path: Path, message: string): void {
    this.items.push(warning(path, message));
  }

  get errors(): ConfigIssue[] {
    return this.items.filter((i) => i.severity === "error");
  }

  get warnings(): ConfigIssue[] {
    return this.items.filter((i) => i.severity === "warning");
  }
}
