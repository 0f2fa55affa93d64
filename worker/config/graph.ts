// Cycle finding for the chain and service graphs.

export type Graph = ReadonlyMap<string, readonly string[]>;

/** Rotates a cycle (without its closing repeat) to start at its smallest name. */
function canonical(cycle: readonly string[]): string[] {
  let start = 0;
  cycle.forEach((name, i) => {
    if (name < (cycle[start] ?? name)) start = i;
  });
  return [...cycle.slice(start), ...cycle.slice(0, start)];
}

/**
 * The distinct cycles a depth-first walk meets, each as `[a, b, ..., a]` starting at its smallest
 * name, in a stable order.
 */
export function findCycles(graph: Graph): string[][] {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (node: string): void => {
    state.set(node, "active");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === "active") {
        const cycle = canonical(stack.slice(stack.indexOf(next)));
        found.set(cycle.join("\u0000"), [...cycle, cycle[0] ?? next]);
      } else if (seen === undefined && graph.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()];
}
