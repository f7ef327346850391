import type { Question } from "~/content/types";

type ExamQuestion = Pick<Question, "id" | "domain" | "use" | "type" | "options" | "answer">;

/** An exam question of `domain`; single choice keyed "b" unless told otherwise. */
export function examQuestion(id: string, domain: string, overrides: Partial<ExamQuestion> = {}): ExamQuestion {
  const type = overrides.type ?? "single";
  return {
    id,
    domain,
    use: "exam",
    type,
    options: type === "truefalse" ? [] : ["a", "b", "c", "d"].map((o) => ({ id: o, text: { en: o, ja: o } })),
    answer: type === "truefalse" ? ["true"] : ["b"],
    ...overrides,
  };
}

/** `perDomain` questions in each domain, ids like "d1-03". */
export function bank(perDomain: Record<string, number>): ExamQuestion[] {
  return Object.entries(perDomain).flatMap(([domain, n]) =>
    Array.from({ length: n }, (_, i) => examQuestion(`${domain}-${String(i + 1).padStart(2, "0")}`, domain)),
  );
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

export const seeds = (n: number, prefix = "seed") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
