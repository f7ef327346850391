import type { Question } from "~/content/types";
import type { Random } from "./random";

/** Fisher–Yates (Durstenfeld): every order equally likely for a uniform `random`. Returns a new array. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The order in which a question's options are shown in an attempt, as option ids.
 * True/false questions have no options and keep their fixed True, False order: an empty list.
 */
export function shuffleOptions(question: Pick<Question, "type" | "options">, random: Random): string[] {
  if (question.type === "truefalse") return [];
  return shuffle(
    question.options.map((o) => o.id),
    random,
  );
}

/**
 * Puts a question's options in a stored order. Ids the order does not know (it was made from another
 * version) keep their authored place after the known ones, so nothing is ever hidden from a learner.
 */
export function orderOptions<O extends { id: string }>(options: readonly O[], order: readonly string[]): O[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  const known = options.filter((o) => rank.has(o.id)).sort((x, y) => rank.get(x.id)! - rank.get(y.id)!);
  return [...known, ...options.filter((o) => !rank.has(o.id))];
}
