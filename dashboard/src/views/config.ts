// #/config: the history (version, time, author, message), a field-level diff between any two
// versions, rollback to an older one after a confirmation showing the diff from the live version, and
// a preview of any version (POST <base>/preview: a signed header that serves it to its holder alone).
import { ApiError } from "../api.ts";
import type { ConfigDiff } from "../fielddiff.ts";
import { clear, h, message, time } from "../dom.ts";
import { can } from "../session.ts";
import type { ViewContext } from "./context.ts";
import { renderConfigDiff } from "./diff.ts";

interface VersionRecord {
  version: number;
  sha256: string;
  author: string;
  message: string;
  createdAt: string;
  rollbackOf?: number;
}

export async function config(ctx: ViewContext): Promise<void> {
  ctx.root.append(h("h1", {}, "Config history"));
  const history = await ctx.api.json<VersionRecord[]>("GET", "/config/history?limit=100");
  if (!ctx.alive()) return;
  if (history.length === 0) return void ctx.root.append(message("info", "no config has been published yet", "history-empty"));
  const live = history[0]!.version;
  const result = h("div", { testid: "rollback-result", "aria-live": "polite" });
  const diffOut = h("div", { "aria-live": "polite" });
  const rollbackAllowed = can(ctx.identity, "rollback");
  const previewAllowed = can(ctx.identity, "write");
  const previewOut = h("div", { testid: "preview-result", "aria-live": "polite" });
  ctx.root.append(
    result,
    h("div", { class: "scroll" }, h("table", { testid: "history" },
      h("thead", {}, h("tr", {}, ["version", "time", "author", "message", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, history.map((r) => h("tr", { testid: "history-row", "data-version": r.version },
        h("td", {}, String(r.version), r.version === live ? h("span", { class: "badge live" }, "live") : null),
        h("td", {}, time(r.createdAt)),
        h("td", { testid: "history-author" }, r.author),
        h("td", { testid: "history-message" }, r.message, r.rollbackOf !== undefined ? ` (rollback of ${r.rollbackOf})` : ""),
        h("td", { class: "actions" }, rollbackAllowed && r.version !== live
          ? h("button", { type: "button", testid: "rollback", "data-version": r.version, onclick: () => void confirmRollback(ctx, live, r.version, result) }, `Roll back to ${r.version}`)
          : null,
          previewAllowed ? h("button", { type: "button", testid: "preview", "data-version": r.version, onclick: () => void preview(ctx, r.version, previewOut) }, `Preview ${r.version}`) : null),
      ))),
    )),
    previewOut,
    diffForm(ctx, history, diffOut),
    diffOut,
  );
  if (!rollbackAllowed) ctx.root.append(message("info", "read-only token: rollback is not available", "readonly-note"));
}

function diffForm(ctx: ViewContext, history: VersionRecord[], out: HTMLElement): HTMLElement {
  const options = (selected: number) => history.map((r) => h("option", { value: r.version, selected: r.version === selected }, `${r.version} — ${r.message.slice(0, 40)}`));
  const from = h("select", { id: "diff-from", testid: "diff-from" }, options(history[1]?.version ?? history[0]!.version));
  const to = h("select", { id: "diff-to", testid: "diff-to" }, options(history[0]!.version));
  const show = async (event: Event) => {
    event.preventDefault();
    clear(out, message("info", "loading…", "diff-loading"));
    try {
      const diff = await ctx.api.json<ConfigDiff>("GET", `/config/diff?from=${from.value}&to=${to.value}`);
      clear(out, renderConfigDiff(diff));
    } catch (err) {
      clear(out, message("error", String(err instanceof Error ? err.message : err), "diff-error"));
    }
  };
  return h("form", { class: "row", testid: "diff-form", onsubmit: show },
    h("h2", {}, "Diff"),
    h("label", { for: "diff-from" }, "from"), from,
    h("label", { for: "diff-to" }, "to"), to,
    h("button", { type: "submit", testid: "diff-show" }, "Show diff"),
  );
}

/** The confirmation: the diff from the live version to `target`, then POST /config/rollback with If-Match of the live one. */
async function confirmRollback(ctx: ViewContext, live: number, target: number, result: HTMLElement): Promise<void> {
  const body = h("div", {}, message("info", "loading the diff…", "rollback-loading"));
  const confirm = h("button", { type: "button", testid: "rollback-confirm", class: "danger" }, `Roll back to ${target}`);
  const cancel = h("button", { type: "button", testid: "rollback-cancel" }, "Cancel");
  const dialog = h("dialog", { testid: "rollback-dialog", "aria-labelledby": "rollback-title" },
    h("h2", { id: "rollback-title" }, `Roll back from version ${live} to ${target}?`),
    h("p", {}, `This publishes version ${target}'s content as a new version. What changes:`),
    body,
    h("div", { class: "row" }, confirm, cancel),
  );
  document.body.append(dialog);
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  dialog.addEventListener("close", () => dialog.remove());
  cancel.addEventListener("click", close);
  dialog.showModal();
  cancel.focus();
  try {
    clear(body, renderConfigDiff(await ctx.api.json<ConfigDiff>("GET", `/config/diff?from=${live}&to=${target}`), "rollback-diff"));
  } catch (err) {
    clear(body, message("error", `cannot show the diff: ${err instanceof Error ? err.message : String(err)}`, "rollback-diff-error"));
  }
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      const record = await ctx.api.json<VersionRecord>("POST", "/config/rollback", {
        body: JSON.stringify({ version: target }),
        headers: { "content-type": "application/json", "if-match": `"${live}"` },
      });
      close();
      ctx.reload(message("ok", `rolled back: version ${record.version} is live (content of ${target})`, "rollback-done"));
    } catch (err) {
      close();
      const stale = err instanceof ApiError && err.status === 412;
      clear(result, message("error", stale ? `version ${live} is no longer live (someone published meanwhile): reload and try again` : String(err instanceof Error ? err.message : err), "rollback-error"));
    }
  });
}

/**
 * POST /preview {"version"}: the header and a curl line, in read-only fields to select and copy.
 * The preview token travels in that header only, never in a URL (a URL ends up in logs and history).
 */
async function preview(ctx: ViewContext, version: number, out: HTMLElement): Promise<void> {
  clear(out, message("info", `minting a preview of version ${version}…`, "preview-loading"));
  try {
    const p = await ctx.api.json<{ version: number; expiresAt: string; header: string; curl: string }>("POST", "/preview", { body: JSON.stringify({ version }), headers: { "content-type": "application/json" } });
    const field = (id: string, label: string, value: string) => [
      h("label", { for: id, class: "block" }, label),
      h("input", { id, testid: id, type: "text", readonly: true, value, class: "copy", spellcheck: "false", autocomplete: "off", onfocus: (e: Event) => (e.target as HTMLInputElement).select() }),
    ];
    clear(out, h("section", { testid: "preview-box", "data-version": p.version, class: "preview", "aria-labelledby": "preview-title" },
      h("h2", { id: "preview-title" }, `Preview of version ${p.version}`),
      h("p", {}, `Requests with this header are served by version ${p.version} (until ${time(p.expiresAt)}); everyone else is served as before.`),
      field("preview-header", "header", p.header),
      field("preview-curl", "curl", p.curl)));
  } catch (err) {
    clear(out, message("error", err instanceof Error ? err.message : String(err), "preview-error"));
  }
}
