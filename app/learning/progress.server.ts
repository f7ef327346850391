import { and, count, eq, inArray, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getDb, rowsOf, type Transaction } from "#db/client.server";
import { knowledgeCheckAnswers, lessonProgress, users } from "#db/schema";
import type { SessionRider } from "~/auth/session.server";
import { isCorrect, normalizeAnswer } from "~/assessment/grading";
import { displayText, requireRelease, type LoadedRelease } from "~/content/release.server";
import type { Language, Lesson } from "~/content/types";
import { courseProgress, lessonStatus, type CourseProgress, type LessonProgressRow } from "./completion";
import { KEY_REVEALED_FROM_ATTEMPT, readingCheck } from "./reading";
import { verifyReadingToken } from "./reading-token.server";
import { env } from "~/env.server";

export type LearnerProgress = {
  byLesson: Map<string, LessonProgressRow & { completedAt: Date | string | null }>;
  correct: Set<string>;
};

/**
 * One person's progress as one JSON value (SQL): their progress rows as [lesson, started, read, completed]
 * with times in epoch milliseconds, and the knowledge checks they have answered right. `userId` is a
 * bound id or the session statement's users.id column.
 */
function progressJson(userId: SQL | string): SQL<unknown> {
  const ms = (column: AnyColumn) => sql`(extract(epoch from ${column}) * 1000)::float8`;
  return sql`json_build_object(
    'rows', (select coalesce(json_agg(json_build_array(${lessonProgress.lessonId}, ${ms(lessonProgress.startedAt)}, ${ms(lessonProgress.readAt)}, ${ms(lessonProgress.completedAt)})), '[]'::json)
             from ${lessonProgress} where ${lessonProgress.userId} = ${userId}),
    'correct', (select coalesce(json_agg(distinct ${knowledgeCheckAnswers.questionId}), '[]'::json)
                from ${knowledgeCheckAnswers} where ${knowledgeCheckAnswers.userId} = ${userId} and ${knowledgeCheckAnswers.correct})
  )`;
}

type ProgressJson = { rows: [string, number, number | null, number | null][]; correct: string[] };

/** The LearnerProgress of progressJson's value (postgres.js and PGlite parse JSON; a string is parsed here). */
export function parseProgressJson(value: unknown): LearnerProgress {
  const json = (typeof value === "string" ? JSON.parse(value) : value) as ProgressJson;
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return {
    byLesson: new Map(json.rows.map(([lessonId, startedAt, readAt, completedAt]) => [lessonId, { lessonId, startedAt: new Date(startedAt), readAt: date(readAt), completedAt: date(completedAt) }])),
    correct: new Set(json.correct),
  };
}

/** One person's lesson progress and the knowledge checks they have answered right: one statement. */
export async function getLearnerProgress(userId: string): Promise<LearnerProgress> {
  const [row] = rowsOf<{ progress: unknown }>(await getDb().execute(sql`select ${progressJson(userId)} as progress`));
  return parseProgressJson(row!.progress);
}

/** The signed-in learner's progress, read in the same statement as their session (see getSessionWith). */
export const progressWithSession: SessionRider<LearnerProgress> = {
  name: "learnerProgress",
  column: () => progressJson(sql`${users.id}`),
  parse: parseProgressJson,
  fallback: getLearnerProgress,
};

export function progressOfCourses(release: LoadedRelease, progress: LearnerProgress): CourseProgress[] {
  return release.bundle.courses.map((course) => courseProgress(course, release.lessons, progress.byLesson, progress.correct));
}

/**
 * Creates (or touches) the person's progress row for the lesson and holds its row lock until the
 * transaction ends: every write about one person's lesson runs through here first, so two writes
 * about the same lesson (a "read" racing the last knowledge-check answer) take turns.
 */
async function lockProgressRow(tx: Transaction, userId: string, lesson: Pick<Lesson, "id" | "courseId">, readAt: Date | null) {
  const now = new Date();
  const [row] = await tx
    .insert(lessonProgress)
    .values({ userId, lessonId: lesson.id, courseId: lesson.courseId, readAt, updatedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { readAt: sql`coalesce(${lessonProgress.readAt}, excluded.read_at)`, updatedAt: now },
    })
    .returning({ startedAt: lessonProgress.startedAt, readAt: lessonProgress.readAt, completedAt: lessonProgress.completedAt });
  return row!;
}

/**
 * Sets `completed_at` when the lesson is now complete: read to the end and each check answered right.
 * Runs inside the transaction that holds the progress row's lock, after that transaction's own write,
 * so it sees every write that committed before the lock was granted.
 */
async function completeIfDone(tx: Transaction, userId: string, lesson: Lesson): Promise<boolean> {
  const [row] = await tx
    .select({ startedAt: lessonProgress.startedAt, readAt: lessonProgress.readAt, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.lessonId, lesson.id)));
  if (!row) return false;
  const correct =
    lesson.knowledgeChecks.length === 0
      ? []
      : await tx
          .selectDistinct({ questionId: knowledgeCheckAnswers.questionId })
          .from(knowledgeCheckAnswers)
          .where(
            and(
              eq(knowledgeCheckAnswers.userId, userId),
              eq(knowledgeCheckAnswers.correct, true),
              inArray(knowledgeCheckAnswers.questionId, lesson.knowledgeChecks),
            ),
          );
  const status = lessonStatus(lesson, { lessonId: lesson.id, ...row }, new Set(correct.map((r) => r.questionId)));
  if (status !== "complete") return false;
  if (!row.completedAt) {
    await tx
      .update(lessonProgress)
      .set({ completedAt: new Date() })
      .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.lessonId, lesson.id)));
  }
  return true;
}

