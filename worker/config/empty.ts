// A config without any router is valid, but publishing it over one that has routers removes every
// route at once: the classic accident is a provider file that went empty (or `{}`, `null`,
// `{"http":null}`). Traefik's configuration watcher skips a provider's empty configuration
// (traefik pkg/server/configurationwatcher.go isEmptyConfiguration); Switchyard refuses one that
// would replace routers, unless the writer says it is meant (allowEmpty). Every write path asks
// the same two questions here: the config store, the CLI, and each isolate's listener (raw KV).

/** How many http routers a (parsed or validated) config declares; anything unreadable counts 0. */
export function routerCount(config: unknown): number {
  const http = isRecord(config) ? config["http"] : undefined;
  const routers = isRecord(http) ? http["routers"] : undefined;
  return isRecord(routers) ? Object.keys(routers).length : 0;
}

/** Where the writer can say "on purpose", for the refusal's message. */
export const ALLOW_EMPTY_HINTS = {
  api: "?allowEmpty=true (switchyard push --allow-empty)",
  cli: "--allow-empty (?allowEmpty=true in the admin API)",
  kv: '"allowEmpty": true in the version key (switchyard push --kv --allow-empty)',
} as const;

export type AllowEmptyHint = keyof typeof ALLOW_EMPTY_HINTS;

/**
 * Null when the write may go ahead; else why not. `current`: routers in what is stored or served
 * now (0 or null: nothing to lose), `next`: routers in the new config.
 */
export function wipeRefusal(current: number | null, next: number, allowEmpty: boolean, hint: AllowEmptyHint, currentName = "the current config"): string | null {
  if (next > 0 || allowEmpty || !current) return null;
  const routes = current === 1 ? "its 1 router" : `all ${current} of its routers`;
  return `the new config has no routers: publishing it would remove ${routes} from ${currentName}; refused so routes are not wiped by accident. To remove every route on purpose, use ${ALLOW_EMPTY_HINTS[hint]}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
