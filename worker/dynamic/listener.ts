// The router listener: validate, compile against the current snapshot (so unchanged pools carry
// over), then swap. Any failure throws before the swap: the last good snapshot keeps serving.
// A config without routers over one with routers is refused unless its ref says allowEmpty (the
// config store marks what it admitted; a version key written by hand must say so itself).
import type { Versioned } from "../../providers/types.ts";
import { compileSnapshot, type Snapshot } from "../compile/snapshot.ts";
import { routerCount, validateConfig, wipeRefusal, type ConfigIssue } from "../config/index.ts";
import type { Switcher } from "./switcher.ts";
import type { Listener } from "./watcher.ts";

export class ConfigRejected extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(version: number, issues: readonly ConfigIssue[]) {
    const shown = issues.slice(0, 5).map((i) => `${i.path || "(root)"}: ${i.message}`);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
    super(`config version ${version} rejected: ${shown.join("; ")}${more}`);
    this.issues = issues;
  }
}

export function routerListener(switcher: Switcher<Snapshot>): Listener {
  return async ({ ref, value, provider }) => {
    const valid = validateConfig(value);
    if (!valid.ok) throw new ConfigRejected(ref.version, valid.errors);
    const current = switcher.current;
    const currentName = current ? `version ${current.meta.version}, which this isolate serves` : undefined;
    const wipe = wipeRefusal(current ? routerCount(current.config) : null, routerCount(valid.config), ref.allowEmpty === true, "kv", currentName);
    if (wipe) throw new ConfigRejected(ref.version, [{ path: "http.routers", message: wipe, severity: "error" }]);
    const meta = { version: ref.version, sha256: ref.sha256, source: ref.key, provider: provider ?? "switchyard", warnings: valid.warnings };
    const compiled = compileSnapshot(valid.config, meta, switcher.current, valid.rules);
    if (!compiled.ok) throw new ConfigRejected(ref.version, compiled.errors);
    switcher.swap(compiled.snapshot);
  };
}
