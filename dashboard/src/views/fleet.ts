// #/fleet: GET <base>/status/fleet (docs/fleet-status.md): which versions the isolates serve and
// where, refusals with their reasons and paths, errors, isolates not heard from.
import { append, facts, h, message, time } from "../dom.ts";
import type { ViewContext } from "./context.ts";

interface VersionServed {
  version: number;
  sha256: string;
  isolates: number;
  colos: string[];
  since: string;
  supersededAt?: string | null;
}
interface Fleet {
  at: string;
  storeVersion: number | null;
  isolates: number;
  notServing: number;
  versions: VersionServed[];
  oldest: VersionServed | null;
  refused: { version: number; isolates: number; reasons: { message: string; paths: string[]; isolates: number; colos: string[] }[] }[];
  errors: { message: string; isolates: number; colos: string[] }[];
  notHeardFrom: { isolates: number; list: { isolate: string; colo: string; version: number | null; lastReportAt: string }[] };
}

export async function fleet(ctx: ViewContext): Promise<void> {
  const f = await ctx.api.json<Fleet>("GET", "/status/fleet");
  if (!ctx.alive()) return;
  const th = (...cols: string[]) => h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c))));
  append(ctx.root, [
    h("h1", {}, "Fleet"),
    facts("fleet-facts", [
      ["store version", String(f.storeVersion ?? "none")],
      ["isolates heard from", h("span", { testid: "fleet-isolates" }, String(f.isolates))],
      ["serving nothing", String(f.notServing)],
      ["oldest served", f.oldest ? `${f.oldest.version}${f.oldest.supersededAt ? `, out of date since ${time(f.oldest.supersededAt)}` : ""}` : "–"],
      ["as of", time(f.at)],
    ]),
    h("h2", {}, "Versions served"),
    f.versions.length === 0 ? message("info", "no isolate has reported yet", "fleet-versions-empty") : h("div", { class: "scroll" }, h("table", { testid: "fleet-versions" }, th("version", "isolates", "locations", "since"),
      h("tbody", {}, f.versions.map((v) => h("tr", { testid: "fleet-version", "data-version": v.version },
        h("td", {}, String(v.version)), h("td", {}, String(v.isolates)), h("td", {}, v.colos.join(", ")), h("td", {}, time(v.since))))))),
    h("h2", {}, "Refused"),
    f.refused.length === 0 ? message("ok", "no version refused", "fleet-refused-empty") : h("ul", { testid: "fleet-refused", class: "errors" }, f.refused.map((r) =>
      h("li", { testid: "fleet-refusal", "data-version": r.version }, `version ${r.version} (${r.isolates} isolate${r.isolates === 1 ? "" : "s"})`,
        h("ul", {}, r.reasons.map((reason) => h("li", {}, h("span", { testid: "refusal-message" }, reason.message), " ",
          reason.paths.map((p) => h("code", { testid: "error-path" }, p)), ` — ${reason.colos.join(", ")}`)))))),
    f.errors.length ? [h("h2", {}, "Errors"), h("ul", { class: "errors", testid: "fleet-errors" }, f.errors.map((e) => h("li", {}, `${e.message} (${e.isolates}; ${e.colos.join(", ")})`)))] : null,
    f.notHeardFrom.isolates ? [h("h2", {}, `Not heard from (${f.notHeardFrom.isolates})`), h("ul", { testid: "fleet-silent" }, f.notHeardFrom.list.map((i) => h("li", {}, `${i.isolate.slice(0, 8)} in ${i.colo}, version ${i.version ?? "none"}, last report ${time(i.lastReportAt)}`)))] : null,
  ]);
}