/** Finds the lesson in the course, or null: a lesson is only ever reached through its own course. */
function lessonOfCourse(release: LoadedRelease, courseId: string, lessonId: string): Lesson | null {
  const lesson = release.lessons.get(lessonId);
  return lesson && lesson.courseId === courseId && release.courses.has(courseId) ? lesson : null;
}

export type OpenLessonResult = { kind: "not-found" } | { kind: "opened" };

/** The page was shown to the person (posted by the page, never recorded by a GET). First time only. */
export async function markLessonOpened(input: { userId: string; courseId: string; lessonId: string }): Promise<OpenLessonResult> {
  const release = await requireRelease();
  const lesson = lessonOfCourse(release, input.courseId, input.lessonId);
  if (!lesson) return { kind: "not-found" };
  await getDb()
    .insert(lessonProgress)
    .values({ userId: input.userId, lessonId: lesson.id, courseId: lesson.courseId })
    .onConflictDoNothing();
  return { kind: "opened" };
}

export type ReadLessonResult =
  | { kind: "not-found" }
  /** The reading proof is missing, forged or for another person or lesson. */
  | { kind: "invalid-proof" }
  /** Reached the end sooner than anyone reads the lesson; counts as read from `readableAt`. */
  | { kind: "too-soon"; readableAt: Date }
  | { kind: "read"; complete: boolean };

/**
 * The person reached the end of the lesson. `proof` is the reading token the lesson page was given
 * when it was shown: it proves when, so a script cannot mark a lesson read without having opened it
 * for the minimum reading time. Idempotent: the first time counts.
 */
export async function markLessonRead(input: {
  userId: string;
  courseId: string;
  lessonId: string;
  proof: string | null;
  now?: Date;
}): Promise<ReadLessonResult> {
  const now = input.now ?? new Date();
  const release = await requireRelease();
  const lesson = lessonOfCourse(release, input.courseId, input.lessonId);
  if (!lesson) return { kind: "not-found" };
  const shownAt = input.proof ? verifyReadingToken(input.proof, { userId: input.userId, lessonId: lesson.id }) : null;
  if (!shownAt) return { kind: "invalid-proof" };
  const timing = readingCheck(lesson.minutes, shownAt, now, env().MANABI_READING_TIME_FACTOR);
  if (!timing.ok) return { kind: "too-soon", readableAt: timing.readableAt };
  const complete = await getDb().transaction(async (tx) => {
    await lockProgressRow(tx, input.userId, lesson, now);
    return completeIfDone(tx, input.userId, lesson);
  });
  return { kind: "read", complete };
}

export type AnswerCheckResult =
  | { kind: "not-found" }
  | { kind: "invalid-answer"; questionId: string }
  | { kind: "correct"; questionId: string; key: string[]; explanation: string; lessonComplete: boolean }
  /**
   * A wrong answer. The first wrong try gets the question's hint and no key; from the second wrong
   * try on, the key and explanation are revealed (practice questions only: exam items are never here).
   */
  | { kind: "incorrect"; questionId: string; attempt: number; hint: string | null; reveal: { key: string[]; explanation: string } | null };

/**
 * Grades a knowledge-check answer on the server and records it (every try, numbered, for item
 * analysis) in one transaction that also completes the lesson when this was the last missing piece.
 */
export async function answerKnowledgeCheck(input: {
  userId: string;
  courseId: string;
  lessonId: string;
  questionId: string;
  answer: readonly string[];
  lang: Language;
}): Promise<AnswerCheckResult> {
  const { userId, questionId, lang } = input;
  const release = await requireRelease();
  const lesson = lessonOfCourse(release, input.courseId, input.lessonId);
  const question = release.questions.get(questionId);
  // Only a practice question that this lesson embeds can be answered here: exam items never leak.
  if (!lesson || !question || question.use !== "practice" || !lesson.knowledgeChecks.includes(questionId)) {
    return { kind: "not-found" };
  }
  const answer = normalizeAnswer(question, input.answer);
  if (!answer) return { kind: "invalid-answer", questionId };
  const correct = isCorrect(question, answer);

  const { attempt, lessonComplete } = await getDb().transaction(async (tx) => {
    await lockProgressRow(tx, userId, lesson, null);
    const [previous] = await tx
      .select({ n: count() })
      .from(knowledgeCheckAnswers)
      .where(and(eq(knowledgeCheckAnswers.userId, userId), eq(knowledgeCheckAnswers.questionId, questionId)));
    const attempt = Number(previous?.n ?? 0) + 1;
    await tx.insert(knowledgeCheckAnswers).values({
      userId,
      questionId,
      lessonId: lesson.id,
      releaseNumber: release.number,
      answer,
      correct,
      attempt,
      language: lang,
    });
    return { attempt, lessonComplete: correct ? await completeIfDone(tx, userId, lesson) : false };
  });

  // Japanese explanations and hints carry their phrase breaks, like the rest of the check.
  const explanation = displayText(release, question.explanation[lang], lang);
  if (correct) return { kind: "correct", questionId, key: question.answer, explanation, lessonComplete };
  const revealed = attempt >= KEY_REVEALED_FROM_ATTEMPT;
  return {
    kind: "incorrect",
    questionId,
    attempt,
    hint: question.hint ? displayText(release, question.hint[lang], lang) : null,
    reveal: revealed ? { key: question.answer, explanation } : null,
  };
}
