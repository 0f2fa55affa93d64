// #/explain: a URL, a method and headers → POST <base>/explain with detail: which router matches,
// its priority, and for every other router the sub-expression that failed (CONTRACTS.md).
import { clear, h, message } from "../dom.ts";
import { parseHeaders } from "../headers.ts";
import type { ViewContext } from "./context.ts";

interface Level {
  router: string;
  priority: number;
  rule: string;
}
interface Explained {
  version: number;
  router: string | null;
  priority?: number;
  rule?: string;
  chain?: Level[];
  note?: string;
  routers?: { router: string; priority: number; rule: string; matched: boolean; failed?: string }[];
  truncated?: boolean;
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

export function explain(ctx: ViewContext): void {
  const url = h("input", { id: "explain-url", testid: "explain-url", type: "url", required: true, value: `${location.origin}/` });
  const method = h("select", { id: "explain-method", testid: "explain-method" }, METHODS.map((m) => h("option", { value: m }, m)));
  const headers = h("textarea", { id: "explain-headers", testid: "explain-headers", rows: 4, placeholder: "Host: example.com\nX-Api-Version: 2", spellcheck: "false" });
  const out = h("div", { testid: "explain-result", "aria-live": "polite" });
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseHeaders(headers.value);
    if (parsed.errors.length) return clear(out, message("error", parsed.errors.join("; "), "explain-error"));
    try {
      const answer = await ctx.api.json<Explained>("POST", "/explain", {
        body: JSON.stringify({ url: url.value, method: method.value, headers: parsed.headers, detail: true }),
        headers: { "content-type": "application/json" },
      });
      clear(out, render(answer));
    } catch (err) {
      clear(out, message("error", String(err instanceof Error ? err.message : err), "explain-error"));
    }
  };
  ctx.root.append(
    h("h1", {}, "Explain a request"),
    h("form", { testid: "explain-form", class: "stack", onsubmit: submit },
      h("label", { for: "explain-url" }, "URL"), url,
      h("label", { for: "explain-method" }, "method"), method,
      h("label", { for: "explain-headers" }, "headers, one per line (Name: value)"), headers,
      h("button", { type: "submit", testid: "explain-submit", class: "primary" }, "Explain"),
    ),
    out,
  );
}

function render(a: Explained): HTMLElement {
  return h("div", {},
    a.router === null
      ? message("info", `no router matches (version ${a.version}): 404`, "explain-nomatch")
      : h("p", { class: "msg ok" }, "matched ", h("code", { testid: "explain-router" }, a.router), " priority ", h("span", { testid: "explain-priority" }, String(a.priority ?? "")), " rule ", h("code", {}, a.rule ?? "")),
    a.chain ? h("p", {}, "through ", a.chain.flatMap((l, i) => [i ? " → " : "", h("code", {}, l.router)])) : null,
    a.note ? message("info", a.note, "explain-note") : null,
    a.routers
      ? h("div", { class: "scroll" }, h("table", { testid: "explain-routers" },
          h("thead", {}, h("tr", {}, ["router", "priority", "rule", "result"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, a.routers.map((r) => h("tr", { testid: "explain-row", "data-router": r.router, class: r.matched ? "matched" : "" },
            h("td", { class: "mono" }, r.router), h("td", {}, String(r.priority)), h("td", { class: "mono" }, r.rule),
            h("td", { testid: "explain-failed" }, r.matched ? "matched" : r.failed ? ["failed at ", h("code", {}, r.failed)] : "did not match")))),
        ), a.truncated ? message("info", "only the first 200 routers are listed", "explain-truncated") : null)
      : message("info", "this router's explain gives no per-router detail", "explain-no-detail"),
  );
}
