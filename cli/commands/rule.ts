import { compileRule, viewFromDescription, type RuleError } from "../../worker/rules/index.ts";
import { parse, readText, required, type Io } from "../io.ts";
import { parseRequests } from "../requests.ts";

export async function ruleCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { rule: { type: "string" }, requests: { type: "string" } });
  const rule = required(values.rule, "--rule");
  const requests = parseRequests(await readText(required(values.requests, "--requests")));
  const compiled = compileRule(rule);
  if (!compiled.ok) {
    io.err(formatRuleError(rule, compiled.error));
    return 1;
  }
  let bad = 0;
  for (const entry of requests) {
    if ("error" in entry) {
      bad++;
      io.out(JSON.stringify({ match: false, error: entry.error }));
      continue;
    }
    io.out(JSON.stringify({ match: compiled.value.match(viewFromDescription(entry.request)) }));
  }
  if (bad > 0) io.err(`${bad} request line${bad === 1 ? "" : "s"} could not be read`);
  return bad > 0 ? 1 : 0;
}

/** The rule, a caret under the position, and the message. */
export function formatRuleError(rule: string, error: RuleError): string {
  return `invalid rule at position ${error.position}: ${error.message}\n  ${rule}\n  ${" ".repeat(error.position)}^`;
}
