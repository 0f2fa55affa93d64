// Remembers credentials that already passed, per middleware instance (so per config version).
// bcrypt is slow on purpose (tens of milliseconds of CPU at cost 10) and a Worker pays that CPU on
// every request; Traefik re-checks each time (with a singleflight for concurrent identical checks).
// Here a success is remembered under a salted SHA-256 of user, password and secret, never the
// password itself; failures are never remembered, so a wrong password costs a full check each time.
import { SingleFlight } from "../../go/singleflight.ts";
import { concat } from "../../http/body.ts";
import { hex, utf8 } from "./bytes.ts";

const CAPACITY = 1024;

export class VerifiedCredentials {
  private readonly salt = crypto.getRandomValues(new Uint8Array(16));
  private readonly passed = new Map<string, true>();
  /** Identical checks in flight share one computation, as Traefik's singleflight group. */
  private readonly checks = new SingleFlight<boolean>();

  private readonly verify: (password: Uint8Array, secret: string) => Promise<boolean>;

  constructor(verify: (password: Uint8Array, secret: string) => Promise<boolean>) {
    this.verify = verify;
  }

  async check(user: string, password: Uint8Array, secret: string): Promise<boolean> {
    const key = await this.keyOf(user, password, secret);
    if (this.passed.has(key)) {
      this.passed.delete(key); // move to the back: the least recently used goes first
      this.passed.set(key, true);
      return true;
    }
    const ok = await this.checks.do(key, () => this.verify(password, secret));
    if (ok) this.remember(key);
    return ok;
  }

  private remember(key: string): void {
    this.passed.set(key, true);
    if (this.passed.size > CAPACITY) {
      const oldest = this.passed.keys().next();
      if (!oldest.done) this.passed.delete(oldest.value);
    }
  }

  private async keyOf(user: string, password: Uint8Array, secret: string): Promise<string> {
    const material = concat([this.salt, utf8(user), Uint8Array.of(0), password, Uint8Array.of(0), utf8(secret)]);
    return hex(await crypto.subtle.digest("SHA-256", material));
  }
}
