// Secret option values: `env:NAME` names a Worker secret (or var) read from the bindings at request
// time, so the secret never sits in the config; anything else is the literal value.
const ENV_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

export type SecretRef = { readonly env: string } | { readonly literal: string };

export function secretRef(value: string): SecretRef {
  const match = ENV_REF.exec(value);
  return match ? { env: match[1]! } : { literal: value };
}

/** The secret's value, or an error message naming the missing binding. */
export function resolveSecret(ref: SecretRef, env: object): { value: string } | { error: string } {
  if ("literal" in ref) return { value: ref.literal };
  const value = (env as Partial<Record<string, unknown>>)[ref.env];
  if (typeof value !== "string" || value === "") return { error: `the Worker has no secret ${ref.env} (wrangler secret put ${ref.env})` };
  return { value };
}
