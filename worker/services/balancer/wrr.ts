// Smooth weighted round robin (as nginx and Traefik's wrr): over any window of sum(weights) picks,
// each member is chosen weight times, interleaved rather than in bursts.

export interface Weighted {
  readonly weight: number;
}

export class SmoothWRR<T extends Weighted> {
  readonly members: readonly T[];
  private readonly current: number[];

  constructor(members: readonly T[]) {
    this.members = members.filter((m) => m.weight > 0);
    this.current = this.members.map(() => 0);
  }

  /** The next member among those `eligible` accepts, or null when none is. */
  next(eligible: (member: T) => boolean = () => true): T | null {
    let total = 0;
    let best = -1;
    for (let i = 0; i < this.members.length; i++) {
      const member = this.members[i]!;
      if (!eligible(member)) continue;
      this.current[i]! += member.weight;
      total += member.weight;
      if (best < 0 || this.current[i]! > this.current[best]!) best = i;
    }
    if (best < 0) return null;
    this.current[best]! -= total;
    return this.members[best]!;
  }
}
