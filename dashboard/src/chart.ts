// One uPlot time-series chart, sized to its container.
import uPlot from "uplot";

export interface ChartLine {
  readonly label: string;
  readonly values: (number | null)[];
  readonly color: string;
}

export function chart(container: HTMLElement, title: string, t: number[], lines: readonly ChartLine[], unit: string): uPlot {
  const width = Math.max(260, Math.min(container.clientWidth || 600, 900));
  const options: uPlot.Options = {
    title,
    width,
    height: 180,
    series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, spanGaps: false,
      // Points as well as lines: a single interval with traffic between empty ones has no line.
      points: { show: true, size: 4 }, value: (_u: uPlot, v: number | null) => (v === null ? "–" : `${round(v)} ${unit}`) }))],
    axes: [{}, { values: (_u: uPlot, ticks: number[]) => ticks.map((v) => `${round(v)}`), size: 50 }],
    scales: { x: { time: true } },
    legend: { live: true },
  };
  return new uPlot(options, [t, ...lines.map((l) => l.values)] as uPlot.AlignedData, container);
}

function round(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);
}
