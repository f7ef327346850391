import { displayText, type LoadedRelease } from "~/content/release.server";
import type { Language, Lesson } from "~/content/types";
import type { LessonContextValue } from "~/mdx/lesson-context";
import { courseProgress } from "./completion";
import { nextStepsAfterCourse } from "./next-steps";
import { getLearnerProgress, progressOfCourses, type LearnerProgress } from "./progress.server";
import { minimumReadingSeconds } from "./reading";
import { env } from "~/env.server";
import { createReadingToken } from "./reading-token.server";

/** "My learning": every course of the release with this person's progress. */
export async function myLearningView(release: LoadedRelease, userId: string, lang: Language) {
  const progress = await getLearnerProgress(userId);
  const byCourse = new Map(progressOfCourses(release, progress).map((p) => [p.courseId, p]));
  return release.bundle.courses.map((course) => ({
    id: course.id,
    title: course.title[lang],
    summary: course.summary[lang],
    progress: byCourse.get(course.id)!,
  }));
}

export async function courseView(release: LoadedRelease, userId: string, courseId: string, lang: Language) {
  const course = release.courses.get(courseId);
  if (!course) return null;
  const progress = await getLearnerProgress(userId);
  const summary = courseProgress(course, release.lessons, progress.byLesson, progress.correct);
  const status = new Map(summary.lessons.map((l) => [l.id, l.status]));
  // Once the course is complete: the next course of each track it counts towards, or the track's exam.
  const complete = new Set(progressOfCourses(release, progress).filter((c) => c.status === "complete").map((c) => c.courseId));
  const nextSteps =
    summary.status === "complete"
      ? nextStepsAfterCourse(course.id, release.bundle.tracks, complete, new Set(release.courses.keys())).map((step) => ({
          ...step,
          trackTitle: release.tracks.get(step.trackId)!.title[lang],
          courseTitle: step.kind === "course" ? release.courses.get(step.courseId)!.title[lang] : null,
        }))
      : [];
  return {
    course: { id: course.id, title: course.title[lang], summary: course.summary[lang] },
    progress: summary,
    nextSteps,
    lessons: course.lessons
      .map((id) => release.lessons.get(id))
      .filter((l): l is Lesson => Boolean(l))
      .map((l) => ({ id: l.id, title: l.title[lang], summary: l.summary[lang], minutes: l.minutes, status: status.get(l.id)! })),
  };
}

/** Everything the lesson page renders, in one language, with no answer keys. */
export function lessonContent(release: LoadedRelease, lesson: Lesson, lang: Language): Omit<LessonContextValue, "answeredCorrectly" | "answerAction"> {
  // Japanese text carries its phrase breaks (BREAK → <wbr>), worked out once per release.
  const shown = (text: string) => displayText(release, text, lang);
  const questions: LessonContextValue["questions"] = {};
  for (const id of lesson.knowledgeChecks) {
    const q = release.questions.get(id);
    // Only practice questions are ever shown in a lesson (the checker also refuses exam items there).
    if (!q || q.use !== "practice") continue;
    questions[id] = {
      id,
      type: q.type,
      stem: shown(q.stem[lang]),
      options: q.options.map((o) => ({ id: o.id, text: shown(o.text[lang]) })),
    };
  }
  const terms: LessonContextValue["terms"] = {};
  for (const id of release.termsByLesson.get(lesson.id) ?? []) {
    const term = release.glossary.get(id);
    if (term) terms[id] = { id, term: shown(term.term[lang]), definition: shown(term.definition[lang]) };
  }
  return { questions, terms };
}

/**
 * The lesson page: read-only (a GET never writes; the page itself posts "opened" once it is shown).
 * Carries a reading token that proves when the page was shown, for "read to the end". `progress` is the
 * learner's (read with their session: progressWithSession).
 */
export function lessonView(release: LoadedRelease, userId: string, progress: LearnerProgress, courseId: string, lessonId: string, lang: Language) {
  const course = release.courses.get(courseId);
  const lesson = release.lessons.get(lessonId);
  if (!course || !lesson || lesson.courseId !== courseId) return null;
  const row = progress.byLesson.get(lesson.id);
  // Being on the page counts as in progress for the page's own display, without writing anything.
  const seen = new Map(progress.byLesson);
  if (!row) seen.set(lesson.id, { lessonId: lesson.id, startedAt: new Date(), readAt: null, completedAt: null });
  const summary = courseProgress(course, release.lessons, seen, progress.correct);
  const index = course.lessons.indexOf(lesson.id);
  const neighbour = (id: string | undefined) => {
    const l = id ? release.lessons.get(id) : undefined;
    return l ? { id: l.id, title: l.title[lang] } : null;
  };
  return {
    course: { id: course.id, title: course.title[lang] },
    lesson: {
      id: lesson.id,
      title: lesson.title[lang],
      /** The title and summary as the page shows them (Japanese with phrase breaks). */
      shownTitle: displayText(release, lesson.title[lang], lang),
      summary: displayText(release, lesson.summary[lang], lang),
      minutes: lesson.minutes,
      body: release.serializedBodies.get(`${lesson.id}:${lang}`)!,
      /** The server renders the body to HTML once per release, lesson and language (LessonBody). */
      bodyKey: `${release.number}:${lesson.id}:${lang}`,
      position: index + 1,
      total: course.lessons.length,
    },
    status: summary.lessons.find((l) => l.id === lesson.id)?.status ?? "in-progress",
    opened: Boolean(row),
    read: Boolean(row?.readAt),
    reading: { token: createReadingToken({ userId, lessonId: lesson.id }), minimumSeconds: minimumReadingSeconds(lesson.minutes, env().MANABI_READING_TIME_FACTOR) },
    courseComplete: summary.status === "complete",
    previous: neighbour(course.lessons[index - 1]),
    next: neighbour(course.lessons[index + 1]),
    ...lessonContent(release, lesson, lang),
    answeredCorrectly: lesson.knowledgeChecks.filter((id) => progress.correct.has(id)),
  };
}

/** The home page's "continue where you left off": the course to resume and overall progress. */
export async function homeLearningView(release: LoadedRelease | null, userId: string, lang: Language) {
  if (!release) return null;
  const courses = await myLearningView(release, userId, lang);
  const next =
    courses.find((c) => c.progress.status === "in-progress") ?? courses.find((c) => c.progress.status === "not-started") ?? null;
  const lesson = next?.progress.resumeLessonId ? release.lessons.get(next.progress.resumeLessonId) : undefined;
  return {
    completedLessons: courses.reduce((n, c) => n + c.progress.completed, 0),
    totalLessons: courses.reduce((n, c) => n + c.progress.total, 0),
    completedCourses: courses.filter((c) => c.progress.status === "complete").length,
    totalCourses: courses.length,
    resume:
      next && lesson
        ? {
            courseId: next.id,
            courseTitle: next.title,
            lessonId: lesson.id,
            lessonTitle: lesson.title[lang],
            minutes: lesson.minutes,
            started: next.progress.status === "in-progress",
          }
        : null,
  };
}
