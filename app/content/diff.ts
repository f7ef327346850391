import type { ReleaseChangeSummary, StaleTranslation } from "#db/schema/content";
import type { ContentBundle, Problem } from "./types";

type WithId = { id: string };

function diffById<T extends WithId>(before: readonly T[], after: readonly T[], same: (a: T, b: T) => boolean) {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  return {
    added: after.filter((x) => !old.has(x.id)).map((x) => x.id),
    changed: after.filter((x) => old.has(x.id) && !same(old.get(x.id)!, x)).map((x) => x.id),
    removed: before.filter((x) => !now.has(x.id)).map((x) => x.id),
  };
}

/** JSON with object keys sorted, so a value read back from a jsonb column compares equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const sameJson = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
const sameHashes = (a: { sourceHash: { en: string; ja: string } }, b: { sourceHash: { en: string; ja: string } }) =>
  a.sourceHash.en === b.sourceHash.en && a.sourceHash.ja === b.sourceHash.ja;

/** What changed between two releases (the previous one may not exist). */
export function summarizeChanges(previous: ContentBundle | null, next: ContentBundle): ReleaseChangeSummary {
  const prev: ContentBundle = previous ?? { domains: [], glossary: [], courses: [], lessons: [], questions: [], tracks: [], tools: [] };
  const courses = diffById(prev.courses, next.courses, sameJson);
  return {
    lessons: diffById(prev.lessons, next.lessons, (a, b) => sameHashes(a, b) && a.courseId === b.courseId && a.position === b.position),
    questions: diffById(prev.questions, next.questions, (a, b) => sameHashes(a, b) && sameJson({ ...a, sourceHash: 0 }, { ...b, sourceHash: 0 })),
    courses: { added: courses.added, removed: courses.removed },
    tracks: diffById(prev.tracks, next.tracks, sameJson),
    tools: diffById(prev.tools, next.tools, sameJson),
  };
}

/**
 * Lessons and questions whose translation has fallen behind, as of a release `number` following
 * `previous`: those where one language changed since the previous release and the other did not, and
 * those `carried` over from the previous release whose stale language has still not changed. An
 * entry ends when its stale language changes (that change is the catch-up, so it does not flag the
 * other language in turn) or when the item is removed.
 */
export function staleTranslations(
  previous: ContentBundle | null,
  next: ContentBundle,
  carried: readonly StaleTranslation[] = [],
  number?: number,
): StaleTranslation[] {
  if (!previous) return [];
  const out: StaleTranslation[] = [];
  const check = (kind: "lesson" | "question", before: readonly (WithId & { sourceHash: { en: string; ja: string } })[], after: typeof before) => {
    const old = new Map(before.map((x) => [x.id, x.sourceHash]));
    const behind = new Map(carried.filter((c) => c.kind === kind).map((c) => [c.id, c]));
    for (const item of after) {
      const was = old.get(item.id);
      if (!was) continue;
      const changed = { en: was.en !== item.sourceHash.en, ja: was.ja !== item.sourceHash.ja };
      const still = behind.get(item.id);
      if (still) {
        if (!changed[still.stale]) out.push(still);
        continue;
      }
      const since = number === undefined ? {} : { since: number };
      if (changed.en && !changed.ja) out.push({ kind, id: item.id, stale: "ja", ...since });
      if (changed.ja && !changed.en) out.push({ kind, id: item.id, stale: "en", ...since });
    }
  };
  check("lesson", previous.lessons, next.lessons);
  check("question", previous.questions, next.questions);
  return out;
}

/**
 * The top-level blocks of a lesson body that the previous version does not have (compared as JSON,
 * each earlier block matching once): what a preview marks as changed. All of them for a new lesson.
 */
export function changedBlocks(before: readonly unknown[] | null, after: readonly unknown[]): number[] {
  if (!before) return after.map((_, i) => i);
  const left = new Map<string, number>();
  for (const block of before) {
    const key = canonicalJson(block);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  const out: number[] = [];
  after.forEach((block, i) => {
    const key = canonicalJson(block);
    const n = left.get(key) ?? 0;
    if (n > 0) left.set(key, n - 1);
    else out.push(i);
  });
  return out;
}

/** Titles of the lessons, courses, tracks and tools named in change lists, by kind and id, from any bundles. */
export function changeTitles(...bundles: (ContentBundle | null | undefined)[]): Record<string, Record<string, { en: string; ja: string }>> {
  const out: Record<string, Record<string, { en: string; ja: string }>> = { lessons: {}, courses: {}, tracks: {}, tools: {} };
  for (const bundle of bundles) {
    if (!bundle) continue;
    for (const kind of ["lessons", "courses", "tracks", "tools"] as const) {
      for (const item of bundle[kind] as { id: string; title?: { en: string; ja: string }; name?: { en: string; ja: string } }[]) {
        const title = item.title ?? item.name;
        if (title && !out[kind]![item.id]) out[kind]![item.id] = title;
      }
    }
  }
  return out;
}

export function countChanges(summary: ReleaseChangeSummary): number {
  return Object.values(summary).reduce(
    (n, part) => n + Object.values(part as Record<string, string[]>).reduce((m, ids) => m + ids.length, 0),
    0,
  );
}

export function bundleCounts(bundle: ContentBundle): Record<string, number> {
  return {
    courses: bundle.courses.length,
    lessons: bundle.lessons.length,
    questions: bundle.questions.length,
    tracks: bundle.tracks.length,
    tools: bundle.tools.length,
    terms: bundle.glossary.length,
    domains: bundle.domains.length,
  };
}

/** Stale translations as warnings in the checker's format, pointing at the file to bring up to date. */
export function staleTranslationProblems(stale: readonly StaleTranslation[], bundle: ContentBundle, releaseNumber: number): Problem[] {
  const lessons = new Map(bundle.lessons.map((l) => [l.id, l]));
  const questions = new Map(bundle.questions.map((q) => [q.id, q]));
  const languageName = { en: "English", ja: "Japanese" } as const;
  return stale.map((s) => {
    const other = s.stale === "en" ? "ja" : "en";
    const file =
      s.kind === "lesson"
        ? (lessons.get(s.id)?.files[s.stale] ?? s.id)
        : `courses/${questions.get(s.id)?.courseId ?? "?"}/questions.yaml`;
    return {
      severity: "warning",
      code: "stale-translation",
      file,
      line: 1,
      column: 1,
      message:
        s.since !== undefined && s.since <= releaseNumber
          ? `${s.kind === "lesson" ? "Lesson" : "Question"} ${s.id}: the ${languageName[other]} version changed in release #${s.since}, the ${languageName[s.stale]} one has not changed since`
          : `${s.kind === "lesson" ? "Lesson" : "Question"} ${s.id}: the ${languageName[other]} version changed since release #${releaseNumber}, the ${languageName[s.stale]} one did not`,
      hint: `Check that the ${languageName[s.stale]} version still says the same thing, and update it if needed.`,
    };
  });
}
