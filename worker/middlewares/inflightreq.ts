// inFlightReq: at most `amount` requests at once per source, as Traefik's (oxy's connlimit): the
// next one gets 429 with "max connections reached: <amount>". The default source is the request
// host. Counts are per isolate (requests served by other isolates are not seen), and survive a
// config swap while the options are unchanged, so requests still streaming under the old config
// keep counting. A request stops counting when its response body has been sent (or abandoned).
import type { MiddlewareFactory } from "./types.ts";
import { onBodyDone } from "../http/body.ts";
import { sourceExtractor } from "./traffic/source.ts";
import { keep, type Kept, type Reclaim } from "./traffic/state.ts";
import { plain } from "./respond.ts";

class InFlight implements Kept {
  private readonly counts = new Map<string, number>();
  private readonly reclaim: Reclaim;

  constructor(reclaim: Reclaim) {
    this.reclaim = reclaim;
  }

  /** Count one more request for this source, or false when it already has `max`. */
  acquire(source: string, max: number): boolean {
    const current = this.counts.get(source) ?? 0;
    if (current >= max) return false;
    // From nothing in flight, the keeper may have dropped this state while a snapshot still uses it.
    if (this.counts.size === 0) this.reclaim();
    this.counts.set(source, current + 1);
    return true;
  }

  release(source: string): void {
    const left = (this.counts.get(source) ?? 1) - 1;
    if (left <= 0) this.counts.delete(source);
    else this.counts.set(source, left);
  }

  disposable(): boolean {
    return this.counts.size === 0;
  }
}

export const inFlightReq: MiddlewareFactory<"inFlightReq"> = (options, ctx) => {
  const sourceOf = sourceExtractor(options.sourceCriterion, "host");
  if (typeof sourceOf === "string") return sourceOf;
  const amount = options.amount;
  const state = keep({ kind: "inFlightReq", router: ctx.router, name: ctx.name, options }, (reclaim) => new InFlight(reclaim));
  return (next) => async (request, rc) => {
    const source = sourceOf(request, rc);
    if (!state.acquire(source, amount)) return plain(429, `max connections reached: ${amount}`);
    let response: Response;
    try {
      response = await next(request, rc);
    } catch (err) {
      state.release(source);
      throw err;
    }
    // Released when the body has been relayed to its end, failed, or been cancelled by the client:
    // the moment Traefik's handler returns.
    return onBodyDone(response, () => state.release(source));
  };
};
