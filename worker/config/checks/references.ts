// Every reference names something that exists, through a provider Switchyard has.
import { resolveRef, type RefKind } from "../references.ts";
import type { DefinedNames } from "../entities.ts";
import { didYouMean } from "../../rules/suggest.ts";
import type { CheckContext } from "./context.ts";
import { referenceSites } from "./sites.ts";

const SECTION_OF: Record<RefKind, keyof DefinedNames> = {
  service: "services",
  middleware: "middlewares",
  serversTransport: "serversTransports",
  router: "routers",
};

export function checkReferences(ctx: CheckContext): void {
  for (const site of referenceSites(ctx.config)) {
    const resolved = resolveRef(site.ref, site.kind, site.fromRouter);
    if (resolved.kind === "error") {
      ctx.issues.error(site.path, resolved.message);
      continue;
    }
    if (resolved.kind === "internal") continue;
    const section = SECTION_OF[site.kind];
    const names = ctx.defined[section];
    if (!names.has(resolved.name)) {
      const hint = didYouMean(resolved.name, names);
      ctx.issues.error(site.path, `${site.kind} "${site.ref}" does not exist: it is not defined in http.${section}${hint}`);
    }
  }
}
