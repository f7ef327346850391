import { describe, expect, it } from "vitest";
import { assembleAttempt, type AssemblyInput, type AttemptPlan } from "~/assessment/exam-assembly";
import { bank, examQuestion, seeds } from "./fixtures";

const exam = {
  timeLimitMinutes: 25,
  blueprint: [
    { domain: "data", count: 4 },
    { domain: "tools", count: 2 },
  ],
};
const questions = [
  ...bank({ data: 8, tools: 3 }),
  examQuestion("tf-1", "tools", { type: "truefalse" }),
  examQuestion("practice-1", "tools", { use: "practice" }),
  examQuestion("practice-2", "data", { use: "practice" }),
];
const startedAt = new Date("2026-04-01T00:30:00.000Z");
const base: AssemblyInput = { exam, questions, previousAttempts: [], seed: "attempt-seed", startedAt };

function plan(overrides: Partial<AssemblyInput> = {}): AttemptPlan {
  const result = assembleAttempt({ ...base, ...overrides });
  if (result.kind !== "planned") throw new Error(`expected a plan, got ${JSON.stringify(result)}`);
  return result;
}

describe("exam assembly", () => {
  it("sets the deadline to the start plus the track's time limit", () => {
    expect(plan().deadline.toISOString()).toBe("2026-04-01T00:55:00.000Z");
    expect(plan({ exam: { ...exam, timeLimitMinutes: 60 } }).deadline.toISOString()).toBe("2026-04-01T01:30:00.000Z");
  });

  it("draws the blueprint's number of questions and keeps the seed and start", () => {
    const p = plan();
    expect(p.items).toHaveLength(6);
    expect(p.seed).toBe("attempt-seed");
    expect(p.startedAt).toBe(startedAt);
  });

  it("never draws a practice question, whose key a learner may have seen in a lesson", () => {
    for (const seed of seeds(200)) {
      const ids = plan({ seed }).items.map((i) => i.questionId);
      expect(ids.filter((id) => id.startsWith("practice"))).toEqual([]);
    }
  });

  it("gives each drawn question a shuffled order of its own options, and none to true/false", () => {
    let shuffled = 0;
    for (const seed of seeds(100)) {
      for (const item of plan({ seed }).items) {
        if (item.questionId === "tf-1") {
          expect(item.optionOrder).toEqual([]);
        } else {
          expect([...item.optionOrder].sort()).toEqual(["a", "b", "c", "d"]);
          if (item.optionOrder.join("") !== "abcd") shuffled++;
        }
      }
    }
    expect(shuffled).toBeGreaterThan(400);
  });

  it("reproduces the same plan from the same seed and inputs", () => {
    expect(plan({ seed: "audit" })).toEqual(plan({ seed: "audit" }));
    expect(plan({ seed: "audit" }).items).not.toEqual(plan({ seed: "other" }).items);
  });

  it("keeps a question's option order when other questions of the bank change", () => {
    const a = plan({ seed: "s" });
    const b = plan({ seed: "s", questions: [...questions, ...bank({ extra: 5 })] });
    expect(b.items).toEqual(a.items);
    const grown = plan({ seed: "s", questions: [...questions, examQuestion("data-99", "data")] });
    for (const item of grown.items) {
      const before = a.items.find((i) => i.questionId === item.questionId);
      if (before) expect(item.optionOrder).toEqual(before.optionOrder);
    }
  });

  it("avoids the previous attempt's questions and reports the ones it had to repeat", () => {
    for (const seed of seeds(100)) {
      const first = plan({ seed: `${seed}/1` }).items.map((i) => i.questionId);
      const second = plan({ seed: `${seed}/2`, previousAttempts: [first] });
      const again = second.items.map((i) => i.questionId).filter((id) => first.includes(id));
      // data (8 for 4) allows a fresh set; tools holds 4 for 2, so it does too.
      expect(again).toEqual([]);
      expect(second.repeatedQuestionIds).toEqual([]);
    }
    const first = plan({ seed: "x" }).items.map((i) => i.questionId);
    const third = plan({ seed: "y", previousAttempts: [first, plan({ seed: "z", previousAttempts: [first] }).items.map((i) => i.questionId)] });
    expect(third.repeatedQuestionIds.length).toBeGreaterThan(0);
  });

  it("reports a bank too small for the blueprint instead of a short exam", () => {
    const result = assembleAttempt({ ...base, exam: { ...exam, blueprint: [{ domain: "tools", count: 5 }] } });
    // 4 exam questions in tools: the practice question does not count.
    expect(result).toEqual({ kind: "bank-too-small", shortages: [{ domain: "tools", needed: 5, available: 4 }] });
  });

  it("refuses a time limit that is not a positive whole number of minutes", () => {
    expect(() => assembleAttempt({ ...base, exam: { ...exam, timeLimitMinutes: 0 } })).toThrow(RangeError);
  });
});
