// #/editor: the live config in YAML, JSON or TOML, validated as one types (debounced POST
// <base>/config/validate, the store's own admission), each error with its JSON path (a click
// selects its line), and Push: PUT <base>/config with If-Match of the version loaded. A 412 (someone
// published meanwhile) shows a line diff of yours against the current one, to take theirs or keep yours.
import { ApiError } from "../api.ts";
import { clear, h, message } from "../dom.ts";
import { CONTENT_TYPES, FORMATS, fromText, toText, type Format } from "../formats.ts";
import { lineDiff } from "../linediff.ts";
import { lineOfPath, lineRange } from "../pathline.ts";
import { can } from "../session.ts";
import type { ViewContext } from "./context.ts";
import { renderLineDiff } from "./diff.ts";

interface Issue {
  path: string;
  message: string;
}
interface Validation {
  valid: boolean;
  errors?: Issue[];
  warnings?: Issue[];
  wouldWipe?: string | null;
}

const DEBOUNCE_MS = 400;

interface Loaded {
  version: number | null;
  value: unknown;
}

async function loadCurrent(ctx: ViewContext): Promise<Loaded> {
  const res = await ctx.api.request("GET", "/config");
  if (res.status === 404) return { version: null, value: { http: { routers: {}, services: {} } } };
  if (!res.ok) throw new ApiError(res.status, `${res.status}: cannot load the config`, null);
  const version = Number(res.headers.get("x-switchyard-version") ?? (res.headers.get("etag") ?? "").replace(/\D/g, ""));
  return { version: Number.isFinite(version) ? version : null, value: await res.json() };
}

export async function editor(ctx: ViewContext): Promise<void> {
  let loaded = await loadCurrent(ctx);
  if (!ctx.alive()) return;
  let format: Format = "yaml";
  const writable = can(ctx.identity, "write");
  const versionLabel = h("span", { testid: "editor-version" }, versionText(loaded.version));
  const formatSelect = h("select", { id: "editor-format", testid: "editor-format" }, FORMATS.map((f) => h("option", { value: f, selected: f === format }, f.toUpperCase())));
  const text = h("textarea", { id: "editor-text", testid: "editor-text", spellcheck: "false", rows: 24, "aria-describedby": "editor-validation" });
  text.value = toText(loaded.value, format);
  const validation = h("div", { id: "editor-validation", testid: "editor-validation", "aria-live": "polite", class: "validation" });
  const result = h("div", { testid: "editor-result", "aria-live": "polite" });
  const conflict = h("div", { testid: "editor-conflict-box" });
  const note = h("input", { id: "editor-message", testid: "editor-message", type: "text", placeholder: "what changed and why" });
  const push = h("button", { type: "button", testid: "editor-push", class: "primary", disabled: !writable }, "Push");
  const reload = h("button", { type: "button", testid: "editor-reload" }, "Reload the live config");

  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  ctx.onLeave(() => clearTimeout(timer));
  const validate = async () => {
    const mine = ++seq;
    const res = await ctx.api.request("POST", "/config/validate", { body: text.value, headers: { "content-type": CONTENT_TYPES[format] } });
    const body = (await res.json().catch(() => null)) as (Validation & { error?: string }) | null;
    if (mine !== seq || !ctx.alive()) return;
    if (res.status === 400 && body) return showIssues(validation, text, { valid: false, errors: body.errors?.length ? body.errors : [{ path: "", message: body.error ?? "the text does not parse" }] });
    if (!res.ok || !body) return clear(validation, message("error", `cannot validate: ${res.status}`, "validation-failed"));
    showIssues(validation, text, body);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void validate(), DEBOUNCE_MS);
  };
  text.addEventListener("input", schedule);

  formatSelect.addEventListener("change", () => {
    const next = formatSelect.value as Format;
    const parsed = fromText(text.value, format);
    if (!parsed.ok) {
      formatSelect.value = format;
      return clear(result, message("error", `fix the ${format.toUpperCase()} first: ${parsed.error}`, "format-error"));
    }
    format = next;
    text.value = toText(parsed.value, format);
    clear(result);
    schedule();
  });

  const setLoaded = (next: Loaded, replaceText: boolean) => {
    loaded = next;
    versionLabel.textContent = versionText(loaded.version);
    if (replaceText) text.value = toText(loaded.value, format);
    clear(conflict);
    schedule();
  };
  reload.addEventListener("click", async () => setLoaded(await loadCurrent(ctx), true));

  push.addEventListener("click", async () => {
    push.disabled = true;
    clear(result, message("info", "pushing…", "editor-pushing"));
    const headers: Record<string, string> = { "content-type": CONTENT_TYPES[format] };
    if (loaded.version !== null) headers["if-match"] = `"${loaded.version}"`;
    if (note.value.trim()) headers["x-switchyard-message"] = note.value.trim();
    try {
      const res = await ctx.api.request("PUT", "/config", { body: text.value, headers });
      const body = (await res.json().catch(() => null)) as { version?: number; error?: string; errors?: Issue[] } | null;
      if (res.ok && body?.version !== undefined) {
        const fresh = await loadCurrent(ctx);
        setLoaded(fresh, false);
        clear(result, message("ok", `published: version ${body.version} is live`, "editor-pushed"));
      } else if (res.status === 412) {
        clear(result, message("error", "someone published a newer version since you loaded: compare and choose", "editor-stale"));
        await showConflict(ctx, conflict, text, format, setLoaded);
      } else if (res.status === 400 && body?.errors) {
        showIssues(validation, text, { valid: false, errors: body.errors });
        clear(result, message("error", "refused: the config is invalid", "editor-invalid"));
      } else clear(result, message("error", `refused: ${res.status} ${body?.error ?? ""}`, "editor-refused"));
    } finally {
      push.disabled = !writable;
    }
  });

  ctx.root.append(
    h("h1", {}, "Config editor"),
    h("div", { class: "row" },
      h("span", {}, "based on ", versionLabel),
      h("label", { for: "editor-format" }, "format"), formatSelect,
      reload,
    ),
    h("label", { for: "editor-text", class: "block" }, "config"),
    text,
    validation,
    writable
      ? h("div", { class: "row" }, h("label", { for: "editor-message" }, "message"), note, push)
      : message("info", "read-only token: pushing is not available", "readonly-note"),
    result,
    conflict,
  );
  void validate();
}

