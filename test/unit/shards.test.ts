import { describe, expect, it } from "vitest";
import { shardIndex } from "../../src/db/shards";

describe("records shards", () => {
  it("always put a restaurant in the same shard", () => {
    expect(shardIndex("rst_7h3k2m9qx8v2d4fa", 8)).toBe(shardIndex("rst_7h3k2m9qx8v2d4fa", 8));
    expect(shardIndex("anything", 1)).toBe(0);
  });

  it("spread restaurants evenly", () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[shardIndex(`rst_${i.toString(36).padStart(16, "x")}`, 8)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    for (const c of counts) expect(c).toBeLessThan(1200);
  });
});
