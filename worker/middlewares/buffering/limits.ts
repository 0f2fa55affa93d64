// How much the buffering middleware may hold in memory (Workers have no disk to spill to).

/** The most a buffering middleware holds for one body: an isolate has 128 MB for everything. */
export const BUFFER_CEILING_BYTES = 32 * 1024 * 1024;

/** Traefik's limit if set (0 means none), bounded by the Workers ceiling. */
export function effectiveLimit(max: number | undefined): number {
  return max !== undefined && max > 0 ? Math.min(max, BUFFER_CEILING_BYTES) : BUFFER_CEILING_BYTES;
}
