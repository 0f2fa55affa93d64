// #/editor: the live config in YAML, JSON or TOML, validated as one types (debounced POST
// <base>/config/validate, the store's own admission), each error with its JSON path (a click
// selects its line), and Push: PUT <base>/config with If-Match of the version loaded. A 412 (someone
// published meanwhile) shows a line diff of yours against the current one, to take theirs or keep yours.
// Beside Push, Push as canary, Evaluate as shadow and Plan (editor-safe.ts).
import { ApiError } from "../api.ts";
import { clear, h, message } from "../dom.ts";
import { CONTENT_TYPES, FORMATS, fromText, toText, type Format } from "../formats.ts";
import { lineDiff } from "../linediff.ts";
import { lineOfPath, lineRange } from "../pathline.ts";
import { can } from "../session.ts";
import type { ViewContext } from "./context.ts";
import { renderLineDiff } from "./diff.ts";
import { safeControls, type EditorAccess, type Issue, type PutAnswer, type SendTarget } from "./editor-safe.ts";

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
  const loaded = await loadCurrent(ctx);
  if (ctx.alive()) new Editor(ctx, loaded).show();
}

/** The editor's state (the version loaded, the format) and its elements, one method per action. */
class Editor {
  private format: Format = "yaml";
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly writable: boolean;
  private readonly versionLabel = h("span", { testid: "editor-version" });
  private readonly formatSelect = h("select", { id: "editor-format", testid: "editor-format" }, FORMATS.map((f) => h("option", { value: f, selected: f === "yaml" }, f.toUpperCase())));
  private readonly text = h("textarea", { id: "editor-text", testid: "editor-text", spellcheck: "false", rows: 24, "aria-describedby": "editor-validation" });
  private readonly validation = h("div", { id: "editor-validation", testid: "editor-validation", "aria-live": "polite", class: "validation" });
  private readonly result = h("div", { testid: "editor-result", "aria-live": "polite" });
  private readonly conflict = h("div", { testid: "editor-conflict-box" });
  private readonly note = h("input", { id: "editor-message", testid: "editor-message", type: "text", placeholder: "what changed and why" });
  private readonly pushButton: HTMLButtonElement;
  private readonly safe: ReturnType<typeof safeControls>;
  private readonly sendButtons: HTMLButtonElement[];
  private readonly ctx: ViewContext;
  private loaded: Loaded;

  constructor(ctx: ViewContext, loaded: Loaded) {
    this.ctx = ctx;
    this.loaded = loaded;
    this.writable = can(ctx.identity, "write");
    this.pushButton = h("button", { type: "button", testid: "editor-push", class: "primary", disabled: !this.writable, onclick: () => void this.push() }, "Push");
    this.safe = safeControls(this.access(), this.writable);
    this.sendButtons = [this.pushButton, ...this.safe.buttons];
    this.versionLabel.textContent = versionText(loaded.version);
    this.text.value = toText(loaded.value, this.format);
    this.text.addEventListener("input", () => this.schedule());
    this.formatSelect.addEventListener("change", () => this.changeFormat());
    ctx.onLeave(() => clearTimeout(this.timer));
  }

  show(): void {
    const reload = h("button", { type: "button", testid: "editor-reload", onclick: async () => this.setLoaded(await loadCurrent(this.ctx), true) }, "Reload the live config");
    this.ctx.root.append(
      h("h1", {}, "Config editor"),
      h("div", { class: "row" }, h("span", {}, "based on ", this.versionLabel), h("label", { for: "editor-format" }, "format"), this.formatSelect, reload),
      h("label", { for: "editor-text", class: "block" }, "config"),
      this.text,
      this.validation,
      this.writable
        ? h("div", { class: "row" }, h("label", { for: "editor-message" }, "message"), this.note, this.pushButton)
        : message("info", "read-only token: pushing is not available", "readonly-note"),
      this.safe.element,
      this.result,
      this.conflict,
    );
    void this.validate();
  }

