// The fleet status: what every isolate last reported (its serving version, last poll, last error,
// location), summed up for <base>/status/fleet. Pure: the rows and the clock are handed in.
//
// An isolate is "heard from" while its last report is at most NOT_HEARD_FROM_INTERVALS of its
// report intervals old; after that it is listed under notHeardFrom (its counts no longer add up
// with the live ones), and after FORGET_INTERVALS it is forgotten (the table deletes it).

import type { VersionStatsReport } from "./canary-stats.ts";

/** What one isolate says about itself (times are the isolate's clock, ms since the epoch). */
export interface FleetReport {
  readonly isolate: string;
  /** Cloudflare's location code (`request.cf.colo`), "local" where there is none. */
  readonly colo: string;
  /** The isolate's config source ("kv+file", "durable-object+file", "file"). */
  readonly source: string;
  /** How often it reports at least: the clock of "not heard from". */
  readonly reportIntervalMs: number;
  readonly serving: { readonly version: number; readonly sha256: string; readonly since: number } | null;
  readonly lastPollAt: number | null;
  /** The failure of its last poll; `version` is the version it refused or could not read (null: reading the version failed). */
  readonly lastError: { readonly at: number; readonly message: string; readonly version: number | null; readonly paths: readonly string[] } | null;
  /** While a canary runs: per served version, the figures since the last report (store/canary-stats.ts). */
  readonly versionStats?: VersionStatsReport;
}

/** A report as the store keeps it, with the store's own time of receipt. */
export interface FleetRow {
  readonly report: FleetReport;
  readonly reportedAt: number;
}

export const NOT_HEARD_FROM_INTERVALS = 3;
export const FORGET_INTERVALS = 10;
/** Isolate ids listed per refusal reason, and isolates listed as not heard from, at most. */
export const LISTED_ISOLATES = 20;
export const LISTED_SILENT = 100;

export interface FleetVersion {
  readonly version: number;
  readonly sha256: string;
  readonly isolates: number;
  readonly colos: string[];
  /** When the first of these isolates started serving it (ISO 8601). */
  readonly since: string;
}

export interface FleetOldest extends FleetVersion {
  /** When the config store made the next version, i.e. since when this one is out of date (null: it is not, or history no longer says). */
  readonly supersededAt: string | null;
}

export interface FleetReason {
  readonly message: string;
  readonly paths: string[];
  readonly isolates: number;
  readonly colos: string[];
  /** Up to LISTED_ISOLATES of them, sorted. */
  readonly isolateIds: string[];
}

export interface FleetRefusal {
  readonly version: number;
  readonly isolates: number;
  readonly reasons: FleetReason[];
}

export interface FleetError {
  readonly message: string;
  readonly isolates: number;
  readonly colos: string[];
}

export interface FleetSilent {
  readonly isolate: string;
  readonly colo: string;
  readonly version: number | null;
  readonly lastReportAt: string;
}

export interface FleetStatus {
  /** The store's clock when this was computed (ISO 8601). */
  readonly at: string;
  /** The config store's newest version (null: nothing stored). */
  readonly storeVersion: number | null;
  /** Isolates heard from within NOT_HEARD_FROM_INTERVALS report intervals; every count below is of them. */
  readonly isolates: number;
  /** Of those, isolates serving nothing (cold, or refusing every version they were given). */
  readonly notServing: number;
  /** Newest first. */
  readonly versions: FleetVersion[];
  readonly oldest: FleetOldest | null;
  /** Versions some isolate refused (or could not read) on its last poll, newest first, with why. */
  readonly refused: FleetRefusal[];
  /** Failures that name no version (reading the version itself failed). */
  readonly errors: FleetError[];
  /** Isolates that reported once but not within NOT_HEARD_FROM_INTERVALS intervals (oldest report first). */
  readonly notHeardFrom: { readonly isolates: number; readonly list: FleetSilent[] };
}

