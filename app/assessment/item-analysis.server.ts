/**
 * Item analysis from the database: one query sums up every answer by question, language and option
 * (exam attempts and first tries of knowledge checks alike), so the work is the database's and the
 * page stays fast with tens of thousands of attempts; the figures are computed from those sums by
 * the pure module app/assessment/item-analysis.ts.
 *
 * What counts (documented in docs/item-analysis.md):
 * - the questions of the current content release;
 * - by default only answers to a question's current version: answers from releases since the release
 *   in which the question was last added or changed (a fixed typo starts a fresh count, as the old
 *   figures described other text); `versions: "all"` counts every release;
 * - exam answers of finished attempts, from the graded result stored with the attempt, in the
 *   language the attempt was shown in when the answer was last saved (the attempt's "start" and
 *   "language" events); an unanswered item is wrong, in the language shown when the attempt ended;
 * - knowledge-check first tries (attempt 1), in the language recorded with the answer.
 */
import { asc, sql } from "drizzle-orm";
import { getDb, rowsOf } from "#db/client.server";
import { auditLog, contentReleases, type ReleaseChangeSummary } from "#db/schema";
import type { LoadedRelease } from "~/content/release.server";
import type { Language, Question } from "~/content/types";
import { analyseItem, emptyTally, sortRows, type ItemAnalysis, type SortableRow, type Tally } from "./item-analysis";
import type { ItemAnalysisQuery } from "./item-analysis-query";

export const VERSION_SCOPES = ["current", "all"] as const;
export type VersionScope = (typeof VERSION_SCOPES)[number];

/**
 * For each question, the first release of its current version: the last release that added or
 * changed it. Reads only the small change summaries, never the release bundles.
 */
export async function currentVersionSince(): Promise<Map<string, number>> {
  const rows = await getDb()
    .select({ number: contentReleases.number, summary: contentReleases.summary })
    .from(contentReleases)
    .orderBy(asc(contentReleases.number));
  const since = new Map<string, number>();
  for (const { number, summary } of rows) {
    const q = (summary as ReleaseChangeSummary).questions;
    for (const id of [...(q?.added ?? []), ...(q?.changed ?? [])]) since.set(id, number);
  }
  return since;
}

type SumRow = {
  question_id: string;
  lang: string | null;
  option_id: string | null;
  n: number | string;
  correct: number | string;
  omitted: number | string;
  sy: number | string;
  syy: number | string;
  sxy: number | string;
};

/** The one statement behind `itemTallies` (exported for EXPLAIN in benchmarks). */
export function talliesQuery(options: { since: ReadonlyMap<string, number>; questionIds?: readonly string[] }) {
  const since = JSON.stringify(Object.fromEntries(options.since));
  const only = options.questionIds ? JSON.stringify(options.questionIds) : null;
  return sql`
    with att as materialized (
      -- Read each finished attempt's stored result once (every access to a jsonb column unpacks it again).
      select a.id, a.release_number, a.finished_at,
             (a.result ->> 'correct')::int as score, (a.result ->> 'total')::int as total, a.result -> 'items' as items
      from exam_attempts a
      where a.status = 'finished'
    ),
    spans as (
      select e.attempt_id, e.details ->> 'lang' as lang, e.at,
             lead(e.at) over (partition by e.attempt_id order by e.at, e.id) as until
      from exam_events e
      where e.kind in ('start', 'language')
    ),
    item as (
      select att.id as attempt_id, it.value ->> 'questionId' as question_id,
             case when (it.value ->> 'correct')::boolean then 1 else 0 end as x,
             case when att.total > 1 then (att.score - case when (it.value ->> 'correct')::boolean then 1 else 0 end)::float8 / (att.total - 1) else 0 end as y,
             case when jsonb_typeof(it.value -> 'answer') = 'array' then it.value -> 'answer' else '[]'::jsonb end as answer,
             coalesce(ans.saved_at, att.finished_at) as answered_at
      from att
      cross join lateral jsonb_array_elements(att.items) with ordinality as it(value, ord)
      left join exam_answers ans on ans.attempt_id = att.id and ans.position = it.ord - 1
      where att.release_number >= coalesce((${since}::jsonb ->> (it.value ->> 'questionId'))::int, 0)
        and (${only}::jsonb is null or ${only}::jsonb ? (it.value ->> 'questionId'))
    ),
    answers as (
      select item.question_id, s.lang, item.x, item.y, item.answer
      from item
      left join spans s on s.attempt_id = item.attempt_id and s.at <= item.answered_at and (s.until is null or s.until > item.answered_at)
      union all
      select k.question_id, k.language, case when k.correct then 1 else 0 end, 0::float8, k.answer
      from knowledge_check_answers k
      where k.attempt = 1
        and k.release_number >= coalesce((${since}::jsonb ->> k.question_id)::int, 0)
        and (${only}::jsonb is null or ${only}::jsonb ? k.question_id)
    ),
    -- Answers summed by what was answered: a few rows per question, which the two sums below share.
    grouped as materialized (
      select question_id, lang, answer, count(*) as n, sum(x) as correct, sum(y) as sy, sum(y * y) as syy, sum(x * y) as sxy
      from answers
      group by question_id, lang, answer
    )
    select question_id, lang, null::text as option_id, sum(n)::int as n, sum(correct)::int as correct,
           sum(case when jsonb_array_length(answer) = 0 then n else 0 end)::int as omitted,
           sum(sy)::float8 as sy, sum(syy)::float8 as syy, sum(sxy)::float8 as sxy
    from grouped
    group by question_id, lang
    union all
    select question_id, lang, opt as option_id, sum(n)::int, 0, 0, 0::float8, 0::float8, 0::float8
    from grouped cross join lateral jsonb_array_elements_text(answer) as opt
    group by question_id, lang, opt
  `;
}

