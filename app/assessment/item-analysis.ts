/**
 * Item analysis: how each question behaved with the people who answered it. Pure — the figures come
 * from additive tallies the database sums up (app/assessment/item-analysis.server.ts), so a question
 * answered a million times costs the same here as one answered once.
 *
 * Definitions (also shown on /authoring/items and in docs/item-analysis.md):
 * - Exam items count the answers of finished attempts (submitted or timed out); an unanswered item
 *   counts as an answer that is wrong ("omitted"). Knowledge checks count first tries only (a
 *   person's first answer to the question), since later tries follow the feedback.
 * - Facility: the share of answers that were correct.
 * - Discrimination (exams only): the point-biserial correlation between the item being right (1/0)
 *   and the rest of the attempt — the share of the attempt's other questions answered right, so
 *   attempts of tracks with different lengths compare. Knowledge checks have no total score, so they
 *   have no discrimination.
 * - Option choices: how many answers included each option (a multiple-choice answer counts towards
 *   each option it picked, so shares may add up to more than 100%).
 * - The language of an answer is the language the question was shown in when it was answered.
 */
import type { Language } from "~/i18n/languages";

export const LANGUAGES: readonly Language[] = ["ja", "en"];

/**
 * Sums over a set of answers, all additive (so per-language tallies add up to the whole).
 * `x` is 1 when the answer was right, `y` the rest-of-attempt share; the y sums are 0 for knowledge checks.
 */
export type Tally = {
  n: number;
  correct: number;
  /** Exam items left unanswered (graded wrong). */
  omitted: number;
  /** Σy, Σy², Σxy over the answers, for the point-biserial correlation. */
  sumRest: number;
  sumRestSquared: number;
  sumCorrectRest: number;
  /** Answers that included each option id. */
  options: Record<string, number>;
};

export const emptyTally = (): Tally => ({ n: 0, correct: 0, omitted: 0, sumRest: 0, sumRestSquared: 0, sumCorrectRest: 0, options: {} });

export function addTallies(a: Tally, b: Tally): Tally {
  const options = { ...a.options };
  for (const [id, count] of Object.entries(b.options)) options[id] = (options[id] ?? 0) + count;
  return {
    n: a.n + b.n,
    correct: a.correct + b.correct,
    omitted: a.omitted + b.omitted,
    sumRest: a.sumRest + b.sumRest,
    sumRestSquared: a.sumRestSquared + b.sumRestSquared,
    sumCorrectRest: a.sumCorrectRest + b.sumCorrectRest,
    options,
  };
}

/** Share of answers that were right; null without answers. */
export function facility(t: Pick<Tally, "n" | "correct">): number | null {
  return t.n > 0 ? t.correct / t.n : null;
}

/**
 * The point-biserial correlation of correctness (x ∈ {0,1}) with the rest score y, from sums:
 * r = (nΣxy − ΣxΣy) / √((nΣx − (Σx)²)(nΣy² − (Σy)²))   (Σx² = Σx because x is 0 or 1).
 * Null when it is undefined: fewer than two answers, everyone right or everyone wrong, or every rest
 * score the same.
 */
export function pointBiserial(t: Tally): number | null {
  const { n, correct: sx, sumRest: sy, sumRestSquared: syy, sumCorrectRest: sxy } = t;
  if (n < 2) return null;
  const varX = n * sx - sx * sx;
  const varY = n * syy - sy * sy;
  // Rounding in the database's float sums can leave a hair above zero where the true value is zero.
  if (varX <= 0 || varY <= 1e-9 * Math.max(1, n * syy)) return null;
  const r = (n * sxy - sx * sy) / Math.sqrt(varX * varY);
  return Math.max(-1, Math.min(1, r));
}

/** Thresholds of the flags: small samples never flag. */
export const FLAG_RULES = {
  /**
   * Facility differs between Japanese and English by at least `minDifference`, with at least
   * `minAnswersPerLanguage` answers in each, and the difference is unlikely to be chance
   * (two-proportion z-test, |z| ≥ `minZ`, about 5% two-sided).
   */
  languageGap: { minDifference: 0.2, minAnswersPerLanguage: 30, minZ: 1.96 },
  /** Discrimination below zero over at least this many exam answers. */
  negativeDiscrimination: { minAnswers: 50 },
  /** A wrong option nobody picked over at least this many answers. */
  unusedDistractor: { minAnswers: 50 },
} as const;

export type FlagRules = {
  languageGap: { minDifference: number; minAnswersPerLanguage: number; minZ: number };
  negativeDiscrimination: { minAnswers: number };
  unusedDistractor: { minAnswers: number };
};

export const FLAGS = ["language-gap", "negative-discrimination", "unused-distractor"] as const;
export type Flag = (typeof FLAGS)[number];

/** The z statistic of the difference between two proportions (pooled); null when undefined. */
export function twoProportionZ(a: Pick<Tally, "n" | "correct">, b: Pick<Tally, "n" | "correct">): number | null {
  if (a.n === 0 || b.n === 0) return null;
  const pooled = (a.correct + b.correct) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (se === 0) return null;
  return (a.correct / a.n - b.correct / b.n) / se;
}

