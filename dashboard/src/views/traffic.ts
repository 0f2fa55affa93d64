// #/traffic: requests per second, error ratio and p50/p99 latency over the last hour, per router or
// service, from GET <base>/metrics/history (refreshed every 10 s), as uPlot charts.
import type uPlot from "uplot";
import { ApiError } from "../api.ts";
import { chart } from "../chart.ts";
import { clear, h, message } from "../dom.ts";
import { entriesOf, seriesOf, type MetricsHistory } from "../series.ts";
import type { ViewContext } from "./context.ts";

const REFRESH_MS = 10_000;

export async function traffic(ctx: ViewContext): Promise<void> {
  const kind = h("select", { id: "traffic-kind", testid: "traffic-kind" }, h("option", { value: "routers" }, "routers"), h("option", { value: "services" }, "services"));
  const name = h("select", { id: "traffic-name", testid: "traffic-name" });
  const charts = h("div", { class: "charts", testid: "traffic-charts" });
  const table = h("div", { class: "scroll" });
  const updated = h("p", { class: "muted", testid: "traffic-updated", "aria-live": "polite" });
  ctx.root.append(
    h("h1", {}, "Traffic (last hour)"),
    h("div", { class: "row" }, h("label", { for: "traffic-kind" }, "show"), kind, h("label", { for: "traffic-name" }, "name"), name),
    updated,
    charts,
    table,
  );
  let history: MetricsHistory | null = null;
  let plots: uPlot[] = [];
  const draw = () => {
    plots.forEach((p) => p.destroy());
    plots = [];
    clear(charts);
    if (!history) return;
    const entries = entriesOf(history, kind.value as "routers" | "services");
    const names = entries.map(([n]) => n);
    const chosen = names.includes(name.value) ? name.value : (names[0] ?? "");
    clear(name, names.map((n) => h("option", { value: n, selected: n === chosen }, n)));
    renderTable(table, history, kind.value as "routers" | "services");
    const entry = entries.find(([n]) => n === chosen)?.[1];
    if (!entry) return void charts.append(message("info", `no ${kind.value} with traffic in the last hour`, "traffic-empty"));
    const s = seriesOf(history, entry);
    // The canvas says nothing to a screen reader: the label names the chart, the table below has the numbers.
    const box = (testid: string, label: string) => charts.appendChild(h("div", { class: "chart", testid, role: "img", "aria-label": `${chosen}: ${label} over the last hour` }));
    plots = [
      chart(box("chart-rps", "requests per second"), `${chosen}: requests/s`, s.t, [{ label: "req/s", values: s.rps, color: "#2563eb" }], "req/s"),
      chart(box("chart-errors", "error ratio"), `${chosen}: error ratio (5xx)`, s.t, [{ label: "errors", values: s.errorRatio, color: "#dc2626" }], ""),
      chart(box("chart-latency", "p50 and p99 latency"), `${chosen}: latency (ms)`, s.t, [{ label: "p50", values: s.p50ms, color: "#16a34a" }, { label: "p99", values: s.p99ms, color: "#9333ea" }], "ms"),
    ];
  };
  const load = async () => {
    try {
      history = await ctx.api.json<MetricsHistory>("GET", "/metrics/history?window=3600&step=60");
      if (!ctx.alive()) return;
      updated.textContent = `updated ${new Date().toLocaleTimeString()} · every ${REFRESH_MS / 1000} s`;
      draw();
    } catch (err) {
      if (!ctx.alive()) return;
      const missing = err instanceof ApiError && err.status === 404;
      const denied = err instanceof ApiError && err.status === 403;
      clear(charts, message("error", missing ? "this router has no metrics history endpoint (GET <base>/metrics/history)" : denied ? "this token lacks the 'metrics' scope" : String(err instanceof Error ? err.message : err), "traffic-unavailable"));
    }
  };
  kind.addEventListener("change", () => {
    name.value = "";
    draw();
  });
  name.addEventListener("change", draw);
  const timer = setInterval(() => void load(), REFRESH_MS);
  const onResize = () => draw();
  window.addEventListener("resize", onResize);
  ctx.onLeave(() => {
    clearInterval(timer);
    window.removeEventListener("resize", onResize);
    plots.forEach((p) => p.destroy());
  });
  await load();
}

function renderTable(box: HTMLElement, history: MetricsHistory, kind: "routers" | "services"): void {
  const entries = entriesOf(history, kind);
  clear(box, h("table", { testid: "traffic-table" },
    h("thead", {}, h("tr", {}, [kind, "requests", "req/s (avg)", "5xx", "error ratio"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, entries.map(([n, e]) => {
      const s = seriesOf(history, e);
      const seconds = history.points * history.step;
      return h("tr", { testid: "traffic-row", "data-name": n },
        h("td", { class: "mono" }, n),
        h("td", {}, String(s.totalRequests)),
        h("td", {}, (s.totalRequests / seconds).toFixed(2)),
        h("td", {}, String(s.totalErrors)),
        h("td", {}, s.totalRequests ? `${((100 * s.totalErrors) / s.totalRequests).toFixed(1)} %` : "–"));
    })),
  ));
}
