import { describe, expect, it } from "vitest";
import { lineDiff, splitLines, type DiffLine } from "../../../dashboard/src/linediff.ts";

/** Applying the diff gives back both texts: the "same"+"del" lines are the old, "same"+"add" the new. */
function sides(d: DiffLine[]): [string[], string[]] {
  return [d.filter((l) => l.op !== "add").map((l) => l.text), d.filter((l) => l.op !== "del").map((l) => l.text)];
}
const edits = (d: DiffLine[]) => d.filter((l) => l.op !== "same").length;

/** The LCS length by dynamic programming: the minimal edit count is n + m - 2 * LCS. */
function lcs(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

describe("lineDiff", () => {
  it("marks one changed line", () => {
    expect(lineDiff("a\nb\nc\n", "a\nB\nc\n")).toEqual([
      { op: "same", text: "a" },
      { op: "del", text: "b" },
      { op: "add", text: "B" },
      { op: "same", text: "c" },
    ]);
  });

  it("handles empty sides and equal texts", () => {
    expect(lineDiff("", "x\ny")).toEqual([{ op: "add", text: "x" }, { op: "add", text: "y" }]);
    expect(lineDiff("x\n", "")).toEqual([{ op: "del", text: "x" }]);
    expect(lineDiff("p\nq", "p\nq\n").every((l) => l.op === "same")).toBe(true);
  });

  it("is minimal and reconstructs both sides on random texts", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: rand(14) }, () => "abcd"[rand(4)]!);
      const b = Array.from({ length: rand(14) }, () => "abcd"[rand(4)]!);
      const d = lineDiff(a.join("\n"), b.join("\n"));
      expect(sides(d), `${a} / ${b}`).toEqual([a, b]);
      expect(edits(d), `${a} / ${b}`).toBe(a.length + b.length - 2 * lcs(a, b));
    }
  });

  it("stays bounded on large unrelated texts (a replacement past the cost limit) and still reconstructs", () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 5000 }, (_, i) => `b${i}`);
    const d = lineDiff(a.join("\n"), b.join("\n"));
    expect(sides(d)).toEqual([a, b]);
    expect(d.map((l) => l.op)).toEqual([...a.map(() => "del"), ...b.map(() => "add")]);
  });

  it("finds a small change in a large text", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const b = [...a];
    b.splice(1500, 1, "changed");
    b.splice(10, 0, "inserted");
    const d = lineDiff(a.join("\n"), b.join("\n"));
    expect(edits(d)).toBe(3);
    expect(sides(d)).toEqual([a, b]);
  });

  it("splits lines on LF and CRLF, without a last empty line", () => {
    expect(splitLines("a\r\nb\n")).toEqual(["a", "b"]);
    expect(splitLines("")).toEqual([]);
  });
});
