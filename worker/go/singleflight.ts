// golang.org/x/sync/singleflight's Group.Do: concurrent calls for one key share the first call's
// result, and the key is forgotten once that call settles (Traefik's basicAuth checks run through
// one group; so do the credential checks and KV key lookups here).
export class SingleFlight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  do(key: string, fn: () => Promise<T>): Promise<T> {
    let running = this.pending.get(key);
    if (!running) {
      running = fn().finally(() => this.pending.delete(key));
      this.pending.set(key, running);
    }
    return running;
  }
}
