import type { Course, Lesson } from "~/content/types";

export type LessonProgressRow = { lessonId: string; startedAt: Date | string; readAt: Date | string | null };
export type LessonStatus = "not-started" | "in-progress" | "complete";

/** A lesson is complete when it was read to the end and each of its knowledge checks was answered right once. */
export function lessonStatus(
  lesson: Pick<Lesson, "knowledgeChecks">,
  progress: LessonProgressRow | undefined,
  correctQuestionIds: ReadonlySet<string>,
): LessonStatus {
  if (!progress) return "not-started";
  const checksDone = lesson.knowledgeChecks.every((id) => correctQuestionIds.has(id));
  return progress.readAt && checksDone ? "complete" : "in-progress";
}

export type CourseProgress = {
  courseId: string;
  total: number;
  completed: number;
  minutesTotal: number;
  minutesLeft: number;
  status: LessonStatus;
  /** The first unfinished lesson (where "continue" goes), or the first lesson when all are done. */
  resumeLessonId: string | null;
  lessons: { id: string; status: LessonStatus }[];
};

/** Progress over the lessons the course has in this release: removed lessons no longer count. */
export function courseProgress(
  course: Pick<Course, "id" | "lessons">,
  lessonsById: ReadonlyMap<string, Pick<Lesson, "id" | "minutes" | "knowledgeChecks">>,
  progressByLesson: ReadonlyMap<string, LessonProgressRow>,
  correctQuestionIds: ReadonlySet<string>,
): CourseProgress {
  const lessons = course.lessons.map((id) => lessonsById.get(id)).filter((l): l is NonNullable<typeof l> => Boolean(l));
  const statuses = lessons.map((l) => ({ id: l.id, status: lessonStatus(l, progressByLesson.get(l.id), correctQuestionIds) }));
  const completed = statuses.filter((s) => s.status === "complete").length;
  const minutesTotal = lessons.reduce((n, l) => n + l.minutes, 0);
  const minutesLeft = lessons.reduce((n, l, i) => n + (statuses[i]!.status === "complete" ? 0 : l.minutes), 0);
  const firstOpen = statuses.find((s) => s.status !== "complete");
  const status: LessonStatus =
    lessons.length > 0 && completed === lessons.length
      ? "complete"
      : statuses.some((s) => s.status !== "not-started")
        ? "in-progress"
        : "not-started";
  return {
    courseId: course.id,
    total: lessons.length,
    completed,
    minutesTotal,
    minutesLeft,
    status,
    resumeLessonId: firstOpen?.id ?? lessons[0]?.id ?? null,
    lessons: statuses,
  };
}
