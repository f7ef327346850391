import { describe, expect, it } from "vitest";
import {
  addTallies,
  analyseItem,
  emptyTally,
  facility,
  pointBiserial,
  sortRows,
  twoProportionZ,
  type ItemInput,
  type SortableRow,
  type Tally,
} from "~/assessment/item-analysis";

/** A tally built from answers as a person would list them: right or wrong, rest share, options picked. */
function tally(answers: { x: 0 | 1; y?: number; picked?: string[] }[]): Tally {
  const t = emptyTally();
  for (const a of answers) {
    const y = a.y ?? 0;
    t.n += 1;
    t.correct += a.x;
    t.sumRest += y;
    t.sumRestSquared += y * y;
    t.sumCorrectRest += a.x * y;
    if (!a.picked || a.picked.length === 0) t.omitted += 1;
    for (const id of a.picked ?? []) t.options[id] = (t.options[id] ?? 0) + 1;
  }
  return t;
}

/** n answers of which `right` are right, picking the key or (when wrong) the given distractor. */
function simple(n: number, right: number, wrong = "c"): Tally {
  return tally(Array.from({ length: n }, (_, i) => (i < right ? { x: 1 as const, picked: ["b"] } : { x: 0 as const, picked: [wrong] })));
}

const item = (byLanguage: Record<string, Tally>, overrides: Partial<ItemInput> = {}): ItemInput => ({
  questionId: "q1",
  use: "exam",
  optionIds: ["a", "b", "c", "d"],
  answer: ["b"],
  byLanguage,
  ...overrides,
});

describe("facility", () => {
  it("is the share of answers that were right, and undefined without answers", () => {
    expect(facility({ n: 8, correct: 6 })).toBe(0.75);
    expect(facility({ n: 0, correct: 0 })).toBeNull();
  });
});

describe("point-biserial discrimination", () => {
  it("matches the value worked out by hand from group means", () => {
    // Right: rest 0.8, 0.6, 0.6 (mean 2/3); wrong: 0.4, 0.2 (mean 0.3). Rest mean 0.52, population
    // sd √0.0416; p = 0.6. r = (2/3 − 0.3) / √0.0416 · √(0.6·0.4) = 0.88069…
    const t = tally([
      { x: 1, y: 0.8 },
      { x: 1, y: 0.6 },
      { x: 0, y: 0.4 },
      { x: 1, y: 0.6 },
      { x: 0, y: 0.2 },
    ]);
    expect(pointBiserial(t)).toBeCloseTo(0.88069, 4);
  });

  it("is negative when the people who got the item right did worse on the rest", () => {
    // Right: 0.2, 0.4 (mean 0.3); wrong: 0.8, 0.6 (mean 0.7); sd √0.05; p = q = 0.5 → −0.4/√0.05·0.5
    const t = tally([
      { x: 1, y: 0.2 },
      { x: 0, y: 0.8 },
      { x: 1, y: 0.4 },
      { x: 0, y: 0.6 },
    ]);
    expect(pointBiserial(t)).toBeCloseTo(-0.89443, 4);
  });

  it("is undefined when everyone got it right, when all rest scores are equal, or with one answer", () => {
    expect(pointBiserial(tally([{ x: 1, y: 0.5 }, { x: 1, y: 0.7 }]))).toBeNull();
    expect(pointBiserial(tally([{ x: 1, y: 0.5 }, { x: 0, y: 0.5 }]))).toBeNull();
    expect(pointBiserial(tally([{ x: 1, y: 0.5 }]))).toBeNull();
  });

  it("adds up per-language tallies to the tally of all answers", () => {
    const ja = tally([{ x: 1, y: 0.8, picked: ["b"] }, { x: 0, y: 0.4, picked: ["a"] }]);
    const en = tally([{ x: 1, y: 0.6, picked: ["b"] }, { x: 0, y: 0.2 }, { x: 1, y: 0.6, picked: ["b"] }]);
    const sum = addTallies(ja, en);
    expect(sum).toMatchObject({ n: 5, correct: 3, omitted: 1, options: { a: 1, b: 3 } });
    expect(sum.sumRest).toBeCloseTo(2.6);
    expect(sum.sumRestSquared).toBeCloseTo(1.56);
    expect(sum.sumCorrectRest).toBeCloseTo(2.0);
    expect(pointBiserial(sum)).toBeCloseTo(0.88069, 4);
  });
});

