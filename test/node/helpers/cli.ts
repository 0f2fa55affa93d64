// The CLI run in this process (cli/main.ts), its output captured: what the node tests assert on.
import { main } from "../../../cli/main.ts";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** stdout, one entry per line written. */
  readonly lines: string[];
}

export async function runCli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n"), lines: out };
}
