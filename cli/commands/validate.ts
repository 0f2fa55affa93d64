import { apiInternalServices } from "../../worker/api/internal.ts";
import { checkConfig } from "../../worker/compile/check.ts";
import { loadConfig, type ConfigIssue, type DynamicConfig } from "../../worker/config/index.ts";
import { DEFAULT_SETTINGS, formatOf, parse, readText, UsageError, type CliSettings, type Io } from "../io.ts";

export async function validateCommand(args: string[], io: Io, settings: CliSettings = DEFAULT_SETTINGS): Promise<number> {
  const { positionals } = parse(args, {}, 1);
  const file = positionals[0];
  if (!file) throw new UsageError("FILE is required");
  const { defaultRuleSyntax } = settings;
  const result = loadConfig(await readText(file), formatOf(file), { defaultRuleSyntax });
  const checked = result.ok ? checkConfig(result.config, { rules: result.rules, internal: apiInternalServices, defaultRuleSyntax }) : result;
  if (!checked.ok) {
    io.err(`${file}: invalid (${checked.errors.length} error${checked.errors.length === 1 ? "" : "s"})`);
    for (const e of checked.errors) io.err(formatIssue(e));
    for (const w of result.warnings) io.err(formatIssue(w));
    return 1;
  }
  io.out(`${file}: valid (${summary(checked.config)})`);
  for (const w of result.warnings) io.out(formatIssue(w));
  return 0;
}

export function formatIssue(issue: ConfigIssue): string {
  return `  ${issue.severity}: ${issue.path || "(root)"}: ${issue.message}`;
}

function summary(config: DynamicConfig): string {
  const http = config.http ?? {};
  const count = (o: object | undefined, noun: string) => {
    const n = Object.keys(o ?? {}).length;
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
  };
  return [
    count(http.routers, "router"),
    count(http.services, "service"),
    count(http.middlewares, "middleware"),
    count(http.serversTransports, "serversTransport"),
  ].join(", ");
}
