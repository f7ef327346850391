import type { Question, Track } from "~/content/types";
import { isCorrect, normalizeAnswer } from "./grading";

export type GradableQuestion = Pick<Question, "id" | "domain" | "type" | "options" | "answer">;

/** Saved answers by question id, as stored (raw option ids, "true"/"false"). */
export type SavedAnswers = ReadonlyMap<string, readonly string[]>;

export type ScoreLine = {
  correct: number;
  total: number;
  /** Rounded down, for display: a score shown as 80% is never below 80%. */
  percent: number;
};

export type DomainScore = ScoreLine & { domain: string };

export type MinimumResult = ScoreLine & {
  domains: string[];
  requiredPercent: number;
  met: boolean;
};

export type GradedItem = {
  questionId: string;
  domain: string;
  /** The valid answer that was graded, or null when unanswered or invalid (graded wrong). */
  answer: string[] | null;
  correct: boolean;
};

export type ExamResult = ScoreLine & {
  passPercent: number;
  passMarkMet: boolean;
  /** The overall pass mark met and every minimum met. */
  passed: boolean;
  /** Per domain, in the order the domains first appear in the attempt. */
  domains: DomainScore[];
  minimums: MinimumResult[];
  /** Domains to study: below the pass mark on their own or part of a minimum that was missed; weakest first. */
  studyDomains: string[];
  items: GradedItem[];
};

/**
 * Whether `correct` out of `total` reaches `percent`, in whole numbers (correct·100 ≥ percent·total),
 * so 80% of 20 is exactly 16 with no floating-point edge. An empty set never reaches a mark.
 */
export function meetsPercent(correct: number, total: number, percent: number): boolean {
  return total > 0 && correct * 100 >= percent * total;
}

function scoreLine(correct: number, total: number): ScoreLine {
  return { correct, total, percent: total === 0 ? 0 : Math.floor((correct * 100) / total) };
}

/**
 * Grades an attempt from its pinned questions and saved answers. Unanswered or invalid answers count
 * as wrong; there is no partial credit. A minimum whose domains had no questions in the attempt is
 * not met (fail closed: the content checker makes this impossible for published tracks).
 */
export function gradeExam(
  questions: readonly GradableQuestion[],
  answers: SavedAnswers,
  rules: Pick<Track["exam"], "passPercent" | "minimums">,
): ExamResult {
  const items: GradedItem[] = questions.map((q) => {
    const raw = answers.get(q.id);
    const answer = raw ? normalizeAnswer(q, raw) : null;
    return { questionId: q.id, domain: q.domain, answer, correct: answer !== null && isCorrect(q, answer) };
  });

  const tally = new Map<string, { correct: number; total: number }>();
  for (const item of items) {
    const t = tally.get(item.domain) ?? { correct: 0, total: 0 };
    t.total += 1;
    if (item.correct) t.correct += 1;
    tally.set(item.domain, t);
  }
  const domains: DomainScore[] = [...tally].map(([domain, t]) => ({ domain, ...scoreLine(t.correct, t.total) }));

  const minimums: MinimumResult[] = rules.minimums.map((m) => {
    const covered = domains.filter((d) => m.domains.includes(d.domain));
    const correct = covered.reduce((n, d) => n + d.correct, 0);
    const total = covered.reduce((n, d) => n + d.total, 0);
    return {
      domains: [...m.domains],
      requiredPercent: m.percent,
      ...scoreLine(correct, total),
      met: meetsPercent(correct, total, m.percent),
    };
  });

  const correct = items.filter((i) => i.correct).length;
  const passMarkMet = meetsPercent(correct, items.length, rules.passPercent);
  const passed = passMarkMet && minimums.every((m) => m.met);

  const missedMinimumDomains = new Set(minimums.filter((m) => !m.met).flatMap((m) => m.domains));
  const studyDomains = domains
    .filter((d) => !meetsPercent(d.correct, d.total, rules.passPercent) || missedMinimumDomains.has(d.domain))
    // Weakest first, compared exactly (a/b < c/d ⇔ a·d < c·b); ties keep the attempt's order.
    .sort((a, b) => a.correct * b.total - b.correct * a.total)
    .map((d) => d.domain);

  return {
    ...scoreLine(correct, items.length),
    passPercent: rules.passPercent,
    passMarkMet,
    passed,
    domains,
    minimums,
    studyDomains,
    items,
  };
}
