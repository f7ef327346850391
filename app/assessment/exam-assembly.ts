import type { Question, Track } from "~/content/types";
import { drawFromBlueprint, type Shortage } from "./blueprint-sampling";
import { deriveRandom } from "./random";
import { shuffleOptions } from "./shuffle";

export type AttemptItem = {
  questionId: string;
  /** Option ids in the order shown; empty for true/false questions. */
  optionOrder: string[];
};

export type AttemptPlan = {
  kind: "planned";
  seed: string;
  startedAt: Date;
  /** startedAt + the track's time limit: the server refuses answers and finalises after it. */
  deadline: Date;
  items: AttemptItem[];
  /** Drawn questions the learner saw in an earlier attempt (the bank had too few unseen ones). */
  repeatedQuestionIds: string[];
};

export type AssemblyResult = AttemptPlan | { kind: "bank-too-small"; shortages: Shortage[] };

export type AssemblyInput = {
  exam: Pick<Track["exam"], "timeLimitMinutes" | "blueprint">;
  /**
   * The questions of the content release the attempt is pinned to. Practice questions are ignored
   * (knowledge checks show their keys, so they must never be exam items).
   */
  questions: readonly Pick<Question, "id" | "domain" | "use" | "type" | "options">[];
  /** Question ids of the learner's earlier attempts at this track, the most recent attempt first. */
  previousAttempts: readonly (readonly string[])[];
  /** Stored with the attempt; the same seed and inputs give the same plan. */
  seed: string;
  startedAt: Date;
};

/**
 * Fixes an attempt when it starts: which questions (per domain, from the blueprint), in which order,
 * each question's option order, and the deadline. The caller stores the plan with the content release
 * it was drawn from, so grading later uses exactly these question versions.
 */
export function assembleAttempt(input: AssemblyInput): AssemblyResult {
  const { exam, seed, startedAt } = input;
  if (!Number.isInteger(exam.timeLimitMinutes) || exam.timeLimitMinutes <= 0) {
    throw new RangeError(`timeLimitMinutes must be a positive whole number, got ${exam.timeLimitMinutes}`);
  }
  const examQuestions = input.questions.filter((q) => q.use === "exam");
  const draw = drawFromBlueprint(examQuestions, exam.blueprint, input.previousAttempts, deriveRandom(seed, "draw"));
  if (draw.kind === "bank-too-small") return draw;

  const byId = new Map(examQuestions.map((q) => [q.id, q]));
  const items = draw.questionIds.map((questionId) => ({
    questionId,
    optionOrder: shuffleOptions(byId.get(questionId)!, deriveRandom(seed, "options", questionId)),
  }));
  return {
    kind: "planned",
    seed,
    startedAt,
    deadline: new Date(startedAt.getTime() + exam.timeLimitMinutes * 60_000),
    items,
    repeatedQuestionIds: draw.repeatedIds,
  };
}