  /** POST /config/validate of the text as it is; an answer to an older text is dropped. */
  private async validate(): Promise<void> {
    const mine = ++this.seq;
    const res = await this.ctx.api.request("POST", "/config/validate", { body: this.text.value, headers: { "content-type": CONTENT_TYPES[this.format] } });
    const body = (await res.json().catch(() => null)) as (Validation & { error?: string }) | null;
    if (mine !== this.seq || !this.ctx.alive()) return;
    if (res.status === 400 && body) {
      return showIssues(this.validation, this.text, { valid: false, errors: body.errors?.length ? body.errors : [{ path: "", message: body.error ?? "the text does not parse" }] });
    }
    if (!res.ok || !body) return clear(this.validation, message("error", `cannot validate: ${res.status}`, "validation-failed"));
    showIssues(this.validation, this.text, body);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.validate(), DEBOUNCE_MS);
  }

  /** The same config in the format chosen (refused while the text does not parse). */
  private changeFormat(): void {
    const parsed = fromText(this.text.value, this.format);
    if (!parsed.ok) {
      this.formatSelect.value = this.format;
      return clear(this.result, message("error", `fix the ${this.format.toUpperCase()} first: ${parsed.error}`, "format-error"));
    }
    this.format = this.formatSelect.value as Format;
    this.text.value = toText(parsed.value, this.format);
    clear(this.result);
    this.schedule();
  }

  /** A new base version; its text replaces the editor's, or not (keeping one's edits over it). */
  private setLoaded(next: Loaded, replaceText: boolean): void {
    this.loaded = next;
    this.versionLabel.textContent = versionText(next.version);
    if (replaceText) this.text.value = toText(next.value, this.format);
    clear(this.conflict);
    this.schedule();
  }

  /** PUT /config with If-Match of the version loaded: published (then polls until served), or as send() says. */
  private push(): Promise<void> {
    return this.send({ path: "/config", ifMatch: true, note: true, pending: "pushing…" }, async (body) => {
      if (body.version === undefined) return clear(this.result, message("error", "refused: the answer has no version", "editor-refused"));
      this.setLoaded(await loadCurrent(this.ctx), false);
      clear(this.result, message("ok", `published: version ${body.version} is live`, "editor-pushed"));
      void untilServed(this.ctx, body.version, this.result);
    });
  }

  /**
   * PUT of the editor's text exactly as Push sends it (its format's Content-Type; If-Match of the
   * version loaded and the message where `target` says): `done` on success; a 412 shows the conflict
   * view, a 400 the errors at their paths, anything else is refused with the API's message.
   */
  async send(target: SendTarget, done: (body: PutAnswer) => Promise<void> | void): Promise<void> {
    this.setBusy(true);
    clear(this.result, message("info", target.pending, "editor-pushing"));
    const headers: Record<string, string> = { "content-type": CONTENT_TYPES[this.format] };
    if (target.ifMatch && this.loaded.version !== null) headers["if-match"] = `"${this.loaded.version}"`;
    if (target.note && this.note.value.trim()) headers["x-switchyard-message"] = this.note.value.trim();
    try {
      const res = await this.ctx.api.request("PUT", target.path, { body: this.text.value, headers });
      const body = (await res.json().catch(() => null)) as PutAnswer | null;
      if (res.ok && body) await done(body);
      else if (res.status === 412) {
        clear(this.result, message("error", "someone published a newer version since you loaded: compare and choose", "editor-stale"));
        await showConflict(this.ctx, this.conflict, this.text, this.format, (l, replace) => this.setLoaded(l, replace));
      } else if (res.status === 400 && body?.errors) {
        showIssues(this.validation, this.text, { valid: false, errors: body.errors });
        clear(this.result, message("error", "refused: the config is invalid", "editor-invalid"));
      } else clear(this.result, message("error", `refused: ${res.status} ${body?.error ?? ""}`, "editor-refused"));
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    for (const b of this.sendButtons) b.disabled = busy || !this.writable;
  }

  /** What editor-safe.ts needs of the editor. */
  private access(): EditorAccess {
    return {
      ctx: this.ctx,
      result: this.result,
      text: () => this.text.value,
      format: () => this.format,
      send: (target, done) => this.send(target, done),
      showIssues: (errors) => showIssues(this.validation, this.text, { valid: false, errors }),
      reload: async () => this.setLoaded(await loadCurrent(this.ctx), false),
    };
  }
}

const SERVED_TIMEOUT_MS = 30_000;

/** After a push: polls GET <base>/status (bounded) until this isolate serves the version, and says so. */
async function untilServed(ctx: ViewContext, version: number, box: HTMLElement): Promise<void> {
  const note = box.appendChild(message("info", `waiting for the router to serve version ${version}…`, "editor-served"));
  const deadline = Date.now() + SERVED_TIMEOUT_MS;
  while (ctx.alive() && note.isConnected && Date.now() < deadline) {
    const status = await ctx.api.json<{ serving?: { version?: number } | null }>("GET", "/status").catch(() => null);
    const serving = status?.serving?.version;
    if (typeof serving === "number" && serving >= version) {
      note.className = "msg ok";
      note.textContent = `served: this router's isolate serves version ${serving}`;
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (note.isConnected) note.textContent = `version ${version} is stored; this isolate did not serve it within ${SERVED_TIMEOUT_MS / 1000} s (see Fleet)`;
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
