import { describe, expect, it } from "vitest";
import { SingleFlight } from "../../../worker/go/singleflight.ts";

describe("SingleFlight (golang.org/x/sync/singleflight Group.Do)", () => {
  it("runs one call per key while it is in flight, and a new one after it settles", async () => {
    const group = new SingleFlight<number>();
    let calls = 0;
    let release!: (n: number) => void;
    const slow = () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const a = group.do("k", slow);
    const b = group.do("k", slow);
    expect(calls).toBe(1);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(await group.do("k", async () => (calls++, 8))).toBe(8);
    expect(calls).toBe(2);
  });

  it("keeps keys apart, and forgets a key whose call failed", async () => {
    const group = new SingleFlight<string>();
    await expect(group.do("a", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await group.do("a", async () => "up")).toBe("up");
    expect(await Promise.all([group.do("x", async () => "x"), group.do("y", async () => "y")])).toEqual(["x", "y"]);
  });
});
