// traefik_config_reloads_total and traefik_config_last_reload_success: the listener the watcher
// calls with each new config is wrapped, so every reload this isolate tries is counted where it is
// decided (a listener that throws kept the last good config).
import type { Recorder } from "./recorder.ts";

/** Wraps a config listener: each call is a reload, a success when it does not throw. */
export function countingReloads<T>(listener: (config: T) => Promise<void>, recorder: Recorder, now: () => number = Date.now): (config: T) => Promise<void> {
  return async (config) => {
    try {
      await listener(config);
    } catch (err) {
      recorder.reload(false, now());
      throw err;
    }
    recorder.reload(true, now());
  };
}
