import { describe, expect, it } from "vitest";
import { gradeExam, meetsPercent, type GradableQuestion } from "~/assessment/exam-grading";
import { examQuestion } from "./fixtures";

/** `n` single-choice questions of `domain` keyed "b". */
const qs = (domain: string, n: number): GradableQuestion[] =>
  Array.from({ length: n }, (_, i) => examQuestion(`${domain}-${i + 1}`, domain));

/** Answers the first `right` questions of each listed domain correctly and the rest wrongly. */
function answers(questions: readonly GradableQuestion[], right: Record<string, number>): Map<string, string[]> {
  const seen: Record<string, number> = {};
  return new Map(
    questions.map((q) => {
      seen[q.domain] = (seen[q.domain] ?? 0) + 1;
      return [q.id, seen[q.domain]! <= (right[q.domain] ?? 0) ? ["b"] : ["a"]];
    }),
  );
}

const rules = { passPercent: 80, minimums: [] };

describe("grading one question type at a time", () => {
  it("grades single choice: only the keyed option", () => {
    const q = [examQuestion("s", "d")];
    expect(gradeExam(q, new Map([["s", ["b"]]]), rules).correct).toBe(1);
    expect(gradeExam(q, new Map([["s", ["c"]]]), rules).correct).toBe(0);
    expect(gradeExam(q, new Map([["s", ["b", "c"]]]), rules).items[0]).toMatchObject({ answer: null, correct: false });
  });

  it("grades multiple choice: exactly the keyed set, in any order, no partial credit", () => {
    const q = [examQuestion("m", "d", { type: "multiple", answer: ["a", "c"] })];
    const grade = (a: string[]) => gradeExam(q, new Map([["m", a]]), rules).correct;
    expect(grade(["c", "a"])).toBe(1);
    expect(grade(["a"])).toBe(0);
    expect(grade(["a", "b", "c"])).toBe(0);
    expect(grade(["a", "c", "c"])).toBe(1);
  });

  it("grades true/false", () => {
    const q = [examQuestion("t", "d", { type: "truefalse", answer: ["false"] })];
    expect(gradeExam(q, new Map([["t", ["false"]]]), rules).correct).toBe(1);
    expect(gradeExam(q, new Map([["t", ["true"]]]), rules).correct).toBe(0);
    expect(gradeExam(q, new Map([["t", ["true", "false"]]]), rules).correct).toBe(0);
  });

  it("counts an unanswered question as wrong", () => {
    const result = gradeExam(qs("d", 2), new Map([["d-1", ["b"]]]), rules);
    expect(result).toMatchObject({ correct: 1, total: 2 });
    expect(result.items[1]).toEqual({ questionId: "d-2", domain: "d", answer: null, correct: false });
  });

  it("counts an answer naming an unknown option as wrong, never as right", () => {
    const q = [examQuestion("s", "d", { answer: ["b"] })];
    expect(gradeExam(q, new Map([["s", ["b", "zz"]]]), rules).items[0]).toMatchObject({ answer: null, correct: false });
  });
});

describe("the pass mark", () => {
  const twenty = qs("d", 20);

  it("exactly the pass mark passes (16 of 20 at 80%)", () => {
    expect(gradeExam(twenty, answers(twenty, { d: 16 }), rules)).toMatchObject({ correct: 16, percent: 80, passMarkMet: true, passed: true });
  });

  it("one below the pass mark fails (15 of 20 at 80%)", () => {
    expect(gradeExam(twenty, answers(twenty, { d: 15 }), rules)).toMatchObject({ correct: 15, percent: 75, passed: false });
  });

  it("is compared in whole numbers, without floating-point edges", () => {
    // In floating point 29 / 50 * 100 is 57.99999999999999 and 57 / 100 * 100 is 56.99999999999999.
    expect(meetsPercent(29, 50, 58)).toBe(true);
    expect(meetsPercent(57, 100, 57)).toBe(true);
    expect(meetsPercent(28, 50, 57)).toBe(false);
    expect(meetsPercent(7, 10, 70)).toBe(true);
    // 56/60 = 93.33…%, a non-terminating fraction either side of the mark.
    expect(meetsPercent(56, 60, 93)).toBe(true);
    expect(meetsPercent(55, 60, 92)).toBe(false);
    expect(meetsPercent(0, 0, 0)).toBe(false);
  });

  it("shows a percentage rounded down, so a fail never displays the pass mark", () => {
    const sixty = qs("d", 60);
    // 47/60 = 78.33% and 48/60 = 80%; 239/300 = 79.67% would round up to 80.
    expect(gradeExam(sixty, answers(sixty, { d: 47 }), rules).percent).toBe(78);
    const many = qs("d", 300);
    expect(gradeExam(many, answers(many, { d: 239 }), rules)).toMatchObject({ percent: 79, passed: false });
  });
});

