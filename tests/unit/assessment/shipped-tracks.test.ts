import { beforeAll, describe, expect, it } from "vitest";
import { assembleAttempt, type AttemptPlan } from "~/assessment/exam-assembly";
import { gradeExam } from "~/assessment/exam-grading";
import type { ContentBundle, Question, Track } from "~/content/types";
import { countBy, seeds } from "./fixtures";
import { shippedContent } from "../../helpers/shipped-content";

// The exam rules on the real content/: both shipped tracks, their banks and their settings.
let bundle: ContentBundle;
beforeAll(async () => {
  const result = await shippedContent();
  if (!result.bundle) throw new Error("content/ does not pass the check");
  bundle = result.bundle;
}, 30_000);

const startedAt = new Date("2026-04-01T00:00:00Z");
function plan(track: Track, seed: string, previousAttempts: string[][] = []): AttemptPlan {
  const result = assembleAttempt({ exam: track.exam, questions: bundle.questions, previousAttempts, seed, startedAt });
  if (result.kind !== "planned") throw new Error(`${track.id}: ${JSON.stringify(result)}`);
  return result;
}
const ids = (p: AttemptPlan) => p.items.map((i) => i.questionId);

describe("the shipped tracks", () => {
  it("assemble an exam of each track's blueprint and time limit, from exam questions only", () => {
    const byId = new Map(bundle.questions.map((q) => [q.id, q]));
    expect(bundle.tracks.map((t) => t.id).sort()).toEqual(["ai-practitioner", "ai-safe-use"]);
    for (const track of bundle.tracks) {
      for (const seed of seeds(20, track.id)) {
        const p = plan(track, seed);
        const drawn = ids(p).map((id) => byId.get(id)!);
        expect(drawn.every((q) => q.use === "exam")).toBe(true);
        expect(countBy(drawn, (q) => q.domain)).toEqual(Object.fromEntries(track.exam.blueprint.map((b) => [b.domain, b.count])));
        expect(p.deadline.getTime() - startedAt.getTime()).toBe(track.exam.timeLimitMinutes * 60_000);
      }
    }
  });

  it("give a retake no question of the previous attempt, and a third attempt only the repeats its banks force", () => {
    const held = (domain: string) => bundle.questions.filter((q) => q.use === "exam" && q.domain === domain).length;
    const domainOf = new Map(bundle.questions.map((q) => [q.id, q.domain]));
    for (const track of bundle.tracks) {
      const forced = Object.fromEntries(
        track.exam.blueprint.map((b) => [b.domain, Math.max(0, 3 * b.count - held(b.domain))]).filter(([, n]) => n !== 0),
      );
      for (const seed of seeds(30, track.id)) {
        const first = ids(plan(track, `${seed}/1`));
        const second = ids(plan(track, `${seed}/2`, [first]));
        expect(second.filter((id) => first.includes(id))).toEqual([]);
        const third = plan(track, `${seed}/3`, [second, first]);
        expect(countBy(third.repeatedQuestionIds, (id) => domainOf.get(id)!)).toEqual(forced);
      }
    }
  });

  it("pass a learner who answers every question right and fail one who misses the law and ethics minimum", () => {
    const track = bundle.tracks.find((t) => t.id === "ai-practitioner")!;
    const byId = new Map(bundle.questions.map((q) => [q.id, q]));
    const questions = ids(plan(track, "grade")).map((id) => byId.get(id)!) as Question[];
    const right = new Map(questions.map((q) => [q.id, q.answer]));
    expect(gradeExam(questions, right, track.exam)).toMatchObject({ correct: 66, total: 66, passed: true });

    // Everything right except law and ethics: 51/66 = 77% ≥ 70%, but 0% of the 15 law and ethics questions.
    const minimum = track.exam.minimums[0]!;
    const weak = new Map(questions.filter((q) => !minimum.domains.includes(q.domain)).map((q) => [q.id, q.answer]));
    const result = gradeExam(questions, weak, track.exam);
    expect(result).toMatchObject({ correct: 51, percent: 77, passMarkMet: true, passed: false });
    expect(result.studyDomains.sort()).toEqual([...minimum.domains].sort());
  });
});
