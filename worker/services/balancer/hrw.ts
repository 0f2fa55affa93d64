// Highest random weight (rendezvous hashing), as Traefik's hrw: each candidate scores
// weight / -ln(fnv1a(source + name) / 2^64); the highest score wins. The same source (the client
// IP) keeps landing on the same member while the set of candidates is unchanged.
import { fnv1a } from "../hash.ts";

export interface Named {
  readonly name: string;
  readonly weight: number;
}

const TWO_64 = 2 ** 64;

export function hrwScore(member: Named, source: string): number {
  const unit = Number(fnv1a(source + member.name)) / TWO_64;
  return (1 / -Math.log(unit)) * member.weight;
}

/** The candidate with the highest score for `source`, or null when there is none. */
export function hrwPick<T extends Named>(candidates: readonly T[], source: string): T | null {
  let best: T | null = null;
  let bestScore = 0;
  for (const candidate of candidates) {
    if (candidate.weight <= 0) continue;
    const score = hrwScore(candidate, source);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
