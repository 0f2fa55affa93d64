// #/releases: the running canary (GET <base>/config/canary: both versions, share, step, per-version
// figures of this step, what the policy would do, the event log) and the shadow candidate (GET
// <base>/config/shadow: sampled, moved, its routing diff), refreshed every 5 s; Promote/Abort
// (POST …/config/canary/promote|abort) and Stop (DELETE …/config/shadow) after a confirmation. For
// the ADMIN_TOKEN, the stored tokens (tokens.ts).
import { clear, facts, h, message, time } from "../dom.ts";
import { p99Text, ratioText, routerText, stepsText } from "../canary.ts";
import { can } from "../session.ts";
import { confirmDialog } from "./confirm.ts";
import type { ViewContext } from "./context.ts";
import { tokens } from "./tokens.ts";

interface Figures {
  requests: number;
  errors: number;
  errorRatio: number;
  p99Ms: number | "+Inf" | null;
  routers: Record<string, number>;
}
interface CanaryEvent {
  at: string;
  candidate: number;
  stable: number;
  action: string;
  share: number;
  author: string;
  reason: string;
}
type CanaryStatus =
  | { running: false; events: CanaryEvent[] }
  | {
      running: true; stable: number; candidate: number; share: number; nextSteps: number[]; header: string | null;
      policy: { promoteAfterMs: number; maxErrorRatio: number; maxP99Ratio: number; minRequests: number; steps: number[] };
      startedAt: string; stepStartedAt: string; nextCheckAt: string;
      figures: { stable: Figures; candidate: Figures };
      decision: { action: string; reason: string; share?: number };
      events: CanaryEvent[];
    };
interface ShadowMove {
  from: string | null;
  to: string | null;
  count: number;
  percent: number;
}
type ShadowState =
  | { active: false }
  | { active: true; id: string; sha256: string; sampleRate: number; startedAt: string; author: string; basedOn: number | null; sampled: number; moved: number; moves: ShadowMove[]; summary: string[] };

const REFRESH_MS = 5000;

export async function releases(ctx: ViewContext): Promise<void> {
  const result = h("div", { testid: "releases-result", "aria-live": "polite" });
  const updated = h("p", { class: "muted", testid: "releases-updated" });
  // The buttons stay while the figures are redrawn, so a focused one keeps its focus.
  let canary: CanaryStatus = { running: false, events: [] };
  let shadow: ShadowState = { active: false };
  const writer = can(ctx.identity, "write");
  const promote = h("button", { type: "button", testid: "canary-promote", class: "primary", hidden: true, onclick: () => canary.running && endCanary(ctx, "promote", canary, result, refresh) }, "Promote");
  const abort = h("button", { type: "button", testid: "canary-abort", class: "danger", hidden: true, onclick: () => canary.running && endCanary(ctx, "abort", canary, result, refresh) }, "Abort (stable for everyone)");
  const stop = h("button", { type: "button", testid: "shadow-stop", hidden: true, onclick: () => shadow.active && stopShadow(ctx, shadow.sampled, result, refresh) }, "Stop");
  // Not aria-live: redrawn every 5 s, it would talk over everything; the results above are live.
  const canaryBox = h("div", { testid: "canary" });
  const eventsBox = h("div", {});
  const shadowBox = h("div", { testid: "shadow" });
  const canaryNote = writer || can(ctx.identity, "rollback") ? null : message("info", "read-only token: promote and abort need the 'write' scope (abort: or 'rollback')", "canary-readonly");
  ctx.root.append(h("h1", {}, "Releases"), result,
    h("section", { "aria-labelledby": "canary-title" }, h("h2", { id: "canary-title" }, "Canary"), canaryBox, h("div", { class: "row" }, promote, abort), canaryNote, eventsBox),
    h("section", { "aria-labelledby": "shadow-title" }, h("h2", { id: "shadow-title" }, "Shadow evaluation"), shadowBox, h("div", { class: "row" }, stop)),
    updated);
  let busy = false;
  let shown = "";
  async function refresh(): Promise<void> {
    if (busy || !ctx.alive()) return;
    busy = true;
    try {
      [canary, shadow] = await Promise.all([ctx.api.json<CanaryStatus>("GET", "/config/canary"), ctx.api.json<ShadowState>("GET", "/config/shadow")]);
      if (!ctx.alive()) return;
      const text = JSON.stringify([canary, shadow]);
      if (text !== shown) {
        shown = text;
        clear(canaryBox, renderCanary(canary));
        clear(eventsBox, events(canary.events));
        clear(shadowBox, renderShadow(shadow));
      }
      promote.hidden = !(canary.running && writer);
      if (canary.running) promote.textContent = `Promote version ${canary.candidate}`;
      abort.hidden = !(canary.running && (writer || can(ctx.identity, "rollback")));
      stop.hidden = !(shadow.active && writer);
      updated.textContent = `updated ${new Date().toLocaleTimeString()} (every ${REFRESH_MS / 1000} s)`;
    } catch (err) {
      if (ctx.alive()) updated.replaceChildren(message("error", `cannot refresh: ${err instanceof Error ? err.message : String(err)}`, "releases-error"));
    } finally {
      busy = false;
    }
  }
  await refresh();
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  ctx.onLeave(() => clearInterval(timer));
  if (ctx.identity.name === "admin" && ctx.identity.known) await tokens(ctx);
}

