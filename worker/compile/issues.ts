import type { ConfigIssue } from "../config/index.ts";

export type CompileIssue = ConfigIssue;

export function issue(path: string, message: string): CompileIssue {
  return { path, message, severity: "error" };
}

export function routerPath(name: string): string {
  return `http.routers${key(name)}`;
}

export function servicePath(name: string): string {
  return `http.services${key(name)}`;
}

// Same path syntax as config validation: dotted identifiers, quoted brackets otherwise.
function key(name: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** `svc@file` → `svc`: every provider of ours resolves to this one config (see config validation). */
export function localName(ref: string): string {
  const at = ref.lastIndexOf("@");
  return at < 0 ? ref : ref.slice(0, at);
}
