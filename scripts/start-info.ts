// What `npm start` says about the dashboard: its URL (wrangler's --ip/--port, else wrangler.toml's
// [dev]; the admin base from --var ADMIN_BASE_PATH:…, .dev.vars, else wrangler.toml's [vars]) and
// where the sign-in token comes from. Pure: the arguments and file texts are handed in.
import { parse } from "smol-toml";

export interface DashboardInfo {
  readonly url: string;
  readonly signIn: string;
}

export function dashboardInfo(args: readonly string[], devVars: Readonly<Record<string, string>>, wranglerToml: string): DashboardInfo {
  const cliVars = varsFromArgs(args);
  const ip = option(args, "ip") ?? tomlValue(wranglerToml, "dev", "ip") ?? "127.0.0.1";
  const port = option(args, "port") ?? tomlValue(wranglerToml, "dev", "port") ?? "8787";
  const rawBase = cliVars.ADMIN_BASE_PATH ?? devVars.ADMIN_BASE_PATH ?? tomlValue(wranglerToml, "vars", "ADMIN_BASE_PATH") ?? "/__switchyard";
  const trimmed = rawBase.replace(/\/+$/, "");
  const base = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  const host = ip === "0.0.0.0" || ip === "::" ? "127.0.0.1" : ip.includes(":") ? `[${ip}]` : ip;
  const url = `http://${host}:${port}${base}/dashboard/`;
  const signIn =
    cliVars.ADMIN_TOKEN !== undefined
      ? "sign in with the token given as --var ADMIN_TOKEN:…"
      : devVars.ADMIN_TOKEN !== undefined
        ? "sign in with ADMIN_TOKEN from .dev.vars"
        : "no ADMIN_TOKEN is set, so the admin API (and the dashboard's sign-in) is off: restart with `npm start -- --var ADMIN_TOKEN:change-me`, or put ADMIN_TOKEN=… in .dev.vars";
  return { url, signIn };
}

/** `--name value` or `--name=value`. */
function option(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `--${name}`) return args[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** wrangler's `--var KEY:VALUE` (repeatable; also `--var=KEY:VALUE`, and several after one --var). */
function varsFromArgs(args: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  let inVar = false;
  for (const arg of args) {
    const value = arg.startsWith("--var=") ? arg.slice(6) : inVar && !arg.startsWith("-") ? arg : null;
    inVar = arg === "--var" || (inVar && !arg.startsWith("-"));
    if (value === null) continue;
    const colon = value.indexOf(":");
    if (colon > 0) vars[value.slice(0, colon)] = value.slice(colon + 1);
  }
  return vars;
}

/** .dev.vars: KEY=VALUE lines, values optionally quoted, # comments. */
export function readDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    vars[m[1]!] = m[2]!.replace(/^"(.*)"$|^'(.*)'$/, "$1$2");
  }
  return vars;
}

/** `[section] key` of wrangler.toml, as text. */
function tomlValue(toml: string, section: string, key: string): string | undefined {
  const table = (parse(toml) as Record<string, unknown>)[section];
  const value = typeof table === "object" && table !== null ? (table as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}
