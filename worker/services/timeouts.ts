// The deadlines of one upstream exchange, as one AbortSignal for fetch:
// - responseHeaderTimeout (Traefik): counted from the moment the request, body included, has been
//   sent; the upstream must start answering within it, else 504.
// - overallTimeout (Switchyard): the whole exchange, response body included; before the headers it
//   gives 504, after them it cuts the response body short.
// - the client: when the client's request is aborted (it went away), so is the upstream exchange.

export type AbortCause = "timeout" | "client";

export interface Deadlines {
  readonly responseHeaderTimeoutMs: number;
  readonly overallTimeoutMs: number;
}

export class Exchange {
  /** For fetch: the client's own signal when no deadline applies, else one that also fires on a deadline. */
  readonly signal: AbortSignal | null;
  private readonly controller: AbortController | null = null;
  private readonly client: AbortSignal | null;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private headerTimer: ReturnType<typeof setTimeout> | undefined;
  private headersIn = false;
  private cause: AbortCause | null = null;
  private readonly deadlines: Deadlines;

  constructor(deadlines: Deadlines, client: AbortSignal | null) {
    this.deadlines = deadlines;
    this.client = client;
    // Without deadlines the client's signal is the only reason to abort: fetch gets it as it is
    // (no controller, no listener per request), and a failure while it is aborted is the client's.
    if (deadlines.responseHeaderTimeoutMs <= 0 && deadlines.overallTimeoutMs <= 0) {
      this.signal = client;
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.signal = controller.signal;
    if (client?.aborted) this.abort("client");
    client?.addEventListener("abort", () => this.abort("client"), { once: true });
    if (deadlines.overallTimeoutMs > 0) this.timers.push(setTimeout(() => this.abort("timeout"), deadlines.overallTimeoutMs));
  }

  /** Why the exchange was aborted, if it was. */
  get abortedBy(): AbortCause | null {
    return this.cause ?? (this.client?.aborted ? "client" : null);
  }

  /** The request has been sent completely: the response-header deadline starts now. */
  requestSent(): void {
    const ms = this.deadlines.responseHeaderTimeoutMs;
    if (ms > 0 && !this.headersIn && this.headerTimer === undefined && this.cause === null) this.headerTimer = setTimeout(() => this.abort("timeout"), ms);
  }

  headersReceived(): void {
    this.headersIn = true;
    if (this.headerTimer !== undefined) clearTimeout(this.headerTimer);
  }

  /** Whether anything still runs after the headers (the overall deadline). */
  get outlivesHeaders(): boolean {
    return this.timers.length > 0;
  }

  /** No deadline applies any more (the response is complete, or it became a WebSocket). */
  finish(): void {
    this.headersReceived();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
  }

  private abort(cause: AbortCause): void {
    if (this.cause !== null) return;
    this.cause = cause;
    this.controller?.abort(cause);
  }
}