/**
 * The tallies of every question (or of the given ones) by language, from one query. `since` maps a
 * question to the first release to count; questions not in it count from release 0.
 */
export async function itemTallies(options: { since: ReadonlyMap<string, number>; questionIds?: readonly string[] }): Promise<Map<string, Map<string, Tally>>> {
  const result = await getDb().execute(talliesQuery(options));
  const out = new Map<string, Map<string, Tally>>();
  for (const row of rowsOf<SumRow>(result)) {
    let byLang = out.get(row.question_id);
    if (!byLang) out.set(row.question_id, (byLang = new Map()));
    const lang = row.lang ?? "unknown";
    let t = byLang.get(lang);
    if (!t) byLang.set(lang, (t = emptyTally()));
    if (row.option_id === null) {
      t.n = Number(row.n);
      t.correct = Number(row.correct);
      t.omitted = Number(row.omitted);
      t.sumRest = Number(row.sy);
      t.sumRestSquared = Number(row.syy);
      t.sumCorrectRest = Number(row.sxy);
    } else {
      t.options[row.option_id] = Number(row.n);
    }
  }
  return out;
}

/** The options of a question as the analysis knows them (true/false questions have two). */
export const optionIdsOf = (q: Pick<Question, "type" | "options">) => (q.type === "truefalse" ? ["true", "false"] : q.options.map((o) => o.id));

export function optionText(q: Pick<Question, "type" | "options">, id: string, lang: Language): string {
  if (q.type === "truefalse") return id === "true" ? (lang === "ja" ? "正しい" : "True") : lang === "ja" ? "誤り" : "False";
  return q.options.find((o) => o.id === id)?.text[lang] ?? id;
}

export type AnalysedQuestion = { question: Question; analysis: ItemAnalysis };

/** Every question of the release with its figures, in the bank's order. */
export async function analyseRelease(
  release: LoadedRelease,
  options: { versions: VersionScope; questionIds?: readonly string[]; currentSince?: ReadonlyMap<string, number> },
): Promise<AnalysedQuestion[]> {
  const since = options.versions === "current" ? (options.currentSince ?? (await currentVersionSince())) : new Map<string, number>();
  const questions = options.questionIds
    ? options.questionIds.map((id) => release.questions.get(id)).filter((q): q is Question => Boolean(q))
    : release.bundle.questions;
  const tallies = await itemTallies({ since, questionIds: options.questionIds });
  return questions.map((question) => ({
    question,
    analysis: analyseItem({
      questionId: question.id,
      use: question.use,
      optionIds: optionIdsOf(question),
      answer: question.answer,
      byLanguage: Object.fromEntries(tallies.get(question.id) ?? []),
    }),
  }));
}

/** Writes the audit entry of an item-analysis export (who, when, what, how many rows). */
export async function auditItemAnalysisExport(input: {
  actorId: string;
  release: number;
  rows: number;
  complete: boolean;
  filters: Record<string, string | boolean | null>;
}): Promise<void> {
  await getDb()
    .insert(auditLog)
    .values({
      actorId: input.actorId,
      action: "export.item-analysis",
      targetType: "content-release",
      targetId: String(input.release),
      details: { rows: input.rows, complete: input.complete, release: input.release, format: "csv", ...input.filters },
    });
}

