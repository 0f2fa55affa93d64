// The switcher: one reference to the current snapshot, replaced in one assignment.
// A request reads `current` once at its start and keeps that snapshot to its end, so it never
// sees half of one config and half of another.
export class Switcher<T> {
  private value: T | null = null;

  get current(): T | null {
    return this.value;
  }

  /** Installs `next`; returns what it replaced. */
  swap(next: T): T | null {
    const previous = this.value;
    this.value = next;
    return previous;
  }
}
