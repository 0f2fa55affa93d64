import { compileRule, type RuleError } from "../../worker/rules/index.ts";
import { parse, readText, required, type Io } from "../io.ts";
import { answerEach, parseRequests } from "../requests.ts";

export async function ruleCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { rule: { type: "string" }, requests: { type: "string" } });
  const rule = required(values.rule, "--rule");
  const requests = parseRequests(await readText(required(values.requests, "--requests")));
  const compiled = compileRule(rule);
  if (!compiled.ok) {
    io.err(formatRuleError(rule, compiled.error));
    return 1;
  }
  return answerEach(requests, io, { match: false }, (view) => ({ match: compiled.value.match(view) }));
}

/** The rule, a caret under the position, and the message. */
export function formatRuleError(rule: string, error: RuleError): string {
  return `invalid rule at position ${error.position}: ${error.message}\n  ${rule}\n  ${" ".repeat(error.position)}^`;
}
