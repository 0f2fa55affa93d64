// The editor's safe changes (issue 18, docs/safe-changes.md), beside Push: Push as canary (PUT
// <base>/config?canary=…&promoteAfter=…, with If-Match and the message as Push), Evaluate as shadow
// (PUT <base>/config/shadow?sampleRate=…) — both send the text as Push does, through the editor's
// send() — and Plan (POST <base>/plan {"config", "requests"}: the field-level diff against the
// newest version and the requests that would be routed elsewhere).
import { ApiError } from "../api.ts";
import { CANARY_DEFAULTS, canaryQuery, DEFAULT_SAMPLE_RATE, routerText, shadowQuery, type FieldError } from "../canary.ts";
import { clear, h, message } from "../dom.ts";
import type { ConfigDiff } from "../fielddiff.ts";
import { fromText, type Format } from "../formats.ts";
import { parsePlanRequests } from "../planrequests.ts";
import type { ViewContext } from "./context.ts";
import { renderConfigDiff } from "./diff.ts";

/** An error at a JSON path (the admin API's `errors`). */
export interface Issue {
  path: string;
  message: string;
}
export interface SendTarget {
  readonly path: string;
  /** Send If-Match of the version loaded (the API takes it on PUT /config, with or without ?canary). */
  readonly ifMatch: boolean;
  /** Send the message field as X-Switchyard-Message. */
  readonly note: boolean;
  readonly pending: string;
}
export interface PutAnswer {
  version?: number;
  error?: string;
  errors?: Issue[];
  canary?: { running: boolean; share?: number; stable?: number; candidate?: number };
  sampleRate?: number;
  basedOn?: number | null;
}
/** What these controls need of the editor (editor.ts). */
export interface EditorAccess {
  readonly ctx: ViewContext;
  readonly result: HTMLElement;
  text(): string;
  format(): Format;
  send(target: SendTarget, done: (body: PutAnswer) => Promise<void> | void): Promise<void>;
  showIssues(errors: Issue[]): void;
  reload(): Promise<void>;
}

interface PlanAnswer {
  live: number | null;
  changes: boolean;
  diff: ConfigDiff;
  requests: number;
  moved: { index: number; method: string; url: string; from: string | null; to: string | null }[];
}

function field(id: string, label: string, value: string, attrs: Record<string, string | number> = {}): [HTMLLabelElement, HTMLInputElement] {
  return [h("label", { for: id }, label), h("input", { id, testid: id, type: "text", value, size: 8, ...attrs })];
}

export function safeControls(ed: EditorAccess, writable: boolean): { element: HTMLElement; buttons: HTMLButtonElement[] } {
  const [shareLabel, share] = field("editor-canary-share", "share (%)", CANARY_DEFAULTS.share, { inputmode: "decimal", size: 5 });
  const [afterLabel, after] = field("editor-canary-promote-after", "promoteAfter", CANARY_DEFAULTS.promoteAfter, { size: 6 });
  const [errLabel, maxErr] = field("editor-canary-max-error-ratio", "maxErrorRatio", CANARY_DEFAULTS.maxErrorRatio, { inputmode: "decimal", size: 6 });
  const [p99Label, maxP99] = field("editor-canary-max-p99-ratio", "maxP99Ratio", CANARY_DEFAULTS.maxP99Ratio, { inputmode: "decimal", size: 5 });
  const [minLabel, minReq] = field("editor-canary-min-requests", "minRequests", CANARY_DEFAULTS.minRequests, { inputmode: "numeric", size: 6 });
  const [stepsLabel, steps] = field("editor-canary-steps", "steps", "", { placeholder: "25,50,100", size: 10 });
  const [stickyLabel, sticky] = field("editor-canary-sticky-header", "stickyHeader", "", { placeholder: "client address", size: 12 });
  const [rateLabel, rate] = field("editor-shadow-rate", "sample rate (0–1]", DEFAULT_SAMPLE_RATE, { inputmode: "decimal", size: 6 });
  const canaryButton = h("button", { type: "button", testid: "editor-canary-push", disabled: !writable }, "Push as canary");
  const shadowButton = h("button", { type: "button", testid: "editor-shadow", disabled: !writable }, "Evaluate as shadow");
  const planRequests = h("textarea", { id: "editor-plan-requests", testid: "editor-plan-requests", rows: 3, spellcheck: "false", placeholder: 'an absolute URL (a GET), or {"method": "POST", "url": "…", "headers": {"X-User": "1"}}' });
  const planButton = h("button", { type: "button", testid: "editor-plan" }, "Plan");
  const planResult = h("div", { testid: "editor-plan-result", "aria-live": "polite" });
  const inputs: Record<string, HTMLInputElement> = { canary: share, promoteAfter: after, maxErrorRatio: maxErr, maxP99Ratio: maxP99, minRequests: minReq, steps, stickyHeader: sticky, sampleRate: rate };

  canaryButton.addEventListener("click", () => {
    const q = canaryQuery({ share: share.value, promoteAfter: after.value, maxErrorRatio: maxErr.value, maxP99Ratio: maxP99.value, minRequests: minReq.value, steps: steps.value, stickyHeader: sticky.value });
    if (!q.ok) return fieldErrors(ed.result, q.errors, inputs);
    void ed.send({ path: `/config?${q.query}`, ifMatch: true, note: true, pending: "starting the canary…" }, async (body) => {
      await ed.reload();
      const c = body.canary;
      clear(ed.result, h("p", { class: "msg ok", role: "status", testid: "editor-canary-started" },
        c?.running ? `canary: version ${body.version ?? "?"} serves ${c.share ?? "?"} % of clients, version ${c.stable ?? "?"} the rest. ` : `published version ${body.version ?? "?"}. `,
        h("a", { href: "#/releases", testid: "editor-releases-link" }, "Follow it on Releases")));
    });
  });
  shadowButton.addEventListener("click", () => {
    const q = shadowQuery(rate.value);
    if (!q.ok) return fieldErrors(ed.result, q.errors, inputs);
    void ed.send({ path: `/config/shadow?${q.query}`, ifMatch: false, note: false, pending: "starting the shadow evaluation…" }, (body) => {
      clear(ed.result, h("p", { class: "msg ok", role: "status", testid: "editor-shadow-started" },
        `shadow evaluation started: sampling ${Math.round((body.sampleRate ?? 0) * 10_000) / 100} % of requests against ${body.basedOn == null ? "no published version" : `version ${body.basedOn}`}; nothing served changes. `,
        h("a", { href: "#/releases", testid: "editor-releases-link" }, "See what it would move on Releases")));
    });
  });
  planButton.addEventListener("click", () => void runPlan(ed, planRequests.value, planResult, planButton));

  const element = h("section", { class: "safe", "aria-labelledby": "safe-title" },
    h("h2", { id: "safe-title" }, "Safe changes"),
    writable ? h("fieldset", { testid: "editor-canary" }, h("legend", {}, "Push as canary: a share of clients first, promoted or rolled back by the policy"),
      h("div", { class: "row" }, shareLabel, share, afterLabel, after, errLabel, maxErr, p99Label, maxP99, minLabel, minReq, stepsLabel, steps, stickyLabel, sticky),
      h("div", { class: "row" }, canaryButton)) : null,
    writable ? h("fieldset", { testid: "editor-shadow-box" }, h("legend", {}, "Evaluate as shadow: matched against sampled live requests, never served"),
      h("div", { class: "row" }, rateLabel, rate, shadowButton)) : null,
    h("fieldset", {}, h("legend", {}, "Plan: what publishing this text would change"),
      h("label", { for: "editor-plan-requests", class: "block" }, "requests to match (optional; one URL or JSON object per line)"), planRequests,
      h("div", { class: "row" }, planButton)),
    planResult,
  );
  return { element, buttons: writable ? [canaryButton, shadowButton] : [] };
}

