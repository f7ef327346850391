import { describe, expect, it } from "vitest";
import { displayedLength, keyCue, questionStats, type StatsQuestion } from "~/content/question-stats";
import { withFixture } from "./fixture";

let next = 0;
function single(options: [string, string][], answer: string, extra: Partial<StatsQuestion> = {}): StatsQuestion {
  next += 1;
  return {
    id: `q-${next}`,
    courseId: "bank",
    use: "exam",
    domain: "d1",
    type: "single",
    options: options.map(([en, ja], i) => ({ id: "abcde"[i]!, text: { en, ja } })),
    answer: [answer],
    ...extra,
  };
}
const tf = (extra: Partial<StatsQuestion> = {}): StatsQuestion => ({
  id: `tf-${++next}`,
  courseId: "bank",
  use: "exam",
  domain: "d1",
  type: "truefalse",
  options: [],
  answer: ["true"],
  ...extra,
});

describe("displayed length", () => {
  it("counts characters, not bytes or UTF-16 units, and spaces once", () => {
    expect(displayedLength("社外秘")).toBe(3);
    expect(displayedLength("  a   b ")).toBe(3);
    expect(displayedLength("𠮷野家")).toBe(3);
  });
});

describe("key cues", () => {
  it("sees a key that is the single longest option, per language", () => {
    const q = single([["Right one", "短い"], ["Short", "とても長い誤答です"], ["Tiny", "誤答"]], "a");
    expect(keyCue(q, "en")).toMatchObject({ longest: true, muchLonger: false });
    expect(keyCue(q, "ja")).toMatchObject({ longest: false, muchLonger: false });
  });

  it("does not count a tie as the key being the longest", () => {
    const q = single([["Same", "同じ"], ["Size", "長さ"], ["x", "x"]], "a");
    expect(keyCue(q, "en")!.longest).toBe(false);
  });

  it("calls a key much longer only when it is both 1.5 times and enough characters longer", () => {
    // 1.5× but only 5 characters more in English: not much longer; 5 more in Japanese is.
    const short = single([["0123456789abcde", "あいうえおかきくけこさしすせそ"], ["0123456789", "あいうえおかきくけこ"], ["x", "x"]], "a");
    expect(keyCue(short, "en")).toMatchObject({ longest: true, muchLonger: false, key: 15, distractor: 10 });
    expect(keyCue(short, "ja")).toMatchObject({ longest: true, muchLonger: true });
    // 20 characters more but only 1.4×: not much longer.
    const long = single([["x".repeat(70), "長"], ["y".repeat(50), "短い"], ["z", "z"]], "a");
    expect(keyCue(long, "en")).toMatchObject({ longest: true, muchLonger: false });
    const both = single([["x".repeat(30), "長"], ["y".repeat(20), "短い"], ["z", "z"]], "a");
    expect(keyCue(both, "en")!.muchLonger).toBe(true);
  });

  it("has no cue for true/false or multiple-choice items", () => {
    expect(keyCue(tf(), "en")).toBeNull();
  });
});