describe("two-proportion z", () => {
  it("matches the pooled z worked out by hand", () => {
    // 32/40 against 20/40: pooled 0.65, se √(0.65·0.35·(1/40+1/40)) = 0.106654; z = 0.3 / se = 2.8128
    expect(twoProportionZ({ n: 40, correct: 32 }, { n: 40, correct: 20 })).toBeCloseTo(2.8128, 3);
    expect(twoProportionZ({ n: 0, correct: 0 }, { n: 40, correct: 20 })).toBeNull();
    expect(twoProportionZ({ n: 10, correct: 10 }, { n: 10, correct: 10 })).toBeNull();
  });
});

describe("item analysis", () => {
  it("gives option shares over all answers and per language, with omitted answers counted but picking nothing", () => {
    const ja = tally([{ x: 1, picked: ["b"] }, { x: 0, picked: ["a"] }, { x: 0 }]);
    const en = tally([{ x: 1, picked: ["b"] }]);
    const result = analyseItem(item({ ja, en }, { use: "practice" }));
    expect(result).toMatchObject({ n: 4, facility: 0.5, discrimination: null, omitted: 1 });
    expect(result.byLanguage.ja).toMatchObject({ n: 3, facility: 1 / 3, omitted: 1 });
    expect(result.byLanguage.en).toMatchObject({ n: 1, facility: 1, omitted: 0 });
    expect(result.options.map((o) => [o.id, o.isKey, o.count, o.share])).toEqual([
      ["a", false, 1, 0.25],
      ["b", true, 2, 0.5],
      ["c", false, 0, 0],
      ["d", false, 0, 0],
    ]);
    expect(result.options[0]!.byLanguage).toEqual({ ja: { count: 1, share: 1 / 3 }, en: { count: 0, share: 0 } });
    expect(result.languageGap).toBeCloseTo(1 / 3 - 1);
  });

  it("counts a multiple-choice answer towards each option it picked", () => {
    const t = tally([{ x: 1, picked: ["a", "c"] }, { x: 0, picked: ["a", "b"] }]);
    const result = analyseItem(item({ en: t }, { answer: ["a", "c"] }));
    expect(result.options.map((o) => [o.id, o.isKey, o.share])).toEqual([
      ["a", true, 1],
      ["b", false, 0.5],
      ["c", true, 0.5],
      ["d", false, 0],
    ]);
  });

  it("gives knowledge checks no discrimination even with rest sums", () => {
    const t = tally([{ x: 1, y: 0.9, picked: ["b"] }, { x: 0, y: 0.1, picked: ["a"] }]);
    expect(analyseItem(item({ ja: t }, { use: "practice" })).discrimination).toBeNull();
    expect(analyseItem(item({ ja: t })).discrimination).toBeCloseTo(1);
  });

  it("keeps answers of an unknown language in the totals only", () => {
    const result = analyseItem(item({ ja: simple(2, 1), unknown: simple(2, 2) }));
    expect(result).toMatchObject({ n: 4, facility: 0.75 });
    expect(result.byLanguage.en.n).toBe(0);
    expect(result.languageGap).toBeNull();
  });

  it("has no figures and no flags without answers", () => {
    const result = analyseItem(item({}));
    expect(result).toMatchObject({ n: 0, facility: null, discrimination: null, languageGap: null, flags: [], unusedDistractors: [] });
    expect(result.options.every((o) => o.count === 0 && o.share === null)).toBe(true);
  });
});