// ---------------------------------------------------------------------------------------------------
// The page and the CSV

export type ItemRow = {
  id: string;
  use: Question["use"];
  type: Question["type"];
  courseId: string;
  course: string;
  domainId: string;
  domain: string;
  /** The stem in the reader's language, shortened for the table. */
  stem: string;
  n: number;
  facility: number | null;
  discrimination: number | null;
  ja: { n: number; facility: number | null };
  en: { n: number; facility: number | null };
  languageGap: number | null;
  flags: ItemAnalysis["flags"];
  unusedDistractors: { id: string; text: string }[];
};

const STEM_EXCERPT = 90;
export function excerpt(text: string, max = STEM_EXCERPT): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

export type ItemAnalysisView = {
  release: number;
  /** Answers counted over every question of the release (before the course/domain/flag filters). */
  answers: number;
  rows: ItemRow[];
  courses: { id: string; title: string }[];
  domains: { id: string; name: string }[];
};

/** The table of /authoring/items (and its CSV): filtered and sorted as the query says, in the reader's language. */
export async function itemAnalysisView(release: LoadedRelease, query: ItemAnalysisQuery, lang: Language): Promise<ItemAnalysisView> {
  const analysed = await analyseRelease(release, { versions: query.versions });
  const courseTitle = (id: string) => release.courses.get(id)?.title[lang] ?? id;
  const domainName = (id: string) => release.bundle.domains.find((d) => d.id === id)?.name[lang] ?? id;
  const rows: (ItemRow & SortableRow)[] = analysed
    .filter(({ question: q, analysis: a }) => (!query.course || q.courseId === query.course) && (!query.domain || q.domain === query.domain) && (!query.flagged || a.flags.length > 0))
    .map(({ question: q, analysis: a }) => ({
      id: q.id,
      use: q.use,
      type: q.type,
      courseId: q.courseId,
      course: courseTitle(q.courseId),
      domainId: q.domain,
      domain: domainName(q.domain),
      stem: excerpt(q.stem[lang]),
      n: a.n,
      facility: a.facility,
      discrimination: a.discrimination,
      ja: { n: a.byLanguage.ja.n, facility: a.byLanguage.ja.facility },
      en: { n: a.byLanguage.en.n, facility: a.byLanguage.en.facility },
      languageGap: a.languageGap,
      flags: a.flags,
      unusedDistractors: a.unusedDistractors.map((id) => ({ id, text: optionText(q, id, lang) })),
      analysis: a,
    }));
  return {
    release: release.number,
    answers: analysed.reduce((n, x) => n + x.analysis.n, 0),
    rows: sortRows(rows, query.sort, query.dir, lang).map(({ analysis: _analysis, ...row }) => row),
    courses: release.bundle.courses.map((c) => ({ id: c.id, title: c.title[lang] })),
    domains: release.bundle.domains.map((d) => ({ id: d.id, name: d.name[lang] })),
  };
}

export type ItemDetailView = {
  release: number;
  versions: VersionScope;
  question: {
    id: string;
    use: Question["use"];
    type: Question["type"];
    course: string;
    domain: string;
    stem: string;
    /** The first release of the current version (counted from there unless all versions are asked for). */
    since: number | null;
  };
  analysis: Omit<ItemAnalysis, "options">;
  options: (ItemAnalysis["options"][number] & { text: string })[];
};

/** One question's figures with its option choices per language, or null when the release has no such question. */
export async function itemDetailView(release: LoadedRelease, questionId: string, versions: VersionScope, lang: Language): Promise<ItemDetailView | null> {
  const question = release.questions.get(questionId);
  if (!question) return null;
  const currentSince = await currentVersionSince();
  const [analysed] = await analyseRelease(release, { versions, questionIds: [questionId], currentSince });
  const { options, ...analysis } = analysed!.analysis;
  const since = currentSince.get(questionId) ?? null;
  return {
    release: release.number,
    versions,
    question: {
      id: question.id,
      use: question.use,
      type: question.type,
      course: release.courses.get(question.courseId)?.title[lang] ?? question.courseId,
      domain: release.bundle.domains.find((d) => d.id === question.domain)?.name[lang] ?? question.domain,
      stem: question.stem[lang],
      since,
    },
    analysis,
    options: options.map((o) => ({ ...o, text: optionText(question, o.id, lang) })),
  };
}
