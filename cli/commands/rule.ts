import { compileRule, type RuleError } from "../../worker/rules/index.ts";
import { DEFAULT_SETTINGS, UsageError, parse, readText, required, type CliSettings, type Io } from "../io.ts";
import { answerEach, parseRequests } from "../requests.ts";

/** `--syntax v2|v3` reads RULE in that syntax (default: the default rule syntax). */
export async function ruleCommand(args: string[], io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<number> {
  const { values } = parse(args, { rule: { type: "string" }, requests: { type: "string" }, syntax: { type: "string" } });
  const rule = required(values.rule, "--rule");
  const syntax = values.syntax ?? settings.defaultRuleSyntax;
  if (syntax !== "v2" && syntax !== "v3") throw new UsageError(`--syntax must be v3 or v2, got ${JSON.stringify(syntax)}`);
  const requests = parseRequests(await readText(required(values.requests, "--requests")));
  const compiled = compileRule(rule, syntax);
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
