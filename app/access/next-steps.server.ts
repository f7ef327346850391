import { eq, sql } from "drizzle-orm";
import { getDb, type Database } from "#db/client.server";
import { courseExemptions, examAttempts, knowledgeCheckAnswers, lessonProgress, users } from "#db/schema";
import { examEligibility, type AttemptRecord } from "~/assessment/exam-rules";
import type { LoadedRelease } from "~/content/release.server";
import { courseProgress } from "~/learning/completion";
import { nextStepFromEligibility, type CertificateInput, type NextStep } from "./decision";

/**
 * The next step for each track a person misses (courses, exam, retake date, open attempt…), read in ONE
 * query: the person's attempts and course exemptions of those tracks, and their lesson progress and right
 * knowledge-check answers in the tracks' courses. The exam rules (`examEligibility`) and the course
 * rules (`courseProgress`) then decide, as they do on the exam and course pages. The person's latest
 * certificate of each track is the one the decision already read (`certificatesByTrack`), so it is not
 * read again.
 */

type AttemptJson = { id: string; trackId: string; startedAt: string; deadline: string; finishedAt: string | null; passed: boolean | null };
type LessonJson = { lessonId: string; startedAt: string; readAt: string | null };

/** Of a track's certificates, the unrevoked one valid longest (what the exam rules call "the certificate"). */
function latestUnrevoked(list: readonly CertificateInput[] | undefined) {
  let latest: CertificateInput | null = null;
  for (const c of list ?? []) if (!c.revokedAt && (!latest || c.validUntil.getTime() > latest.validUntil.getTime())) latest = c;
  return latest ? { validUntil: latest.validUntil, revokedAt: null } : null;
}

/**
 * The query, built once per database handle, release and set of tracks (the catalog names a handful),
 * then only executed with the person's id: a refused check runs it on every request.
 */
type NextStepsQuery = ReturnType<typeof buildNextStepsQuery>;
const queries = new WeakMap<Database, Map<string, NextStepsQuery>>();
let preparedCount = 0;

function buildNextStepsQuery(db: Database, ids: string[], lessonIds: string[], questionIds: string[]) {
  const userId = sql.placeholder("userId");
  const none = sql`'[]'::json`;
  return db
    .select({
      attempts: sql<AttemptJson[]>`(select coalesce(json_agg(json_build_object('id', a.id, 'trackId', a.track_id, 'startedAt', a.started_at,
        'deadline', a.deadline, 'finishedAt', a.finished_at, 'passed', a.passed) order by a.started_at), ${none})
        from ${examAttempts} a where a.user_id = ${userId} and a.track_id in ${ids})`,
      exempt: sql<string[]>`(select coalesce(json_agg(distinct e.track_id), ${none})
        from ${courseExemptions} e where e.user_id = ${userId} and e.track_id in ${ids} and e.revoked_at is null)`,
      lessons: lessonIds.length
        ? sql<LessonJson[]>`(select coalesce(json_agg(json_build_object('lessonId', p.lesson_id, 'startedAt', p.started_at, 'readAt', p.read_at)), ${none})
            from ${lessonProgress} p where p.user_id = ${userId} and p.lesson_id in ${lessonIds})`
        : sql<LessonJson[]>`${none}`,
      correct: questionIds.length
        ? sql<string[]>`(select coalesce(json_agg(distinct k.question_id), ${none})
            from ${knowledgeCheckAnswers} k where k.user_id = ${userId} and k.correct and k.question_id in ${questionIds})`
        : sql<string[]>`${none}`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .prepare(`access_next_steps_${++preparedCount}`);
}

function nextStepsQuery(release: LoadedRelease, ids: string[], lessonIds: string[], questionIds: string[]): NextStepsQuery {
  const db = getDb();
  let byShape = queries.get(db);
  if (!byShape) queries.set(db, (byShape = new Map()));
  const shape = `${release.number}:${[...ids].sort().join(",")}`;
  let query = byShape.get(shape);
  if (!query) {
    if (byShape.size >= 256) byShape.clear();
    byShape.set(shape, (query = buildNextStepsQuery(db, ids, lessonIds, questionIds)));
  }
  return query;
}

export async function nextStepsFor(
  release: LoadedRelease,
  userId: string,
  trackIds: readonly string[],
  certificatesByTrack: ReadonlyMap<string, readonly CertificateInput[]>,
  now: Date,
): Promise<Map<string, NextStep>> {
  const tracks = [...new Set(trackIds)].map((id) => release.tracks.get(id)).filter((t) => t !== undefined);
  if (tracks.length === 0) return new Map();
  const ids = tracks.map((t) => t.id);
  const courseIds = [...new Set(tracks.flatMap((t) => t.courses.filter((id) => release.courses.has(id))))];
  const lessonIds = courseIds.flatMap((id) => release.courses.get(id)!.lessons);
  const questionIds = [...new Set(lessonIds.flatMap((id) => release.lessons.get(id)?.knowledgeChecks ?? []))];
  const [row] = await nextStepsQuery(release, ids, lessonIds, questionIds).execute({ userId });
  if (!row) return new Map();
  const parse = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
  const attempts = parse(row.attempts);
  const exempt = new Set(parse(row.exempt));
  const byLesson = new Map(parse(row.lessons).map((l) => [l.lessonId, l]));
  const correct = new Set(parse(row.correct));
  const done = new Set(
    courseIds.filter((id) => courseProgress(release.courses.get(id)!, release.lessons, byLesson, correct).status === "complete"),
  );
  return new Map(
    tracks.map((track) => {
      const records: AttemptRecord[] = attempts
        .filter((a) => a.trackId === track.id)
        .map((a) => ({
          id: a.id,
          startedAt: new Date(a.startedAt),
          deadline: new Date(a.deadline),
          finishedAt: a.finishedAt ? new Date(a.finishedAt) : null,
          passed: a.passed,
        }));
      const eligibility = examEligibility({
        exam: track.exam,
        recertificationWindowDays: track.recertificationWindowDays,
        attempts: records,
        certificate: latestUnrevoked(certificatesByTrack.get(track.id)),
        incompleteCourseIds: track.courses.filter((id) => release.courses.has(id) && !done.has(id)),
        exemptFromCourses: exempt.has(track.id),
        now,
      });
      return [track.id, nextStepFromEligibility(eligibility)] as const;
    }),
  );
}
