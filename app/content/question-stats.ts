/**
 * Figures about the question banks that tell whether they measure: items by type and use, how many
 * each track's blueprint draws from a domain against how many exam items it holds, where the key sits,
 * and whether the key gives itself away by its length. Pure: `npm run content:stats`, the Authoring page
 * and `content:check` all read these.
 *
 * Definitions (documented in docs/content-format.md):
 * - Length is the displayed length: characters (code points) of the option text with runs of spaces
 *   counted once, per language.
 * - "Key is the longest": in a single-choice item the key is longer than every distractor (ties are
 *   not counted). Chance is 1 in the number of options (25% with four); above KEY_LONGEST_LIMIT of a
 *   bank's single-choice items, per language, test-wise learners can pick the longest option and win.
 * - "Much longer": the key is at least MUCH_LONGER.ratio times the longest distractor and at least
 *   MUCH_LONGER.extra[lang] characters longer (10 in English, 5 in Japanese, which says more per character).
 * - A domain's pool should hold POOL_FACTOR times its blueprint draw in exam items, so three attempts
 *   can be drawn without repeating a question.
 */
import type { Language, Localized, QuestionType, QuestionUse } from "~/content/types";

export const KEY_LONGEST_LIMIT = 0.35;
export const MUCH_LONGER = { ratio: 1.5, extra: { en: 10, ja: 5 } as Record<Language, number> };
export const POOL_FACTOR = 3;

const LANGS: Language[] = ["en", "ja"];
const TYPES: QuestionType[] = ["single", "multiple", "truefalse"];

export type StatsQuestion = {
  id: string;
  courseId: string;
  use: QuestionUse;
  domain: string;
  type: QuestionType;
  options: { id: string; text: Localized }[];
  /** Option ids for single/multiple; ["true"] or ["false"] for truefalse. */
  answer: string[];
};
export type StatsTrack = { id: string; courses: string[]; exam: { blueprint: { domain: string; count: number }[] } };

export type Counts = Record<QuestionType, Record<QuestionUse, number>> & { total: number; exam: number; practice: number };

export type MuchLongerKey = { id: string; lang: Language; key: number; distractor: number };

export type BankStats = {
  courseId: string;
  counts: Counts;
  /** Single-choice items whose key is the option at each position (a, b, c, …), as written in the bank. */
  answerPositions: number[];
  single: number;
  /** Single-choice items whose key is the single longest option, per language. */
  keyLongest: Record<Language, number>;
  keyLongestShare: Record<Language, number>;
  muchLonger: MuchLongerKey[];
};

export type DomainStats = {
  domain: string;
  counts: Counts;
  /** Each track that draws from the domain: its draw and the exam items its courses hold. */
  draws: { trackId: string; count: number; examItems: number; ratio: number }[];
};

export type QuestionStats = { banks: BankStats[]; domains: DomainStats[] };

/** The displayed length of an option text: code points, with runs of white space counted once. */
export function displayedLength(text: string): number {
  return Array.from(text.trim().replace(/\s+/g, " ")).length;
}

/** Where the key of a single-choice item stands against its distractors in one language. */
export function keyCue(question: StatsQuestion, lang: Language): { longest: boolean; muchLonger: boolean; key: number; distractor: number } | null {
  if (question.type !== "single") return null;
  const keyId = question.answer[0];
  const key = question.options.find((o) => o.id === keyId);
  const distractors = question.options.filter((o) => o.id !== keyId);
  if (!key || distractors.length === 0) return null;
  const keyLength = displayedLength(key.text[lang]);
  const distractor = Math.max(...distractors.map((o) => displayedLength(o.text[lang])));
  return {
    longest: keyLength > distractor,
    muchLonger: keyLength >= distractor * MUCH_LONGER.ratio && keyLength - distractor >= MUCH_LONGER.extra[lang],
    key: keyLength,
    distractor,
  };
}

function emptyCounts(): Counts {
  const counts = { total: 0, exam: 0, practice: 0 } as Counts;
  for (const type of TYPES) counts[type] = { exam: 0, practice: 0 };
  return counts;
}

function count(counts: Counts, q: StatsQuestion) {
  counts.total += 1;
  counts[q.use] += 1;
  counts[q.type][q.use] += 1;
}

export function questionStats(questions: readonly StatsQuestion[], tracks: readonly StatsTrack[]): QuestionStats {
  const banks = new Map<string, BankStats>();
  const domains = new Map<string, DomainStats>();
  for (const q of questions) {
    let bank = banks.get(q.courseId);
    if (!bank) {
      bank = {
        courseId: q.courseId,
        counts: emptyCounts(),
        answerPositions: [],
        single: 0,
        keyLongest: { en: 0, ja: 0 },
        keyLongestShare: { en: 0, ja: 0 },
        muchLonger: [],
      };
      banks.set(q.courseId, bank);
    }
    count(bank.counts, q);
    let domain = domains.get(q.domain);
    if (!domain) domains.set(q.domain, (domain = { domain: q.domain, counts: emptyCounts(), draws: [] }));
    count(domain.counts, q);

    if (q.type !== "single") continue;
    bank.single += 1;
    const position = q.options.findIndex((o) => o.id === q.answer[0]);
    if (position >= 0) {
      while (bank.answerPositions.length <= position) bank.answerPositions.push(0);
      bank.answerPositions[position]! += 1;
    }
    for (const lang of LANGS) {
      const cue = keyCue(q, lang);
      if (!cue) continue;
      if (cue.longest) bank.keyLongest[lang] += 1;
      if (cue.muchLonger) bank.muchLonger.push({ id: q.id, lang, key: cue.key, distractor: cue.distractor });
    }
  }
  for (const bank of banks.values()) {
    for (const lang of LANGS) bank.keyLongestShare[lang] = bank.single ? bank.keyLongest[lang] / bank.single : 0;
  }

  for (const track of tracks) {
    const courses = new Set(track.courses);
    for (const { domain, count: draw } of track.exam.blueprint) {
      let stats = domains.get(domain);
      if (!stats) domains.set(domain, (stats = { domain, counts: emptyCounts(), draws: [] }));
      const examItems = questions.filter((q) => q.use === "exam" && q.domain === domain && courses.has(q.courseId)).length;
      stats.draws.push({ trackId: track.id, count: draw, examItems, ratio: draw ? examItems / draw : 0 });
    }
  }
  return { banks: [...banks.values()], domains: [...domains.values()] };
}

/** Whether a bank's key-is-longest share is over the limit in a language. */
export function overKeyLongestLimit(bank: BankStats, lang: Language): boolean {
  return bank.single > 0 && bank.keyLongestShare[lang] > KEY_LONGEST_LIMIT;
}

export const percent = (share: number) => `${Math.round(share * 100)}%`;