/** Errors in the canary or shadow fields, each with the query parameter as its path (a click focuses the field). */
function fieldErrors(box: HTMLElement, errors: readonly FieldError[], inputs: Record<string, HTMLInputElement>): void {
  clear(box, message("error", "check the fields", "editor-field-invalid"), h("ul", { class: "errors" }, errors.map((e) =>
    h("li", { testid: "field-error" },
      h("button", { type: "button", class: "link", onclick: () => inputs[e.path]?.focus() }, h("code", { testid: "error-path" }, e.path)),
      ": ", h("span", { testid: "error-message" }, e.message)))));
}

async function runPlan(ed: EditorAccess, requestsText: string, out: HTMLElement, button: HTMLButtonElement): Promise<void> {
  const parsed = fromText(ed.text(), ed.format());
  if (!parsed.ok) return clear(out, message("error", `fix the ${ed.format().toUpperCase()} first: ${parsed.error}`, "plan-error"));
  const { requests, errors } = parsePlanRequests(requestsText);
  if (errors.length > 0) return clear(out, message("error", `requests: ${errors.join("; ")}`, "plan-error"));
  button.disabled = true;
  clear(out, message("info", "planning…", "plan-loading"));
  try {
    const plan = await ed.ctx.api.json<PlanAnswer>("POST", "/plan", { body: JSON.stringify({ config: parsed.value, requests }), headers: { "content-type": "application/json" } });
    if (ed.ctx.alive()) clear(out, renderPlan(plan));
  } catch (err) {
    const issues = err instanceof ApiError ? (err.body as { errors?: Issue[] } | null)?.errors : undefined;
    if (issues?.length) {
      ed.showIssues(issues);
      clear(out, message("error", "the text is invalid: see the errors above", "plan-invalid"));
    } else clear(out, message("error", err instanceof Error ? err.message : String(err), "plan-error"));
  } finally {
    button.disabled = false;
  }
}

function renderPlan(p: PlanAnswer): HTMLElement {
  const against = p.live === null ? "no published config" : `version ${p.live}`;
  return h("div", { testid: "plan" },
    message(p.changes ? "info" : "ok", p.changes ? `publishing this would change something (against ${against})` : `nothing would change (against ${against})`, p.changes ? "plan-changes" : "plan-nochanges"),
    renderConfigDiff(p.diff, "plan-diff", `${against} → this text`),
    p.requests === 0
      ? h("p", { class: "muted", testid: "plan-no-requests" }, "no requests given: add some above to see which would be routed elsewhere")
      : h("div", {}, h("p", { testid: "plan-requests" }, `requests: ${p.requests}, routed differently: ${p.moved.length}`),
        p.moved.length > 0 ? h("div", { class: "scroll" }, h("table", { testid: "plan-moved" },
          h("thead", {}, h("tr", {}, ["#", "request", "now", "after"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, p.moved.map((m) => h("tr", { testid: "plan-move", "data-index": m.index },
            h("td", {}, String(m.index + 1)), h("td", {}, h("code", {}, `${m.method} ${m.url}`)),
            h("td", { testid: "move-from" }, routerText(m.from)), h("td", { testid: "move-to" }, routerText(m.to))))))) : null),
  );
}
