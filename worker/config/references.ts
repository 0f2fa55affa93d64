// `name@provider` references, resolved the way Traefik resolves them, for Switchyard's providers.

/** Providers whose config is this config: `svc@file`, `svc@kv`, `svc@switchyard` all mean `svc`. */
export const LOCAL_PROVIDERS = ["file", "kv", "switchyard"] as const;

/** Built-in services a router may name as `NAME@internal`: names only (the entry hands their handlers to the compiler). */
export const INTERNAL_SERVICES = ["api", "dashboard", "noop"] as const;

export type RefKind = "service" | "middleware" | "serversTransport" | "router";

export interface ParsedRef {
  readonly name: string;
  readonly provider: string | null;
}

export type Resolved =
  | { kind: "local"; name: string }
  | { kind: "internal"; name: string }
  | { kind: "error"; message: string };

export function parseRef(ref: string): ParsedRef {
  const at = ref.lastIndexOf("@");
  return at < 0 ? { name: ref, provider: null } : { name: ref.slice(0, at), provider: ref.slice(at + 1) };
}

/** The local name a reference points at (`svc@file` → `svc`); use on refs that passed validation. */
export function localName(ref: string): string {
  // parseRef(ref).name, without the object: the snapshot compiler asks this for every router.
  const at = ref.lastIndexOf("@");
  return at < 0 ? ref : ref.slice(0, at);
}

function resolveInternal(name: string, kind: RefKind, fromRouter: boolean): Resolved {
  const builtins: readonly string[] = INTERNAL_SERVICES;
  if (kind === "service" && fromRouter && builtins.includes(name)) return { kind: "internal", name };
  const allowed = INTERNAL_SERVICES.map((s) => `${s}@internal`).join(", ");
  if (kind !== "service" || !builtins.includes(name)) {
    return { kind: "error", message: `"${name}@internal" is not a built-in ${kind}; @internal is reserved for the built-in services ${allowed}` };
  }
  return { kind: "error", message: `"${name}@internal" can only be used as a router's service` };
}

/**
 * Resolves a reference. `fromRouter`: the reference is a router's `service` (the only place
 * @internal services are allowed).
 */
export function resolveRef(ref: string, kind: RefKind, fromRouter = false): Resolved {
  const { name, provider } = parseRef(ref);
  if (name === "") return { kind: "error", message: `"${ref}" has no name before "@"` };
  if (name.includes("@")) return { kind: "error", message: `"${ref}" is not a valid reference: use name or name@provider` };
  if (provider === null) return { kind: "local", name };
  if ((LOCAL_PROVIDERS as readonly string[]).includes(provider)) return { kind: "local", name };
  if (provider === "internal") return resolveInternal(name, kind, fromRouter);
  const ours = LOCAL_PROVIDERS.map((p) => `@${p}`).join(", ");
  return {
    kind: "error",
    message: `provider "${provider}" is not available in Switchyard (in "${ref}"): define ${kind} "${name}" in this config and reference it as "${name}" (or with ${ours})`,
  };
}
