import { describe, expect, it } from "vitest";
import { createRandom } from "~/assessment/random";
import { orderOptions, shuffle, shuffleOptions } from "~/assessment/shuffle";
import { examQuestion, seeds } from "./fixtures";

describe("shuffling", () => {
  it("returns a permutation of the items and leaves the input alone", () => {
    const items = Object.freeze(["a", "b", "c", "d", "e", "f", "g"]);
    for (const seed of seeds(50)) {
      const out = shuffle(items, createRandom(seed));
      expect([...out].sort()).toEqual([...items]);
    }
    expect(items).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
  });

  it("is the same for the same seed", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(shuffle(items, createRandom("x"))).toEqual(shuffle(items, createRandom("x")));
    expect(shuffle(items, createRandom("x"))).not.toEqual(shuffle(items, createRandom("y")));
  });

  it("makes every order about equally likely", () => {
    const counts = new Map<string, number>();
    const r = createRandom("fairness");
    const n = 12_000;
    for (let i = 0; i < n; i++) {
      const key = shuffle(["a", "b", "c"], r).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // A broken Fisher–Yates (j drawn from the whole array) gives 4:5:5:4:5:4 odds, about ±11%.
    for (const c of counts.values()) expect(Math.abs(c - n / 6)).toBeLessThan(n / 6 * 0.06);
  });

  it("moves the first item away from the front in most shuffles", () => {
    const items = ["a", "b", "c", "d"];
    const r = createRandom("front");
    const stayed = Array.from({ length: 1000 }, () => shuffle(items, r)[0] === "a").filter(Boolean).length;
    expect(stayed).toBeGreaterThan(180);
    expect(stayed).toBeLessThan(320);
  });

  it("handles empty and one-item lists", () => {
    expect(shuffle([], createRandom("e"))).toEqual([]);
    expect(shuffle(["only"], createRandom("e"))).toEqual(["only"]);
  });
});

describe("option order", () => {
  it("is a permutation of the question's option ids", () => {
    const q = examQuestion("q", "d");
    for (const seed of seeds(30)) expect(shuffleOptions(q, createRandom(seed)).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("varies between seeds", () => {
    const q = examQuestion("q", "d");
    const orders = new Set(seeds(40).map((s) => shuffleOptions(q, createRandom(s)).join("")));
    expect(orders.size).toBeGreaterThan(10);
  });

  it("is empty for true/false questions, which keep True then False", () => {
    expect(shuffleOptions(examQuestion("tf", "d", { type: "truefalse" }), createRandom("s"))).toEqual([]);
  });

  it("puts options in the stored order, and options the order does not know after them", () => {
    const options = ["a", "b", "c", "d"].map((id) => ({ id }));
    expect(orderOptions(options, ["c", "a", "d", "b"]).map((o) => o.id)).toEqual(["c", "a", "d", "b"]);
    expect(orderOptions(options, ["d", "gone", "b"]).map((o) => o.id)).toEqual(["d", "b", "a", "c"]);
    expect(orderOptions(options, []).map((o) => o.id)).toEqual(["a", "b", "c", "d"]);
  });
});
