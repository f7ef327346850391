import { describe, expect, it } from "vitest";
import { drawFromBlueprint, type BankItem } from "~/assessment/blueprint-sampling";
import { createRandom } from "~/assessment/random";
import { shuffle } from "~/assessment/shuffle";
import { bank, countBy, seeds } from "./fixtures";

const blueprint = [
  { domain: "law", count: 3 },
  { domain: "ethics", count: 2 },
  { domain: "ml", count: 4 },
];
const items: BankItem[] = bank({ law: 9, ethics: 5, ml: 12, other: 6 });
const domainOf = new Map(items.map((q) => [q.id, q.domain]));

function draw(seed: string, previous: string[][] = [], from: readonly BankItem[] = items, bp = blueprint) {
  const result = drawFromBlueprint(from, bp, previous, createRandom(seed));
  if (result.kind !== "drawn") throw new Error(`expected a draw, got ${JSON.stringify(result)}`);
  return result;
}

describe("blueprint sampling", () => {
  it("draws exactly the blueprint's count from each domain, for any seed", () => {
    for (const seed of seeds(300)) {
      const { questionIds } = draw(seed);
      expect(countBy(questionIds, (id) => domainOf.get(id)!)).toEqual({ law: 3, ethics: 2, ml: 4 });
    }
  });

  it("never draws a question twice, for any seed", () => {
    for (const seed of seeds(300)) {
      const { questionIds } = draw(seed);
      expect(new Set(questionIds).size).toBe(questionIds.length);
    }
  });

  it("never draws a question twice even when the bank lists it twice", () => {
    const doubled = [...bank({ law: 3 }), ...bank({ law: 3 })];
    for (const seed of seeds(50)) {
      const { questionIds } = draw(seed, [], doubled, [{ domain: "law", count: 3 }]);
      expect([...questionIds].sort()).toEqual(["law-01", "law-02", "law-03"]);
    }
  });

  it("draws the sum once when the blueprint names a domain twice", () => {
    const { questionIds } = draw("s", [], items, [
      { domain: "law", count: 2 },
      { domain: "law", count: 3 },
    ]);
    expect(questionIds).toHaveLength(5);
    expect(new Set(questionIds).size).toBe(5);
  });

  it("never draws from a domain the blueprint does not name, and skips a count of 0", () => {
    for (const seed of seeds(50)) {
      const { questionIds } = draw(seed, [], items, [...blueprint, { domain: "other", count: 0 }]);
      expect(questionIds.some((id) => domainOf.get(id) === "other")).toBe(false);
    }
  });

  it("gives the same draw for the same seed and bank", () => {
    expect(draw("audit-1")).toEqual(draw("audit-1"));
  });

  it("gives a different draw for a different seed", () => {
    const draws = new Set(seeds(20).map((s) => draw(s).questionIds.join(",")));
    expect(draws.size).toBe(20);
  });

  it("does not depend on the order the bank is listed in", () => {
    const reordered = shuffle(items, createRandom("reorder"));
    expect(reordered).not.toEqual(items);
    expect(draw("audit-2", [], reordered)).toEqual(draw("audit-2"));
  });

  it("can draw every question of a domain (no question is left out by the method)", () => {
    const drawn = new Set(seeds(200).flatMap((s) => draw(s).questionIds));
    expect([...drawn].sort()).toEqual(items.filter((q) => q.domain !== "other").map((q) => q.id).sort());
  });

  it("interleaves the domains in the final order", () => {
    const grouped = (ids: string[]) => {
      const domains = ids.map((id) => domainOf.get(id));
      return domains.every((d, i) => i === 0 || d === domains[i - 1] || !domains.slice(0, i - 1).includes(d));
    };
    const groupedDraws = seeds(100).filter((s) => grouped(draw(s).questionIds)).length;
    expect(groupedDraws).toBeLessThan(3);
  });

  it("avoids every question of the previous attempt when the bank allows, for any seed", () => {
    for (const seed of seeds(200)) {
      const first = draw(`${seed}/1`).questionIds;
      const second = draw(`${seed}/2`, [first]);
      expect(second.questionIds.filter((id) => first.includes(id))).toEqual([]);
      expect(second.repeatedIds).toEqual([]);
    }
  });

  it("a domain with too few unseen questions fills from the previous attempt, and only that domain", () => {
    // ethics holds 5 and the blueprint asks 2 per attempt: after two attempts 1 unseen question is left
    // (law and ml hold enough for three attempts).
    for (const seed of seeds(100)) {
      const first = draw(`${seed}/1`).questionIds;
      const second = draw(`${seed}/2`, [first]).questionIds;
      const third = draw(`${seed}/3`, [second, first]);
      const seenBefore = new Set([...first, ...second]);
      const repeated = third.questionIds.filter((id) => seenBefore.has(id));
      expect(repeated.map((id) => domainOf.get(id))).toEqual(["ethics"]);
      expect(third.repeatedIds).toEqual(repeated);
      // The one unseen ethics question is always among the two drawn.
      const unseenEthics = items.filter((q) => q.domain === "ethics" && !seenBefore.has(q.id)).map((q) => q.id);
      expect(third.questionIds).toEqual(expect.arrayContaining(unseenEthics));
    }
  });

  it("fills from the attempt seen longest ago before the most recent one", () => {
    const small = bank({ law: 4 });
    const bp = [{ domain: "law", count: 2 }];
    for (const seed of seeds(100)) {
      // law-01/02 were in the attempt before last, law-03/04 in the last one: redraw the older pair.
      const { questionIds, repeatedIds } = draw(seed, [["law-03", "law-04"], ["law-01", "law-02"]], small, bp);
      expect([...questionIds].sort()).toEqual(["law-01", "law-02"]);
      expect([...repeatedIds].sort()).toEqual(["law-01", "law-02"]);
    }
  });

  it("picks the unseen question randomly among several when only some are needed", () => {
    const small = bank({ law: 6 });
    const firsts = new Set(seeds(60).map((s) => draw(s, [["law-01"]], small, [{ domain: "law", count: 1 }]).questionIds[0]));
    expect(firsts.has("law-01")).toBe(false);
    expect(firsts.size).toBe(5);
  });

  it("refuses to draw when a domain holds fewer questions than asked, naming every short domain", () => {
    const result = drawFromBlueprint(bank({ law: 2, ethics: 5, ml: 1 }), blueprint, [], createRandom("s"));
    expect(result).toEqual({
      kind: "bank-too-small",
      shortages: [
        { domain: "law", needed: 3, available: 2 },
        { domain: "ml", needed: 4, available: 1 },
      ],
    });
  });

  it("counts a question listed twice in the bank once when checking the bank is large enough", () => {
    const result = drawFromBlueprint([...bank({ law: 2 }), ...bank({ law: 2 })], [{ domain: "law", count: 3 }], [], createRandom("s"));
    expect(result).toEqual({ kind: "bank-too-small", shortages: [{ domain: "law", needed: 3, available: 2 }] });
  });

  it("rejects a blueprint count that is not a whole number ≥ 0", () => {
    expect(() => drawFromBlueprint(items, [{ domain: "law", count: -1 }], [], createRandom("s"))).toThrow(RangeError);
    expect(() => drawFromBlueprint(items, [{ domain: "law", count: 1.5 }], [], createRandom("s"))).toThrow(RangeError);
  });
});
