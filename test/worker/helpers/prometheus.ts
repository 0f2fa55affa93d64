/// <reference path="./parse-prometheus-text-format.d.ts" />
// /metrics read with a real Prometheus text parser (parse-prometheus-text-format, prom2json's
// shape), then looked up by family and labels: tests compare numbers, never strings of the format.
// That parser folds a histogram's series into one when they have labels besides `le` (its
// flattenMetrics keys buckets by `le` alone), so the text is parsed twice: as sent, for each
// family's TYPE and HELP, and with the histograms' TYPE and HELP lines left out, which the parser then reads
// as untyped samples (x_bucket, x_sum, x_count) with all their labels.
import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Scrape {
  /** Every family as declared: name → TYPE ("COUNTER", "GAUGE", "HISTOGRAM") and HELP. */
  readonly families: ReadonlyMap<string, Pick<ParsedFamily, "type" | "help">>;
  /** Every sample by its name (a histogram's as name_bucket, name_sum, name_count). */
  readonly samples: ReadonlyMap<string, readonly Sample[]>;
}

export function parseScrape(text: string): Scrape {
  const declared = parsePrometheusTextFormat(text);
  const families = new Map(declared.map((f) => [f.name, { type: f.type, help: f.help }]));
  const histograms = new Set(declared.filter((f) => f.type === "HISTOGRAM").map((f) => f.name));
  const flat = text
    .split("\n")
    .filter((line) => !(line.startsWith("# ") && histograms.has(line.split(" ")[2]!)))
    .join("\n");
  const samples = new Map<string, Sample[]>();
  // Untyped, each run of one name is a family of its own: a name seen again (the next series'
  // buckets) adds to what is there.
  for (const f of parsePrometheusTextFormat(flat)) {
    const list = samples.get(f.name) ?? [];
    list.push(...f.metrics.map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) })));
    samples.set(f.name, list);
  }
  return { families, samples };
}

/** The samples named `name` whose labels include all of `labels`. */
export function matching(scrape: Scrape, name: string, labels: Record<string, string> = {}): Sample[] {
  return (scrape.samples.get(name) ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v));
}

/** The sum of the matching samples' values (0 when none). */
export function total(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  return matching(scrape, name, labels).reduce((n, m) => n + m.value, 0);
}