describe("question statistics", () => {
  const questions: StatsQuestion[] = [
    single([["The much longer right answer", "正解の選択肢"], ["No", "誤答の選択肢です"], ["Nope", "誤答"]], "a"),
    single([["Key", "正解"], ["Wrong one", "誤答"], ["Wrong two", "誤答2"]], "b"),
    single([["Short", "短い"], ["Also short", "短い正解です"], ["Key here!", "誤"]], "c", { use: "practice" }),
    single([["Wrong", "誤答"], ["Right answer", "正解"], ["Nope", "誤"]], "b", { domain: "d2" }),
    tf(),
    tf({ use: "practice" }),
    tf({ courseId: "other", domain: "d2" }),
  ];
  const stats = questionStats(questions, [
    { id: "t1", courses: ["bank"], exam: { blueprint: [{ domain: "d1", count: 2 }, { domain: "d2", count: 1 }] } },
    { id: "t2", courses: ["bank", "other"], exam: { blueprint: [{ domain: "d2", count: 1 }] } },
  ]);

  it("counts items per bank by type and use", () => {
    const bank = stats.banks.find((b) => b.courseId === "bank")!;
    expect(bank.counts).toMatchObject({ total: 6, exam: 4, practice: 2 });
    expect(bank.counts.single).toEqual({ exam: 3, practice: 1 });
    expect(bank.counts.truefalse).toEqual({ exam: 1, practice: 1 });
    expect(bank.counts.multiple).toEqual({ exam: 0, practice: 0 });
    expect(stats.banks.find((b) => b.courseId === "other")!.counts.total).toBe(1);
  });

  it("counts where the key stands and how often it is the longest, per language", () => {
    const bank = stats.banks.find((b) => b.courseId === "bank")!;
    expect(bank.single).toBe(4);
    expect(bank.answerPositions).toEqual([1, 2, 1]);
    // en: the first and the fourth keys are the longest; ja: none is.
    expect(bank.keyLongest).toEqual({ en: 2, ja: 0 });
    expect(bank.keyLongestShare).toEqual({ en: 0.5, ja: 0 });
    expect(bank.muchLonger.map((m) => [m.lang, m.key, m.distractor])).toEqual([["en", 28, 4]]);
  });

  it("sets each track's draw against the exam items its own courses hold", () => {
    const d1 = stats.domains.find((d) => d.domain === "d1")!;
    expect(d1.counts).toMatchObject({ total: 5, exam: 3, practice: 2 });
    expect(d1.draws).toEqual([{ trackId: "t1", count: 2, examItems: 3, ratio: 1.5 }]);
    const d2 = stats.domains.find((d) => d.domain === "d2")!;
    expect(d2.draws).toEqual([
      { trackId: "t1", count: 1, examItems: 1, ratio: 1 },
      { trackId: "t2", count: 1, examItems: 2, ratio: 2 },
    ]);
  });

  it("lists a blueprint domain that holds no questions at all", () => {
    const empty = questionStats([], [{ id: "t", courses: ["bank"], exam: { blueprint: [{ domain: "ghost", count: 1 }] } }]);
    expect(empty.domains).toEqual([expect.objectContaining({ domain: "ghost", draws: [{ trackId: "t", count: 1, examItems: 0, ratio: 0 }] })]);
  });
});

describe("content:check and the key cues", () => {
  const BANK = "courses/intro/questions.yaml";

  it("warns at a key much longer than every distractor, with the question id, in that language only", async () => {
    const result = await withFixture((f) =>
      f.replace(BANK, '{ en: "A placeholder", ja: "仮の表記" }', '{ en: "A placeholder that stands for the customer and their details", ja: "仮の表記" }'),
    );
    const [problem, ...rest] = result.withCode("key-much-longer");
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: "warning", file: BANK, line: result.lineOf(BANK, "A placeholder that") });
    expect(problem!.column).toBe(result.columnOf(BANK, '"A placeholder that'));
    expect(problem!.message).toContain("in-005");
    expect(problem!.message).toContain("English");
    expect(result.bundle).not.toBeNull();
  });

  it("warns when the key is the longest option in more than 35% of a bank's single-choice items", async () => {
    // in-001's English key is already the longest (1 of 3); making in-006's the longest too gives 2 of 3.
    const result = await withFixture((f) => f.replace(BANK, '{ en: "The next word", ja: "次の言葉" }', '{ en: "The next word of a text", ja: "次の言葉" }'));
    expect(result.withCode("key-longest-share").map((p) => [p.severity, p.file, p.message])).toEqual([
      ["warning", BANK, "In 2 of 3 single-choice questions (67%) the English key is the longest option; the limit is 35%"],
    ]);
    expect(result.bundle).not.toBeNull();
  });
});
