// The common router, read without the schema library: `rule`, `service` and maybe `priority` and
// `middlewares`, every key spelled as Switchyard spells it and every value of the plain type. For
// such a router the schema (schema/routers.ts) gives a copy of the same fields, and the key-case
// pass (keys.ts) has nothing to rename, so this gives that copy directly. Anything else (another
// key, a key in other case, a quoted number, a wrong type...) gives undefined, and the schema reads
// it, with its errors and warnings. test/unit/config/quick-router.test.ts holds both to the same
// output on generated routers, valid or not.
//
// Why: a config of 10,000 routers loads in every new isolate, and the schema library costs a few
// microseconds per router in code V8 has not optimized yet; this costs a tenth of that.

import type { RouterConfig } from "../schema/routers.ts";

const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v !== "";
// The schema trims list items (as Traefik does: common.ts splitList): an item it would change is left to it.
const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string" && x.trim() === x);
// The schema's int: a safe integer (zod's z.int()), here at least 0.
const priority = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** The router the schema would give for `value`, when `value` is of the common shape; else undefined. */
export function quickRouter(value: unknown): RouterConfig | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  let keys = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key !== "rule" && key !== "service" && key !== "priority" && key !== "middlewares") return undefined;
    keys++;
  }
  const { rule, service, priority: p, middlewares } = value as Record<string, unknown>;
  if (!nonEmptyString(rule) || !nonEmptyString(service)) return undefined;
  if (p !== undefined && !priority(p)) return undefined;
  if (middlewares !== undefined && !stringList(middlewares)) return undefined;
  if (keys !== 2 + (p === undefined ? 0 : 1) + (middlewares === undefined ? 0 : 1)) return undefined;
  // As the schema gives it: its own copy of the list, keys in the schema's order.
  const list = middlewares === undefined ? undefined : [...middlewares];
  if (p === undefined) return list === undefined ? { rule, service } : { rule, middlewares: list, service };
  return list === undefined ? { rule, priority: p, service } : { rule, priority: p, middlewares: list, service };
}
