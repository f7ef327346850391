import type { Question } from "~/content/types";

/** Normalises a submitted answer to sorted, unique option ids (or "true"/"false"). */
export function normalizeAnswer(question: Pick<Question, "type" | "options">, raw: readonly string[]): string[] | null {
  const values = [...new Set(raw.map((v) => v.trim()).filter(Boolean))].sort();
  if (question.type === "truefalse") {
    return values.length === 1 && (values[0] === "true" || values[0] === "false") ? values : null;
  }
  const known = new Set(question.options.map((o) => o.id));
  if (values.length === 0 || values.some((v) => !known.has(v))) return null;
  if (question.type === "single" && values.length !== 1) return null;
  return values;
}

/** Right only when exactly the keyed options are chosen: no partial credit. */
export function isCorrect(question: Pick<Question, "answer">, answer: readonly string[]): boolean {
  const key = [...question.answer].sort();
  const given = [...answer].sort();
  return key.length === given.length && key.every((k, i) => k === given[i]);
}
