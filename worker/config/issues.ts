// Errors are values: every problem found in a config is a ConfigIssue with a path a user can follow.
// The basics live in worker/schema/issues.ts (below services and middlewares, which report too);
// they are re-exported here for config/ and the layers above.

export type { Result } from "../go/result.ts";
export { error, formatPath, IssueList, warning, type ConfigIssue, type IssueSink, type Path, type PathSegment } from "../schema/issues.ts";
