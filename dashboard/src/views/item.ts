// #/routers/<name>, #/services/<name>, #/middlewares/<name>: one item of Traefik's API: its status,
// every error with its JSON path, its config, and for a service each server UP/DOWN with its last check.
import { ApiError } from "../api.ts";
import { append, facts, h, message, pre, time } from "../dom.ts";
import type { ItemKind } from "../router.ts";
import type { ViewContext } from "./context.ts";
import { status, type ApiItem } from "./overview.ts";

interface ServerCheck {
  status: "UP" | "DOWN";
  lastCheck: string | null;
  error?: string;
}
interface Item extends ApiItem {
  serverStatus?: Record<string, string>;
  serverChecks?: Record<string, ServerCheck>;
  usedBy?: string[];
}

/** Not config: what the API adds about the item. */
const RUNTIME_FIELDS = new Set(["name", "status", "provider", "error", "errors", "serverStatus", "serverChecks", "usedBy", "using"]);

export async function item(ctx: ViewContext, kind: ItemKind, name: string): Promise<void> {
  ctx.root.append(h("h1", {}, h("span", { class: "kind" }, kind.replace(/s$/, "")), " ", h("span", { testid: "item-name" }, name)));
  let it: Item;
  try {
    it = await ctx.api.json<Item>("GET", `/api/http/${kind}/${encodeURIComponent(name)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return void ctx.root.append(message("error", `no ${kind.replace(/s$/, "")} named ${name}`, "item-missing"));
    throw err;
  }
  if (!ctx.alive()) return;
  append(ctx.root, [
    facts("item-facts", [
      ["status", status(it.status)],
      ["provider", it.provider ?? ""],
      ...(it.usedBy ? [["used by", it.usedBy.join(", ")] as [string, string]] : []),
    ]),
    errors(it),
    kind === "services" ? servers(it) : null,
    h("h2", {}, "Config"),
    pre(JSON.stringify(configOf(it), null, 2), "item-config"),
  ]);
}

function configOf(it: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(it).filter(([k]) => !RUNTIME_FIELDS.has(k)));
}

/** `errors` with paths (CONTRACTS.md), else Traefik's `error` strings. */
function errors(it: Item): HTMLElement {
  const list = it.errors ?? (it.error ?? []).map((m) => ({ path: "", message: m }));
  return h(
    "section",
    { testid: "item-errors" },
    h("h2", {}, `Errors (${list.length})`),
    list.length === 0
      ? message("ok", "no errors", "item-no-errors")
      : h("ul", { class: "errors" }, list.map((e) => h("li", { testid: "item-error" }, e.path ? h("code", { testid: "error-path" }, e.path) : null, e.path ? ": " : "", h("span", { testid: "error-message" }, e.message)))),
  );
}

/** Each server's UP/DOWN: `serverChecks` (with the last check) where the API has them, else `serverStatus`. */
function servers(it: Item): HTMLElement | null {
  const urls = [...new Set([...Object.keys(it.serverChecks ?? {}), ...Object.keys(it.serverStatus ?? {})])];
  if (urls.length === 0) return null;
  return h(
    "section",
    {},
    h("h2", {}, "Servers"),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { testid: "servers" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "server"), h("th", { scope: "col" }, "status"), h("th", { scope: "col" }, "last check"), h("th", { scope: "col" }, "last failure"))),
        h(
          "tbody",
          {},
          urls.map((url) => {
            const check = it.serverChecks?.[url];
            const s = check?.status ?? it.serverStatus?.[url] ?? "unknown";
            return h(
              "tr",
              { testid: "server", "data-url": url },
              h("td", { class: "mono" }, url),
              h("td", {}, h("span", { class: `status ${s === "UP" ? "enabled" : "disabled"}`, testid: "server-status" }, s)),
              h("td", { testid: "server-lastcheck" }, check ? time(check.lastCheck) : "no health check"),
              h("td", { testid: "server-error" }, check?.error ?? ""),
            );
          }),
        ),
      ),
    ),
  );
}
