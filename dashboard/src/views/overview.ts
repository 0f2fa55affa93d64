// #/overview: Traefik's overview (counts, warnings, errors per kind) and every router, service and
// middleware with its status, linking to its page.
import { h, message } from "../dom.ts";
import { hashOf, type ItemKind } from "../router.ts";
import type { ViewContext } from "./context.ts";

interface Counts {
  total?: number;
  warnings?: number;
  errors?: number;
}
interface Overview {
  http?: Partial<Record<ItemKind, Counts>>;
}
export interface ApiItem {
  name: string;
  status?: string;
  provider?: string;
  rule?: string;
  service?: string;
  type?: string;
  error?: string[];
  errors?: { path: string; message: string }[];
}

const KINDS: readonly ItemKind[] = ["routers", "services", "middlewares"];

export async function overview(ctx: ViewContext): Promise<void> {
  ctx.root.append(h("h1", {}, "Overview"));
  const [summary, ...lists] = await Promise.all([
    ctx.api.json<Overview>("GET", "/api/overview"),
    ...KINDS.map((k) => ctx.api.json<ApiItem[]>("GET", `/api/http/${k}?per_page=1000`)),
  ]);
  if (!ctx.alive()) return;
  ctx.root.append(
    h("div", { class: "cards" }, KINDS.map((kind) => card(kind, summary.http?.[kind] ?? {}))),
    ...KINDS.map((kind, i) => table(kind, lists[i] ?? [])),
  );
}

function card(kind: ItemKind, counts: Counts): HTMLElement {
  const n = (what: keyof Counts) => h("span", { testid: `overview-${kind}-${what}` }, String(counts[what] ?? 0));
  return h(
    "section",
    { class: `card${(counts.errors ?? 0) > 0 ? " bad" : (counts.warnings ?? 0) > 0 ? " warn" : ""}`, testid: `overview-${kind}`, "aria-label": kind },
    h("h2", {}, kind),
    h("p", { class: "big" }, n("total")),
    h("p", {}, n("warnings"), " warnings · ", n("errors"), " errors"),
  );
}

function table(kind: ItemKind, items: ApiItem[]): HTMLElement {
  const detail = (item: ApiItem) => item.rule ?? item.type ?? "";
  return h(
    "section",
    { class: "list" },
    h("h2", {}, `${kind[0]!.toUpperCase()}${kind.slice(1)}`),
    items.length === 0
      ? message("info", `no ${kind}`, `list-${kind}-empty`)
      : h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { testid: `list-${kind}` },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "name"), h("th", { scope: "col" }, "status"), h("th", { scope: "col" }, kind === "routers" ? "rule" : "type"), h("th", { scope: "col" }, "problems"))),
            h(
              "tbody",
              {},
              items.map((item) =>
                h(
                  "tr",
                  { testid: `row-${kind}`, "data-name": item.name },
                  h("td", {}, h("a", { href: hashOf({ view: "item", kind, name: item.name }), testid: "item-link" }, item.name)),
                  h("td", {}, status(item.status)),
                  h("td", { class: "mono" }, detail(item)),
                  h("td", { testid: "problems" }, problemCount(item)),
                ),
              ),
            ),
          ),
        ),
  );
}

export function status(value: string | undefined): HTMLElement {
  const s = value ?? "unknown";
  return h("span", { class: `status ${s}`, testid: "status" }, s);
}

/** The API lists warnings and errors alike in `errors`; the item's status says which they are. */
function problemCount(item: ApiItem): string {
  const n = item.errors?.length ?? item.error?.length ?? 0;
  const word = item.status === "warning" ? "warning" : "error";
  return n === 0 ? "" : `${n} ${word}${n === 1 ? "" : "s"}`;
}