export interface FleetContext {
  readonly now: number;
  readonly storeVersion: number | null;
  /** When the store made its first version after `version` (ISO 8601), if it still knows. */
  readonly supersededAt: (version: number) => string | null;
}

export type Freshness = "heard" | "silent" | "forgotten";

export function freshness(row: FleetRow, now: number): Freshness {
  const age = now - row.reportedAt;
  const interval = Math.max(1, row.report.reportIntervalMs);
  if (age <= NOT_HEARD_FROM_INTERVALS * interval) return "heard";
  return age <= FORGET_INTERVALS * interval ? "silent" : "forgotten";
}

export function summarizeFleet(rows: readonly FleetRow[], context: FleetContext): FleetStatus {
  const heard = rows.filter((r) => freshness(r, context.now) === "heard").map((r) => r.report);
  const silent = rows.filter((r) => freshness(r, context.now) === "silent").sort((a, b) => a.reportedAt - b.reportedAt || compare(a.report.isolate, b.report.isolate));
  const versions = servedVersions(heard);
  const last = versions.at(-1);
  return {
    at: iso(context.now),
    storeVersion: context.storeVersion,
    isolates: heard.length,
    notServing: heard.filter((r) => r.serving === null).length,
    versions,
    oldest: last ? { ...last, supersededAt: context.supersededAt(last.version) } : null,
    refused: refusals(heard),
    errors: versionlessErrors(heard),
    notHeardFrom: { isolates: silent.length, list: silent.slice(0, LISTED_SILENT).map(silentEntry) },
  };
}

function servedVersions(reports: readonly FleetReport[]): FleetVersion[] {
  const groups = groupBy(reports.filter((r) => r.serving !== null), (r) => `${r.serving!.version}\n${r.serving!.sha256}`);
  return [...groups.values()]
    .map((group) => {
      const { version, sha256 } = group[0]!.serving!;
      const since = Math.min(...group.map((r) => r.serving!.since));
      return { version, sha256, isolates: group.length, colos: colosOf(group), since: iso(since) };
    })
    .sort((a, b) => b.version - a.version || compare(a.sha256, b.sha256));
}

function refusals(reports: readonly FleetReport[]): FleetRefusal[] {
  const failed = reports.filter((r) => r.lastError !== null && r.lastError.version !== null);
  const byVersion = groupBy(failed, (r) => String(r.lastError!.version));
  return [...byVersion.values()]
    .map((group) => ({ version: group[0]!.lastError!.version!, isolates: group.length, reasons: reasons(group) }))
    .sort((a, b) => b.version - a.version);
}

function reasons(reports: readonly FleetReport[]): FleetReason[] {
  const byReason = groupBy(reports, (r) => JSON.stringify([r.lastError!.message, r.lastError!.paths]));
  return [...byReason.values()]
    .map((group) => {
      const { message, paths } = group[0]!.lastError!;
      const isolateIds = group.map((r) => r.isolate).sort(compare).slice(0, LISTED_ISOLATES);
      return { message, paths: [...paths], isolates: group.length, colos: colosOf(group), isolateIds };
    })
    .sort((a, b) => b.isolates - a.isolates || compare(a.message, b.message));
}

function versionlessErrors(reports: readonly FleetReport[]): FleetError[] {
  const failed = reports.filter((r) => r.lastError !== null && r.lastError.version === null);
  return [...groupBy(failed, (r) => r.lastError!.message).values()]
    .map((group) => ({ message: group[0]!.lastError!.message, isolates: group.length, colos: colosOf(group) }))
    .sort((a, b) => b.isolates - a.isolates || compare(a.message, b.message));
}

function silentEntry(row: FleetRow): FleetSilent {
  const { isolate, colo, serving } = row.report;
  return { isolate, colo, version: serving?.version ?? null, lastReportAt: iso(row.reportedAt) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function colosOf(reports: readonly FleetReport[]): string[] {
  return [...new Set(reports.map((r) => r.colo))].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
