// Power of two random choices, as Traefik's p2c: pick two distinct candidates at random and take
// the one with fewer requests in flight (the first on a tie). In-flight counts are this isolate's.

export interface InFlight {
  readonly inflight: number;
}

export type Random = (n: number) => number;

const defaultRandom: Random = (n) => Math.floor(Math.random() * n);

export function p2cPick<T extends InFlight>(candidates: readonly T[], random: Random = defaultRandom): T | null {
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0]!;
  const first = random(candidates.length);
  let second = random(candidates.length - 1);
  if (second >= first) second++;
  const a = candidates[first]!;
  const b = candidates[second]!;
  return b.inflight < a.inflight ? b : a;
}
