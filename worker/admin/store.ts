// The one config-store object every admin call talks to (a single writer serializes every write).
import { CONFIG_STORE_NAME } from "../../providers/config-store-api.ts";
import type { ConfigStoreBinding } from "../../providers/config-store.ts";

export function store(env: ConfigStoreBinding) {
  return env.CONFIG_STORE.get(env.CONFIG_STORE.idFromName(CONFIG_STORE_NAME));
}
