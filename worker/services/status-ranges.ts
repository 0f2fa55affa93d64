// Status lists as Traefik writes them (its HTTPCodeRanges): "500", "500-504", or several joined by
// commas. Read by the failover service and the errors middleware.

export interface StatusRange {
  readonly low: number;
  readonly high: number;
}

/** Ranges of lists that passed validation ("404,500-599" → [404-404, 500-599]). */
export function parseStatusRanges(lists: readonly string[]): StatusRange[] {
  return lists.flatMap((list) =>
    list.split(",").map((part) => {
      const [low, high = low] = part.trim().split("-").map(Number) as [number, number?];
      return { low, high };
    }),
  );
}

export function inRanges(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((r) => status >= r.low && status <= r.high);
}