function renderCanary(s: CanaryStatus): (HTMLElement | null)[] {
  if (!s.running) return [message("info", "no canary is running: Push as canary in the editor starts one", "canary-none")];
  const p = s.policy;
  return [
    facts("canary-facts", [
      ["candidate", h("span", { testid: "canary-candidate" }, `version ${s.candidate}`)],
      ["stable", h("span", { testid: "canary-stable" }, `version ${s.stable}`)],
      ["share", h("span", { testid: "canary-share" }, `${s.share} % of clients`)],
      ["steps", h("span", { testid: "canary-step" }, stepsText(s.share, s.nextSteps))],
      ["sticky by", s.header ?? "client address"],
      ["started", time(s.startedAt)],
      ["this step since", time(s.stepStartedAt)],
      ["policy", `promote after ${Math.round(p.promoteAfterMs / 1000)} s, max error ratio +${p.maxErrorRatio}, max p99 ×${p.maxP99Ratio}, min requests ${p.minRequests}`],
      ["next check", time(s.nextCheckAt)],
    ]),
    h("p", { testid: "canary-decision", "data-action": s.decision.action, class: `msg ${s.decision.action === "rollback" ? "error" : "info"}` },
      h("strong", {}, `the policy would ${s.decision.action}${s.decision.share !== undefined ? ` to ${s.decision.share} %` : ""}`), `: ${s.decision.reason}`),
    h("h3", {}, "This step's figures"),
    h("div", { class: "scroll" }, h("table", { testid: "canary-figures" },
      h("thead", {}, h("tr", {}, ["", "version", "requests", "5xx", "error ratio", "p99", "5xx by router"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, (["candidate", "stable"] as const).map((role) => {
        const f = s.figures[role];
        return h("tr", { testid: "canary-figure", "data-role": role },
          h("th", { scope: "row" }, role), h("td", {}, String(role === "candidate" ? s.candidate : s.stable)),
          h("td", { testid: "figure-requests" }, String(f.requests)), h("td", { testid: "figure-errors" }, String(f.errors)),
          h("td", { testid: "figure-error-ratio" }, ratioText(f.requests > 0 ? f.errorRatio : null)), h("td", { testid: "figure-p99" }, p99Text(f.p99Ms)),
          h("td", {}, Object.entries(f.routers).map(([r, n]) => `${r}: ${n}`).join(", ") || "–"));
      })),
    )),
  ];
}

function events(list: readonly CanaryEvent[]): HTMLElement {
  if (list.length === 0) return message("info", "no canary events yet", "canary-events-empty");
  return h("details", { open: true }, h("summary", {}, `Event log (${list.length}, newest first)`),
    h("div", { class: "scroll" }, h("table", { testid: "canary-events" },
      h("thead", {}, h("tr", {}, ["time", "event", "candidate / stable", "share", "by", "reason"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, list.map((e) => h("tr", { testid: "canary-event", "data-action": e.action },
        h("td", {}, time(e.at)), h("td", {}, e.action), h("td", {}, `${e.candidate} / ${e.stable}`), h("td", {}, `${e.share} %`),
        h("td", {}, e.author), h("td", { testid: "event-reason" }, e.reason)))),
    )));
}

function endCanary(ctx: ViewContext, how: "promote" | "abort", s: { candidate: number; stable: number }, result: HTMLElement, refresh: () => Promise<void>): void {
  confirmDialog({
    action: how,
    title: how === "promote" ? `Promote version ${s.candidate} to every client?` : `Abort the canary of version ${s.candidate}?`,
    text: how === "promote"
      ? `Version ${s.candidate} becomes stable and serves everyone; version ${s.stable} stops serving.`
      : `A new version with version ${s.stable}'s content is published and serves everyone; the candidate stops serving.`,
    confirmLabel: how === "promote" ? "Promote" : "Abort the canary",
    danger: how === "abort",
    reason: true,
    run: async (reason) => {
      const record = await ctx.api.json<{ version: number }>("POST", `/config/canary/${how}`, { body: JSON.stringify(reason ? { reason } : {}), headers: { "content-type": "application/json" } });
      clear(result, message("ok", how === "promote" ? `promoted: version ${record.version} serves everyone` : `aborted: version ${record.version} (content of ${s.stable}) serves everyone`, "canary-done"));
      await refresh();
    },
  });
}

function stopShadow(ctx: ViewContext, sampled: number, result: HTMLElement, refresh: () => Promise<void>): void {
  confirmDialog({
    action: "stop",
    title: "Stop the shadow evaluation?",
    text: `Its counts (${sampled} requests sampled so far) are dropped; nothing served changes.`,
    confirmLabel: "Stop",
    run: async () => {
      const last = await ctx.api.json<{ sampled?: number }>("DELETE", "/config/shadow");
      clear(result, message("ok", `shadow evaluation stopped after ${last.sampled ?? 0} sampled requests`, "shadow-stopped"));
      await refresh();
    },
  });
}

function renderShadow(s: ShadowState): (HTMLElement | null)[] {
  if (!s.active) return [message("info", "no shadow evaluation is running: Evaluate as shadow in the editor starts one", "shadow-none")];
  return [
    facts("shadow-facts", [
      ["candidate", h("code", {}, s.sha256.slice(0, 12))],
      ["against", s.basedOn === null ? "no published version" : `version ${s.basedOn}`],
      ["since", `${time(s.startedAt)} (by ${s.author})`],
      ["sampling", `${Math.round(s.sampleRate * 10_000) / 100} %`],
      ["requests sampled", h("span", { testid: "shadow-sampled" }, String(s.sampled))],
      ["routed differently", h("span", { testid: "shadow-moved" }, String(s.moved))],
    ]),
    s.summary.length > 0 ? h("ul", { testid: "shadow-summary" }, s.summary.map((line) => h("li", { testid: "shadow-sentence" }, line))) : message("info", s.sampled === 0 ? "no request sampled yet" : "no sampled request would be routed differently", "shadow-nomoves"),
    s.moves.length > 0 ? h("div", { class: "scroll" }, h("table", { testid: "shadow-moves" },
      h("thead", {}, h("tr", {}, ["from (live)", "to (candidate)", "requests", "share"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, s.moves.map((m) => h("tr", { testid: "shadow-move", "data-from": routerText(m.from), "data-to": routerText(m.to) },
        h("td", {}, routerText(m.from)), h("td", {}, routerText(m.to)), h("td", { testid: "move-count" }, String(m.count)), h("td", { testid: "move-percent" }, `${m.percent} %`)))))) : null,
  ];
}
