// A line diff in linear space: Myers' O(ND) algorithm, searching from both ends at once for the
// middle of an optimal path and recursing on the two halves (Myers 1986, section 4b; the loop is
// diff-match-patch's "bisect"). Bounded: past MAX_COST edit steps in one search the rest is
// reported as a plain replacement, so two large unrelated texts still diff quickly (the editor's
// 412 view, on configs of at most a few thousand lines).
export type DiffLine = { readonly op: "same" | "add" | "del"; readonly text: string };

const MAX_COST = 2000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const out: DiffLine[] = [];
  diffRange(a, 0, a.length, b, 0, b.length, out);
  return out;
}

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Diffs a[a0..a1) against b[b0..b1) into `out`, in order. */
function diffRange(a: string[], a0: number, a1: number, b: string[], b0: number, b1: number, out: DiffLine[]): void {
  let head = 0;
  while (a0 + head < a1 && b0 + head < b1 && a[a0 + head] === b[b0 + head]) head++;
  let tail = 0;
  while (a0 + head + tail < a1 && b0 + head + tail < b1 && a[a1 - 1 - tail] === b[b1 - 1 - tail]) tail++;
  pushRange(out, "same", a, a0, a0 + head);
  const [x0, x1, y0, y1] = [a0 + head, a1 - tail, b0 + head, b1 - tail];
  if (x0 === x1) pushRange(out, "add", b, y0, y1);
  else if (y0 === y1) pushRange(out, "del", a, x0, x1);
  else {
    const split = bisect(a, x0, x1, b, y0, y1);
    if (split === null) {
      pushRange(out, "del", a, x0, x1);
      pushRange(out, "add", b, y0, y1);
    } else {
      diffRange(a, x0, split[0], b, y0, split[1], out);
      diffRange(a, split[0], x1, b, split[1], y1, out);
    }
  }
  pushRange(out, "same", a, a1 - tail, a1);
}

function pushRange(out: DiffLine[], op: DiffLine["op"], lines: string[], from: number, to: number): void {
  for (let i = from; i < to; i++) out.push({ op, text: lines[i]! });
}

/** A point [x, y] on an optimal edit path of the two ranges (absolute indexes), or null: none found within MAX_COST. */
function bisect(a: string[], a0: number, a1: number, b: string[], b0: number, b1: number): [number, number] | null {
  const n = a1 - a0;
  const m = b1 - b0;
  const maxD = Math.min(Math.ceil((n + m) / 2), MAX_COST);
  const offset = maxD;
  const length = 2 * maxD + 2;
  // Per diagonal k = x - y: the furthest x reached forward (v1), and backward counted from the end (v2).
  const v1 = new Int32Array(length).fill(-1);
  const v2 = new Int32Array(length).fill(-1);
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;
  const delta = n - m;
  const front = delta % 2 !== 0;
  let [k1start, k1end, k2start, k2end] = [0, 0, 0, 0];
  const next = (v: Int32Array, k: number, d: number) =>
    k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      let x1 = next(v1, k1, d);
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && a[a0 + x1] === b[b0 + y1]) { x1++; y1++; }
      v1[offset + k1] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const k2 = offset + delta - k1;
        if (k2 >= 0 && k2 < length && v2[k2] !== -1 && x1 >= n - v2[k2]!) return [a0 + x1, b0 + y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      let x2 = next(v2, k2, d);
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && a[a1 - 1 - x2] === b[b1 - 1 - y2]) { x2++; y2++; }
      v2[offset + k2] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const k1 = offset + delta - k2;
        if (k1 >= 0 && k1 < length && v1[k1] !== -1) {
          const x1 = v1[k1]!;
          const y1 = offset + x1 - k1;
          if (x1 >= n - x2) return [a0 + x1, b0 + y1];
        }
      }
    }
  }
  return null;
}
