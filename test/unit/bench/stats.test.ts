// The benchmarks' percentiles and medians (bench/stats.ts).
import { describe, expect, it } from "vitest";
import { median, percentile } from "../../../bench/stats.ts";

describe("percentile (nearest rank)", () => {
  const values = Float64Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
  it("gives the smallest value with p % of the sample at or below it", () => {
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0.1)).toBe(1);
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });
  it("does not sort its input in place, and is NaN for no values", () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 2])).toBe(6); // numeric order, not string order
    expect(median([])).toBeNaN();
  });
});
