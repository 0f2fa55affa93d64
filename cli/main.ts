// `switchyard`: validate configs and debug rules locally (and, later, drive a deployed router).
import { explainCommand } from "./commands/explain.ts";
import { diffCommand, historyCommand, pullCommand, pushCommand, rollbackCommand } from "./commands/remote.ts";
import { ruleCommand } from "./commands/rule.ts";
import { validateCommand } from "./commands/validate.ts";
import { UsageError, type Command, type Io } from "./io.ts";

const COMMANDS: Record<string, Command> = {
  validate: validateCommand,
  explain: explainCommand,
  rule: ruleCommand,
  push: pushCommand,
  pull: pullCommand,
  history: historyCommand,
  rollback: rollbackCommand,
  diff: diffCommand,
};

export const USAGE = `usage: switchyard <command> [options]

  validate FILE                                   check a dynamic config (YAML, TOML or JSON)
  explain --config FILE --requests REQS.jsonl     which router each request would hit
  rule --rule 'RULE' --requests REQS.jsonl        whether each request matches RULE

  push FILE [--if-match V] [--message M] [--dry-run] [--allow-empty]
                                                  validate, show the diff, publish via the admin API
  push FILE --kv [--remote] [--binding B] [--persist-to DIR] [--allow-empty]
                                                  publish straight to KV through wrangler
  pull [--version V] [-o FILE]                    the current (or a retained) config as JSON
  history [--limit N]                             published versions, newest first
  rollback VERSION [--if-match V] [--allow-empty] publish an old version's content as a new version
  diff A B                                        routers/services/middlewares added, removed, changed

A config without routers is refused over one that has routers (it would remove every route);
--allow-empty publishes it on purpose. Versions are whole numbers up to 9007199254740991.

Remote commands take --url (default $SWITCHYARD_URL or http://127.0.0.1:8787), --base
(default /__switchyard) and the token from $SWITCHYARD_TOKEN.

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
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`switchyard ${name}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`switchyard ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
