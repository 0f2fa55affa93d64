// `switchyard status`: the fleet, as <base>/status/fleet sums it up: which versions the isolates
// serve and where, the oldest still served, which versions were refused and why, and isolates
// not heard from. `--json` prints the endpoint's JSON as it is.
import type { FleetStatus } from "../../providers/store/fleet.ts";
import { parse, type Io } from "../io.ts";
import { client, CONNECTION } from "./remote.ts";

export async function statusCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...CONNECTION, json: { type: "boolean" } });
  const { body } = await client(values).call("GET", "/status/fleet");
  if (values.json) io.out(JSON.stringify(body, null, 2));
  else for (const line of describeFleet(body as FleetStatus)) io.out(line);
  return 0;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const where = (colos: readonly string[]) => (colos.length > 0 ? ` in ${colos.join(", ")}` : "");

/** The fleet for a person: one block per section, empty sections said in one line. */
export function describeFleet(fleet: FleetStatus): string[] {
  const lines = [
    `config store: ${fleet.storeVersion === null ? "no version stored" : `version ${fleet.storeVersion}`} (as of ${fleet.at})`,
    `isolates heard from: ${fleet.isolates}${fleet.notServing > 0 ? ` (${fleet.notServing} serving nothing)` : ""}`,
  ];
  lines.push(fleet.versions.length === 0 ? "versions served: none" : "versions served:");
  for (const v of fleet.versions) lines.push(`  version ${v.version}  ${v.sha256.slice(0, 12)}  ${plural(v.isolates, "isolate")}${where(v.colos)}, since ${v.since}`);
  if (fleet.oldest && fleet.versions.length > 1) {
    const out = fleet.oldest.supersededAt ? `, out of date since ${fleet.oldest.supersededAt}` : "";
    lines.push(`oldest served: version ${fleet.oldest.version}${where(fleet.oldest.colos)}, since ${fleet.oldest.since}${out}`);
  }
  lines.push(fleet.refused.length === 0 ? "refused: none" : "refused:");
  for (const r of fleet.refused) {
    lines.push(`  version ${r.version}: ${plural(r.isolates, "isolate")}`);
    for (const reason of r.reasons) {
      lines.push(`    ${reason.message}`);
      const paths = reason.paths.length > 0 ? `at ${reason.paths.join(", ")}; ` : "";
      lines.push(`      ${paths}${plural(reason.isolates, "isolate")}${where(reason.colos)}: ${reason.isolateIds.join(" ")}`);
    }
  }
  for (const e of fleet.errors) lines.push(`error: ${e.message} (${plural(e.isolates, "isolate")}${where(e.colos)})`);
  const silent = fleet.notHeardFrom;
  lines.push(silent.isolates === 0 ? "not heard from: none" : `not heard from: ${plural(silent.isolates, "isolate")}`);
  for (const s of silent.list) lines.push(`  ${s.isolate}  ${s.colo}  ${s.version === null ? "serving nothing" : `version ${s.version}`}, last report ${s.lastReportAt}`);
  if (silent.list.length < silent.isolates) lines.push(`  (and ${silent.isolates - silent.list.length} more)`);
  return lines;
}
