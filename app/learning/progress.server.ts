import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { knowledgeCheckAnswers, lessonProgress } from "#db/schema";
import { isCorrect, normalizeAnswer } from "~/assessment/grading";
import type { LoadedRelease } from "~/content/release.server";
import type { Lang, Lesson, Question } from "~/content/types";
import { courseProgress, lessonStatus, type CourseProgress, type LessonProgressRow } from "./completion";

export type LearnerProgress = {
  byLesson: Map<string, LessonProgressRow & { completedAt: Date | string | null }>;
  correct: Set<string>;
};

/** One person's lesson progress and the knowledge checks they have answered right: two indexed queries. */
export async function getLearnerProgress(userId: string): Promise<LearnerProgress> {
  const db = getDb();
  const [rows, correctRows] = await Promise.all([
    db
      .select({
        lessonId: lessonProgress.lessonId,
        startedAt: lessonProgress.startedAt,
        readAt: lessonProgress.readAt,
        completedAt: lessonProgress.completedAt,
      })
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, userId)),
    db
      .selectDistinct({ questionId: knowledgeCheckAnswers.questionId })
      .from(knowledgeCheckAnswers)
      .where(and(eq(knowledgeCheckAnswers.userId, userId), eq(knowledgeCheckAnswers.correct, true))),
  ]);
  return { byLesson: new Map(rows.map((r) => [r.lessonId, r])), correct: new Set(correctRows.map((r) => r.questionId)) };
}

export function progressOfCourses(release: LoadedRelease, progress: LearnerProgress): CourseProgress[] {
  return release.bundle.courses.map((course) => courseProgress(course, release.lessons, progress.byLesson, progress.correct));
}

/** Records that the person opened the lesson (first time only). */
export async function markLessonOpened(userId: string, lesson: Pick<Lesson, "id" | "courseId">): Promise<void> {
  await getDb()
    .insert(lessonProgress)
    .values({ userId, lessonId: lesson.id, courseId: lesson.courseId })
    .onConflictDoNothing();
}

async function completeIfDone(userId: string, lesson: Lesson): Promise<boolean> {
  const progress = await getLearnerProgress(userId);
  const status = lessonStatus(lesson, progress.byLesson.get(lesson.id), progress.correct);
  if (status !== "complete") return false;
  await getDb()
    .update(lessonProgress)
    .set({ completedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.lessonId, lesson.id), isNull(lessonProgress.completedAt)));
  return true;
}

/** The person reached the end of the lesson. Idempotent: the first time counts. */
export async function markLessonRead(userId: string, lesson: Lesson): Promise<{ complete: boolean }> {
  const now = new Date();
  await getDb()
    .insert(lessonProgress)
    .values({ userId, lessonId: lesson.id, courseId: lesson.courseId, readAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.userId, lessonProgress.lessonId],
      set: { readAt: sql`coalesce(${lessonProgress.readAt}, excluded.read_at)`, updatedAt: now },
    });
  return { complete: await completeIfDone(userId, lesson) };
}

export type KnowledgeCheckResult =
  | { ok: true; correct: boolean; answer: string[]; explanation: string; lessonComplete: boolean }
  | { ok: false; reason: "invalid-answer" };

/** Grades a knowledge-check answer on the server, records it (for item analysis) and returns the explanation. */
export async function answerKnowledgeCheck(input: {
  userId: string;
  release: LoadedRelease;
  lesson: Lesson;
  question: Question;
  rawAnswer: string[];
  language: Lang;
}): Promise<KnowledgeCheckResult> {
  const { userId, release, lesson, question, language } = input;
  const answer = normalizeAnswer(question, input.rawAnswer);
  if (!answer) return { ok: false, reason: "invalid-answer" };
  const correct = isCorrect(question, answer);
  await markLessonOpened(userId, lesson);
  await getDb().insert(knowledgeCheckAnswers).values({
    userId,
    questionId: question.id,
    lessonId: lesson.id,
    releaseNumber: release.number,
    answer,
    correct,
    language,
  });
  const lessonComplete = correct ? await completeIfDone(userId, lesson) : false;
  return { ok: true, correct, answer: question.answer, explanation: question.explanation[language], lessonComplete };
}