describe("per-domain minimums", () => {
  const questions = [...qs("ai", 10), ...qs("law", 5), ...qs("ethics", 5)];
  const withMinimum = { passPercent: 70, minimums: [{ domains: ["law", "ethics"], percent: 60 }] };

  it("breaks the score down per domain, in the order the domains appear", () => {
    const result = gradeExam(questions, answers(questions, { ai: 9, law: 3, ethics: 2 }), withMinimum);
    expect(result.domains).toEqual([
      { domain: "ai", correct: 9, total: 10, percent: 90 },
      { domain: "law", correct: 3, total: 5, percent: 60 },
      { domain: "ethics", correct: 2, total: 5, percent: 40 },
    ]);
  });

  it("a minimum is measured over its domains together", () => {
    // law + ethics: 6 of 10 = 60%, exactly the minimum, though ethics alone is 40%.
    const result = gradeExam(questions, answers(questions, { ai: 9, law: 4, ethics: 2 }), withMinimum);
    expect(result.minimums).toEqual([{ domains: ["law", "ethics"], requiredPercent: 60, correct: 6, total: 10, percent: 60, met: true }]);
    expect(result.passed).toBe(true);
  });

  it("a high overall score fails when a minimum is missed", () => {
    // 10 + 3 + 2 = 15 of 20 = 75% ≥ 70%, but law + ethics 5 of 10 = 50% < 60%.
    const result = gradeExam(questions, answers(questions, { ai: 10, law: 3, ethics: 2 }), withMinimum);
    expect(result).toMatchObject({ percent: 75, passMarkMet: true, passed: false });
    expect(result.minimums[0]).toMatchObject({ correct: 5, total: 10, met: false });
  });

  it("meeting every minimum is not enough without the overall pass mark", () => {
    const result = gradeExam(questions, answers(questions, { ai: 4, law: 5, ethics: 5 }), withMinimum);
    expect(result).toMatchObject({ percent: 70, passMarkMet: true, passed: true });
    const below = gradeExam(questions, answers(questions, { ai: 3, law: 5, ethics: 5 }), withMinimum);
    expect(below.minimums[0]!.met).toBe(true);
    expect(below).toMatchObject({ percent: 65, passMarkMet: false, passed: false });
  });

  it("a minimum whose domains had no questions in the attempt is not met (fail closed)", () => {
    const result = gradeExam(qs("ai", 10), answers(qs("ai", 10), { ai: 10 }), { passPercent: 70, minimums: [{ domains: ["law"], percent: 60 }] });
    expect(result.minimums[0]).toMatchObject({ total: 0, met: false });
    expect(result.passed).toBe(false);
  });

  it("names the domains to study, weakest first: below the pass mark or in a missed minimum", () => {
    // ai 9/10 fine; law 3/5 = 60% < 70% and in the missed minimum; ethics 2/5 = 40%.
    const failed = gradeExam(questions, answers(questions, { ai: 9, law: 3, ethics: 2 }), { ...withMinimum, minimums: [{ domains: ["law", "ethics"], percent: 70 }] });
    expect(failed.studyDomains).toEqual(["ethics", "law"]);
    // A domain at the pass mark is named only when its minimum was missed.
    const atMark = [...qs("ai", 10), ...qs("law", 10)];
    const rules2 = { passPercent: 70, minimums: [{ domains: ["ai"], percent: 90 }] };
    expect(gradeExam(atMark, answers(atMark, { ai: 8, law: 7 }), rules2).studyDomains).toEqual(["ai"]);
    expect(gradeExam(atMark, answers(atMark, { ai: 9, law: 7 }), rules2).studyDomains).toEqual([]);
  });
});