function versionText(version: number | null): string {
  return version === null ? "nothing published yet" : `version ${version}`;
}

function showIssues(box: HTMLElement, text: HTMLTextAreaElement, v: Validation): void {
  const errors = v.errors ?? [];
  const warnings = v.warnings ?? [];
  const item = (issue: Issue, kind: string) =>
    h("li", { testid: `validation-${kind}` },
      h("button", { type: "button", class: "link", onclick: () => selectPath(text, issue.path) }, h("code", { testid: "error-path" }, issue.path || "(whole config)")),
      ": ", h("span", { testid: "error-message" }, issue.message));
  clear(box,
    v.valid ? message("ok", v.wouldWipe ? `valid, but a push would be refused: ${v.wouldWipe}` : "valid", "validation-valid") : message("error", `${errors.length} error${errors.length === 1 ? "" : "s"}`, "validation-invalid"),
    errors.length ? h("ul", { class: "errors" }, errors.map((e) => item(e, "error"))) : null,
    warnings.length ? h("ul", { class: "warnings" }, warnings.map((w) => item(w, "warning"))) : null,
  );
}

function selectPath(text: HTMLTextAreaElement, path: string): void {
  const line = lineOfPath(text.value, path);
  text.focus();
  if (line === null) return;
  const [start, end] = lineRange(text.value, line);
  text.setSelectionRange(start, end);
  // Scroll the line into view: the textarea's line height times the line.
  const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 18;
  text.scrollTop = Math.max(0, line * lineHeight - text.clientHeight / 2);
}

async function showConflict(ctx: ViewContext, box: HTMLElement, text: HTMLTextAreaElement, format: Format, setLoaded: (l: Loaded, replace: boolean) => void): Promise<void> {
  const current = await loadCurrent(ctx);
  const theirs = toText(current.value, format);
  const takeTheirs = h("button", { type: "button", testid: "conflict-take-theirs" }, `Load version ${current.version ?? "?"} (drop mine)`);
  const keepMine = h("button", { type: "button", testid: "conflict-keep-mine" }, `Keep mine, based on version ${current.version ?? "?"}`);
  takeTheirs.addEventListener("click", () => setLoaded(current, true));
  keepMine.addEventListener("click", () => setLoaded(current, false));
  clear(box, h("section", { testid: "editor-conflict", class: "conflict" },
    h("h2", {}, `Conflict: yours (−) against version ${current.version ?? "?"} (+)`),
    h("p", {}, "Merge by editing your text above, then keep yours (the next push is based on the current version), or load theirs."),
    renderLineDiff(lineDiff(text.value, theirs), "conflict-diff"),
    h("div", { class: "row" }, keepMine, takeTheirs),
  ));
}