export type ItemInput = {
  questionId: string;
  /** Exam items have a rest score (discrimination); knowledge checks do not. */
  use: "exam" | "practice";
  /** Option ids in the bank's order ("true"/"false" for a true/false question). */
  optionIds: readonly string[];
  /** The keyed option ids. */
  answer: readonly string[];
  /** Tallies by language of answer; answers of an unknown language may sit under another key. */
  byLanguage: Readonly<Record<string, Tally>>;
};

export type Figures = { n: number; facility: number | null; discrimination: number | null };

export type OptionFigures = {
  id: string;
  isKey: boolean;
  count: number;
  share: number | null;
  byLanguage: Record<Language, { count: number; share: number | null }>;
};

export type ItemAnalysis = Figures & {
  questionId: string;
  use: "exam" | "practice";
  omitted: number;
  byLanguage: Record<Language, Figures & { omitted: number }>;
  /** Japanese facility minus English facility, when both have answers. */
  languageGap: number | null;
  options: OptionFigures[];
  /** Wrong options nobody picked (only reported once the item has enough answers). */
  unusedDistractors: string[];
  flags: Flag[];
};

function figures(t: Tally, use: ItemInput["use"]): Figures {
  return { n: t.n, facility: facility(t), discrimination: use === "exam" ? pointBiserial(t) : null };
}

export function analyseItem(input: ItemInput, rules: FlagRules = FLAG_RULES): ItemAnalysis {
  const total = Object.values(input.byLanguage).reduce(addTallies, emptyTally());
  const lang = (l: Language) => input.byLanguage[l] ?? emptyTally();
  const ja = lang("ja");
  const en = lang("en");
  const key = new Set(input.answer);
  const share = (count: number, n: number) => (n > 0 ? count / n : null);
  const options: OptionFigures[] = input.optionIds.map((id) => ({
    id,
    isKey: key.has(id),
    count: total.options[id] ?? 0,
    share: share(total.options[id] ?? 0, total.n),
    byLanguage: {
      ja: { count: ja.options[id] ?? 0, share: share(ja.options[id] ?? 0, ja.n) },
      en: { count: en.options[id] ?? 0, share: share(en.options[id] ?? 0, en.n) },
    },
  }));
  const all = figures(total, input.use);
  const fJa = facility(ja);
  const fEn = facility(en);
  const languageGap = fJa !== null && fEn !== null ? fJa - fEn : null;

  const flags: Flag[] = [];
  const gapRule = rules.languageGap;
  if (
    languageGap !== null &&
    ja.n >= gapRule.minAnswersPerLanguage &&
    en.n >= gapRule.minAnswersPerLanguage &&
    Math.abs(languageGap) >= gapRule.minDifference - 1e-12 &&
    Math.abs(twoProportionZ(ja, en) ?? 0) >= gapRule.minZ
  ) {
    flags.push("language-gap");
  }
  if (all.discrimination !== null && all.discrimination < 0 && total.n >= rules.negativeDiscrimination.minAnswers) {
    flags.push("negative-discrimination");
  }
  const unusedDistractors = total.n >= rules.unusedDistractor.minAnswers ? options.filter((o) => !o.isKey && o.count === 0).map((o) => o.id) : [];
  if (unusedDistractors.length > 0) flags.push("unused-distractor");

  return {
    questionId: input.questionId,
    use: input.use,
    ...all,
    omitted: total.omitted,
    byLanguage: {
      ja: { ...figures(ja, input.use), omitted: ja.omitted },
      en: { ...figures(en, input.use), omitted: en.omitted },
    },
    languageGap,
    options,
    unusedDistractors,
    flags,
  };
}

// ---------------------------------------------------------------------------------------------------
// Sorting the table

export const SORT_KEYS = ["id", "course", "domain", "attempts", "facility", "discrimination", "facilityJa", "facilityEn", "gap", "flags"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

export type SortableRow = {
  id: string;
  course: string;
  domain: string;
  analysis: Pick<ItemAnalysis, "n" | "facility" | "discrimination" | "languageGap" | "flags" | "byLanguage">;
};

function sortValue(row: SortableRow, key: SortKey): string | number | null {
  const a = row.analysis;
  switch (key) {
    case "id":
      return row.id;
    case "course":
      return row.course;
    case "domain":
      return row.domain;
    case "attempts":
      return a.n;
    case "facility":
      return a.facility;
    case "discrimination":
      return a.discrimination;
    case "facilityJa":
      return a.byLanguage.ja.facility;
    case "facilityEn":
      return a.byLanguage.en.facility;
    case "gap":
      return a.languageGap === null ? null : Math.abs(a.languageGap);
    case "flags":
      return a.flags.length;
  }
}

/**
 * Rows sorted by a column. Rows without a value (no answers yet) go last in either direction; ties
 * keep the question id order, so the order is the same on every load.
 */
export function sortRows<T extends SortableRow>(rows: readonly T[], key: SortKey, direction: SortDirection, locale = "en"): T[] {
  const collator = new Intl.Collator(locale, { numeric: true });
  const sign = direction === "asc" ? 1 : -1;
  return [...rows].sort((x, y) => {
    const a = sortValue(x, key);
    const b = sortValue(y, key);
    if (a === null || b === null) {
      if (a !== b) return a === null ? 1 : -1;
    } else {
      const c = typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
      if (c !== 0) return sign * c;
    }
    return collator.compare(x.id, y.id);
  });
}
