// The stored tokens (ADMIN_TOKEN only, docs/safe-changes.md "Scoped tokens"): GET <base>/tokens,
// POST <base>/tokens (the new token shown once, in a read-only field), DELETE <base>/tokens/<name>
// after a confirmation. Shown on the releases page.
import { ApiError } from "../api.ts";
import { clear, h, message, time } from "../dom.ts";
import { confirmDialog } from "./confirm.ts";
import type { ViewContext } from "./context.ts";

interface StoredToken {
  name: string;
  scopes: string[];
  createdAt: string;
}

const SCOPES = ["read", "write", "rollback", "metrics"] as const;

export async function tokens(ctx: ViewContext): Promise<void> {
  const list = h("div", { "aria-live": "polite" });
  const created = h("div", { testid: "token-result", "aria-live": "polite" });
  const section = h("section", { testid: "tokens", "aria-labelledby": "tokens-title" },
    h("h2", { id: "tokens-title" }, "Tokens"),
    h("p", { class: "muted" }, "Stored tokens for CI and people; each write's author in the history is its token's name. Only the ADMIN_TOKEN sees this."),
    created, list, createForm(ctx, created, () => load()));
  ctx.root.append(section);
  async function load(): Promise<void> {
    try {
      const body = await ctx.api.json<{ tokens: StoredToken[] }>("GET", "/tokens");
      if (ctx.alive()) clear(list, table(ctx, body.tokens, created, load));
    } catch (err) {
      clear(list, message("error", `cannot list the tokens: ${err instanceof Error ? err.message : String(err)}`, "tokens-error"));
    }
  }
  await load();
}

function table(ctx: ViewContext, rows: StoredToken[], result: HTMLElement, reload: () => Promise<void>): HTMLElement {
  if (rows.length === 0) return message("info", "no stored tokens", "tokens-empty");
  return h("div", { class: "scroll" }, h("table", { testid: "tokens-list" },
    h("thead", {}, h("tr", {}, ["name", "scopes", "created", ""].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((t) => h("tr", { testid: "token-row", "data-name": t.name },
      h("td", {}, h("code", {}, t.name)), h("td", { testid: "token-scopes" }, t.scopes.join(", ")), h("td", {}, time(t.createdAt)),
      h("td", {}, h("button", { type: "button", testid: "token-revoke", "data-name": t.name, class: "danger", onclick: () => confirmDialog({
        action: "revoke",
        title: `Revoke the token '${t.name}'?`,
        text: "Calls with it are refused at once here, and within 10 s everywhere else. It cannot be restored: make a new one.",
        confirmLabel: "Revoke",
        danger: true,
        run: async () => {
          await ctx.api.json("DELETE", `/tokens/${encodeURIComponent(t.name)}`);
          await reload();
          clear(result, message("ok", `revoked '${t.name}'`, "token-revoked"));
        },
      }) }, "Revoke")),
    ))),
  ));
}

function createForm(ctx: ViewContext, result: HTMLElement, reload: () => Promise<void>): HTMLElement {
  const name = h("input", { id: "token-name", testid: "token-name", type: "text", required: true, maxlength: 64, pattern: "[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}", autocomplete: "off", placeholder: "ci" });
  const boxes = SCOPES.map((scope) => h("input", { type: "checkbox", id: `token-scope-${scope}`, testid: `token-scope-${scope}`, value: scope, checked: scope === "read" }));
  const submit = h("button", { type: "submit", testid: "token-create", class: "primary" }, "Create token");
  const create = async (event: Event) => {
    event.preventDefault();
    const scopes = boxes.filter((b) => b.checked).map((b) => b.value);
    if (scopes.length === 0) return clear(result, message("error", "choose at least one scope", "token-error"));
    submit.disabled = true;
    try {
      const made = await ctx.api.json<StoredToken & { token: string }>("POST", "/tokens", { body: JSON.stringify({ name: name.value.trim(), scopes }), headers: { "content-type": "application/json" } });
      await reload();
      const field = h("input", { id: "token-new", testid: "token-new", type: "text", readonly: true, value: made.token, size: 60, spellcheck: "false", autocomplete: "off" });
      clear(result, h("div", { class: "msg ok", role: "status" },
        h("label", { for: "token-new", class: "block" }, `token '${made.name}' (${made.scopes.join(", ")}):`), field,
        h("p", { testid: "token-new-note" }, "Copy it now: it is shown this once and cannot be read back (the store keeps only its SHA-256).")));
      field.focus();
      field.select();
      name.value = "";
    } catch (err) {
      clear(result, message("error", explainError(err), "token-error"));
    } finally {
      submit.disabled = false;
    }
  };
  return h("form", { testid: "token-form", class: "stack narrow", onsubmit: create },
    h("h3", {}, "New token"),
    h("label", { for: "token-name" }, "name (letters, digits, . _ -)"), name,
    h("fieldset", {}, h("legend", {}, "scopes"), SCOPES.map((scope, i) => h("label", { for: `token-scope-${scope}`, class: "check" }, boxes[i], ` ${scope}`))),
    submit);
}

/** The API's message, and for a 400 each of its `errors` (`name: …`, `scopes[1]: …`). */
function explainError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const errors = err instanceof ApiError ? (err.body as { errors?: { path?: string; message?: string }[] } | null)?.errors : undefined;
  return Array.isArray(errors) && errors.length > 0 ? `${err.message}: ${errors.map((e) => `${e.path ? `${e.path}: ` : ""}${e.message ?? ""}`).join("; ")}` : err.message;
}
