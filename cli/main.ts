// `switchyard`: validate configs and debug rules locally (and, later, drive a deployed router).
import { explainCommand } from "./commands/explain.ts";
import { diffCommand, historyCommand, pullCommand, pushCommand, rollbackCommand } from "./commands/remote.ts";
import { planCommand } from "./commands/plan.ts";
import { ruleCommand } from "./commands/rule.ts";
import { shadowCommand } from "./commands/shadow.ts";
import { statusCommand } from "./commands/status.ts";
import { tokenCommand } from "./commands/token.ts";
import { validateCommand } from "./commands/validate.ts";
import { parseDefaultRuleSyntax } from "../worker/config/index.ts";
import { UsageError, type CliSettings, type Command, type Io } from "./io.ts";

const COMMANDS: Record<string, Command> = {
  validate: validateCommand,
  explain: explainCommand,
  rule: ruleCommand,
  push: pushCommand,
  pull: pullCommand,
  history: historyCommand,
  rollback: rollbackCommand,
  diff: diffCommand,
  plan: planCommand,
  shadow: shadowCommand,
  status: statusCommand,
  token: tokenCommand,
};

export const USAGE = `usage: switchyard <command> [options]

  validate FILE                                   check a dynamic config (YAML, TOML or JSON)
  explain --config FILE --requests REQS.jsonl     which router each request would hit
  rule --rule 'RULE' --requests REQS.jsonl [--syntax v3|v2]
                                                  whether each request matches RULE

  push FILE [--if-match V] [--message M] [--dry-run] [--allow-empty]
                                                  validate, show the diff, publish via the admin API
  push FILE --kv [--remote] [--binding B] [--persist-to DIR] [--allow-empty]
                                                  publish straight to KV through wrangler
  pull [--version V] [-o FILE]                    the current (or a retained) config as JSON
  history [--limit N]                             published versions, newest first
  rollback VERSION [--if-match V] [--allow-empty] publish an old version's content as a new version
  diff A B [--json]                               routers/services/middlewares added, removed, changed,
                                                  and each field that changed
  plan FILE [--requests REQS.jsonl] [--json]      what publishing FILE would change: the field-level diff
                                                  against the live version, and which requests would be
                                                  routed elsewhere; exit 2 when something changes (CI)
  shadow FILE [--sample-rate R]                   evaluate FILE against a sample of real requests without
                                                  serving it (default 1 %); shadow status [--json]: which
                                                  would move where; shadow stop: end it
  status [--json]                                 the fleet: versions served where, the oldest, refusals
                                                  and why, isolates not heard from (<base>/status/fleet)
  token create NAME --scope read,write[,rollback,metrics]
                                                  a stored admin token (printed once); needs the ADMIN_TOKEN
  token list [--json]                             stored tokens: name, scopes, when made
  token revoke NAME                               the token stops working (within 10 s everywhere)

A config without routers is refused over one that has routers (it would remove every route);
--allow-empty publishes it on purpose. Versions are whole numbers up to 9007199254740991.

Every command takes --default-rule-syntax v3|v2 (default $DEFAULT_RULE_SYNTAX, else v3): the syntax
of routers without ruleSyntax; set it as the Worker's DEFAULT_RULE_SYNTAX is set.

Remote commands take --url (default $SWITCHYARD_URL or http://127.0.0.1:8787), --base
(default /__switchyard) and the token from $SWITCHYARD_TOKEN (the ADMIN_TOKEN, or a stored token
with the scope the command needs: read, write, rollback, metrics).

REQS.jsonl: one JSON object per line, e.g.
  {"method":"GET","url":"https://a.com/x?y=1","headers":{"X-A":"b"},"remoteAddr":"10.0.0.1:1234"}
`;

const nodeIo: Io = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

export async function main(argv: string[], io: Io = nodeIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`switchyard: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const { args, settings } = globalSettings(rest, process.env.DEFAULT_RULE_SYNTAX);
    return await command(args, io, settings);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`switchyard ${name}: ${err.message}\n\n${USAGE}`);
      // plan's 2 means "something would change" (a CI gate): a usage error there is an error, 1.
      return name === "plan" ? 1 : 2;
    }
    io.err(`switchyard ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

const SYNTAX_FLAG = "--default-rule-syntax";

/** Takes the global flags out of a command's arguments (`--default-rule-syntax v2` or `=v2`). */
export function globalSettings(argv: readonly string[], fromEnv: string | undefined): { args: string[]; settings: CliSettings } {
  const args: string[] = [];
  let value = fromEnv;
  let name = "DEFAULT_RULE_SYNTAX";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === SYNTAX_FLAG) {
      if (i + 1 >= argv.length) throw new UsageError(`${SYNTAX_FLAG} needs a value (v3 or v2)`);
      [value, name] = [argv[++i], SYNTAX_FLAG];
    } else if (arg.startsWith(`${SYNTAX_FLAG}=`)) {
      [value, name] = [arg.slice(SYNTAX_FLAG.length + 1), SYNTAX_FLAG];
    } else {
      args.push(arg);
    }
  }
  const syntax = parseDefaultRuleSyntax(value, name);
  if (!syntax.ok) throw new UsageError(syntax.error);
  return { args, settings: { defaultRuleSyntax: syntax.value } };
}
