// <base>/config/shadow: a candidate evaluated against real traffic without serving it
// (docs/safe-changes.md). PUT (scope write) admits it as PUT /config would and starts it, with
// ?sampleRate= (0 < r <= 1, default 0.01); GET (read) answers it and its routing diff summed over
// the isolates; DELETE (write) ends it, answering its last state.
import type { ConfigStoreBinding } from "../../providers/config-store.ts";
import { json } from "../api/responses.ts";
import { readConfigBody } from "./body.ts";
import type { Identity } from "./identity.ts";
import { jsonError } from "./responses.ts";
import { store } from "./store.ts";

export async function startShadow(request: Request, env: ConfigStoreBinding, who: Identity): Promise<Response> {
  const rateText = new URL(request.url).searchParams.get("sampleRate");
  const sampleRate = rateText === null ? undefined : Number(rateText);
  if (sampleRate !== undefined && !(sampleRate > 0 && sampleRate <= 1)) return jsonError(400, `sampleRate must be a number above 0 and at most 1, got ${JSON.stringify(rateText)}`);
  const body = await readConfigBody(request);
  if (!body.ok) return jsonError(body.status, body.message, {}, body.errors ? { errors: body.errors } : {});
  const result = await store(env).startShadow({ config: body.value, sampleRate, author: who.name });
  if (result.ok) return json({ ...result.shadow, warnings: result.warnings });
  if (result.status === 400) return jsonError(400, "the config is invalid", {}, { errors: result.errors });
  return jsonError(503, result.message, { "retry-after": "1" });
}

export async function shadowState(env: ConfigStoreBinding): Promise<Response> {
  return json(await store(env).shadow());
}

export async function stopShadow(env: ConfigStoreBinding): Promise<Response> {
  const last = await store(env).stopShadow();
  return last.active ? json(last) : jsonError(404, "no shadow evaluation is running");
}