describe("flags", () => {
  it("flags a language gap of 0.3 over 40 answers in each language (z 2.81)", () => {
    const result = analyseItem(item({ ja: simple(40, 32, "a"), en: simple(40, 20, "c") }, { optionIds: ["a", "b", "c"] }));
    expect(result.languageGap).toBeCloseTo(0.3);
    expect(result.flags).toEqual(["language-gap"]);
  });

  it("does not flag a gap of exactly 0.2 over 30 answers each: z 1.58 could be chance", () => {
    const result = analyseItem(item({ ja: simple(30, 21, "a"), en: simple(30, 15, "c") }, { optionIds: ["a", "b", "c"] }));
    expect(result.languageGap).toBeCloseTo(0.2);
    expect(result.flags).not.toContain("language-gap");
  });

  it("does flag a gap of exactly 0.2 when it is well beyond chance", () => {
    const result = analyseItem(item({ ja: simple(200, 180, "a"), en: simple(200, 140, "c") }, { optionIds: ["a", "b", "c"] }));
    expect(result.languageGap).toBeCloseTo(0.2);
    expect(result.flags).toContain("language-gap");
  });

  it("does not flag a language gap while one language has fewer than 30 answers", () => {
    const result = analyseItem(item({ ja: simple(29, 29), en: simple(100, 10) }));
    expect(result.flags).not.toContain("language-gap");
    expect(analyseItem(item({ ja: simple(30, 30), en: simple(100, 10) })).flags).toContain("language-gap");
  });

  it("flags negative discrimination from 50 exam answers, not before", () => {
    const answers = (n: number) =>
      tally(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? { x: 1 as const, y: 0.3, picked: ["b"] } : { x: 0 as const, y: 0.7, picked: [["a", "c", "d"][i % 3]!] })));
    expect(analyseItem(item({ ja: answers(49) })).flags).not.toContain("negative-discrimination");
    const flagged = analyseItem(item({ ja: answers(50) }));
    expect(flagged.discrimination).toBeCloseTo(-1);
    expect(flagged.flags).toContain("negative-discrimination");
  });

  it("flags wrong options nobody picked from 50 answers, naming them; the key never counts", () => {
    expect(analyseItem(item({ en: simple(49, 40, "c") })).unusedDistractors).toEqual([]);
    const result = analyseItem(item({ en: simple(50, 40, "c") }));
    expect(result.unusedDistractors).toEqual(["a", "d"]);
    expect(result.flags).toEqual(["unused-distractor"]);
    // Everyone right: every distractor unused, the key is not.
    expect(analyseItem(item({ en: simple(50, 50) })).unusedDistractors).toEqual(["a", "c", "d"]);
  });

  it("uses true and false as the options of a true/false question", () => {
    const t = tally(Array.from({ length: 60 }, () => ({ x: 1 as const, picked: ["true"] })));
    const result = analyseItem(item({ ja: t }, { optionIds: ["true", "false"], answer: ["true"] }));
    expect(result.unusedDistractors).toEqual(["false"]);
  });
});

describe("sorting", () => {
  const row = (id: string, n: number, f: number | null, flags: number, course = "c1"): SortableRow => ({
    id,
    course,
    domain: "d",
    analysis: {
      n,
      facility: f,
      discrimination: null,
      languageGap: null,
      flags: Array.from({ length: flags }, () => "unused-distractor" as const),
      byLanguage: { ja: { n: 0, facility: null, discrimination: null, omitted: 0 }, en: { n: 0, facility: null, discrimination: null, omitted: 0 } },
    },
  });
  const rows = [row("q10", 5, 0.5, 0), row("q2", 0, null, 0), row("q1", 9, 0.9, 2), row("q3", 5, 0.5, 1)];

  it("sorts by a figure either way with rows that have none last, ties by question id", () => {
    expect(sortRows(rows, "facility", "asc").map((r) => r.id)).toEqual(["q3", "q10", "q1", "q2"]);
    expect(sortRows(rows, "facility", "desc").map((r) => r.id)).toEqual(["q1", "q3", "q10", "q2"]);
    expect(sortRows(rows, "attempts", "desc").map((r) => r.id)).toEqual(["q1", "q3", "q10", "q2"]);
    expect(sortRows(rows, "flags", "desc").map((r) => r.id)).toEqual(["q1", "q3", "q2", "q10"]);
  });

  it("sorts ids in natural order (q2 before q10)", () => {
    expect(sortRows(rows, "id", "asc").map((r) => r.id)).toEqual(["q1", "q2", "q3", "q10"]);
    expect(sortRows(rows, "id", "desc").map((r) => r.id)).toEqual(["q10", "q3", "q2", "q1"]);
  });
});
