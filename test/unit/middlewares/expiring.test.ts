import { describe, expect, it } from "vitest";
import { ExpiringMap } from "../../../worker/middlewares/auth/expiring.ts";

describe("ExpiringMap (what auth middlewares remember for a while)", () => {
  it("answers an entry until its time, then forgets it", () => {
    const map = new ExpiringMap<string | null>(10);
    map.set("k", "v", 100);
    map.set("missing", null, 100);
    expect(map.get("k", 99)).toBe("v");
    expect(map.get("missing", 99)).toBeNull();
    expect(map.get("k", 100)).toBeUndefined();
    expect(map.get("nope", 0)).toBeUndefined();
  });

  it("holds at most its capacity, the oldest written going first; a rewrite counts as new", () => {
    const map = new ExpiringMap<number>(2);
    map.set("a", 1, Infinity);
    map.set("b", 2, Infinity);
    map.set("a", 3, Infinity);
    map.set("c", 4, Infinity);
    expect(map.get("b", 0)).toBeUndefined();
    expect([map.get("a", 0), map.get("c", 0)]).toEqual([3, 4]);
  });
});
