// Compile errors are config issues: same shape and path syntax as validation's.
import { error, type ConfigIssue } from "../config/issues.ts";

export type CompileIssue = ConfigIssue;
export { localName } from "../config/index.ts";

export function routerIssue(name: string, field: string, message: string): CompileIssue {
  return error(["http", "routers", name, field], message);
}

