// <base>/status/fleet: every isolate's last report, summed up by the config store (which keeps
// the reports; see providers/store/fleet.ts for the fields and worker/fleet/ for the reporting).
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { json } from "../api/responses.ts";
import { store } from "./config-routes.ts";

export async function fleetStatus(env: ConfigStoreBinding): Promise<Response> {
  return json(await store(env).fleet());
}
