// What the health checker answers an isolate's poll: each server's last result.

export type ServerStatus = "UP" | "DOWN" | "UNKNOWN";

export interface ServerReport {
  readonly server: string;
  readonly status: ServerStatus;
  /** When the last probe finished (ms since the epoch), null before the first. */
  readonly checkedAt: number | null;
  readonly error: string | null;
}

export interface HealthReport {
  readonly servers: readonly ServerReport[];
}
