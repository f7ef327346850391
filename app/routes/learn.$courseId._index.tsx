import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tracksOfCourse } from "~/assessment/exams.server";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { courseView } from "~/learning/views.server";
import { ErrorPage } from "~/ui/error-page";
import { ProgressBar, StatusBadge } from "~/ui/progress-bar";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const [release, lang] = await Promise.all([requireRelease(), requestLanguage(request)]);
  const view = await courseView(release, user.id, params.courseId ?? "", lang);
  if (!view) throw new Response("Not found", { status: 404 });
  return { ...view, tracks: await tracksOfCourse(view.course.id, lang) };
}

export default function CoursePage() {
  const { t } = useTranslation();
  const { course, lessons, progress, tracks, nextSteps } = useLoaderData<typeof loader>();
  const action = progress.status === "complete" ? "review" : progress.status === "in-progress" ? "continue" : "start";
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav aria-label={t("learning.breadcrumb")} className="text-sm">
        <Link to="/learn" className="text-indigo-700 hover:underline">
          {t("learning.title")}
        </Link>
      </nav>
      <header className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h1 className="text-2xl font-bold tracking-tight">{course.title}</h1>
          <StatusBadge status={progress.status} />
        </div>
        <p className="auto-phrase mt-2 text-slate-700">{course.summary}</p>
        <div className="mt-4">
          <ProgressBar value={progress.completed} max={progress.total} label={t("learning.progress", { done: progress.completed, total: progress.total })} />
          <p className="mt-1 text-sm text-slate-600">
            {t("learning.progress", { done: progress.completed, total: progress.total })} ·{" "}
            {progress.minutesLeft > 0 ? t("learning.minutesLeft", { count: progress.minutesLeft }) : t("learning.status.complete")}
          </p>
        </div>
        {progress.resumeLessonId ? (
          <Link
            to={`/learn/${course.id}/${progress.resumeLessonId}`}
            className="mt-4 inline-flex rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
          >
            {t(`learning.${action}`)}
          </Link>
        ) : null}
      </header>
      <section aria-labelledby="lessons-heading">
        <h2 id="lessons-heading" className="text-lg font-semibold">
          {t("learning.lessons")}
        </h2>
        <ol className="mt-3 divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          {lessons.map((lesson, i) => (
            <li key={lesson.id}>
              <Link to={`/learn/${course.id}/${lesson.id}`} className="flex items-start gap-4 px-5 py-4 hover:bg-slate-50">
                <span
                  aria-hidden="true"
                  className={`mt-0.5 flex h-7 w-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${
                    lesson.status === "complete" ? "bg-emerald-600 text-white" : "bg-slate-100 text-slate-700"
                  }`}
                >
                  {lesson.status === "complete" ? "✓" : i + 1}
                </span>
                <span className="flex-1">
                  <span className="block font-medium text-slate-900">{lesson.title}</span>
                  <span className="mt-0.5 block text-sm text-slate-600">{lesson.summary}</span>
                </span>
                <span className="flex shrink-0 flex-col items-end gap-1 text-xs text-slate-600">
                  <StatusBadge status={lesson.status} />
                  {t("learning.minutes", { count: lesson.minutes })}
                </span>
              </Link>
            </li>
          ))}
        </ol>
      </section>
      {nextSteps.length > 0 ? (
        <section aria-labelledby="next-steps-heading" className="rounded-xl border border-emerald-300 bg-emerald-50 p-5" data-testid="course-next-steps">
          <h2 id="next-steps-heading" className="font-semibold text-emerald-950">
            <span aria-hidden="true">✓ </span>
            {t("learning.courseDone.heading")}
          </h2>
          <ul className="mt-2 space-y-3">
            {nextSteps.map((step) => (
              <li key={step.trackId} className="text-slate-900">
                {step.kind === "exam" ? (
                  <>
                    <p>{t("learning.courseDone.examReady", { track: step.trackTitle })}</p>
                    <Link to={`/tracks/${step.trackId}`} className="mt-2 inline-flex rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
                      {t("learning.courseDone.toExam")}
                    </Link>
                  </>
                ) : (
                  <>
                    <p>{t("learning.courseDone.nextCourse", { track: step.trackTitle, course: step.courseTitle, count: step.coursesLeft })}</p>
                    <p className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
                      <Link to={`/learn/${step.courseId}`} className="inline-flex rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
                        {t("learning.courseDone.toCourse", { course: step.courseTitle })}
                      </Link>
                      <Link to={`/tracks/${step.trackId}`} className="self-center text-sm font-medium text-indigo-700 underline">
                        {t("learning.courseDone.toTrack", { track: step.trackTitle })}
                      </Link>
                    </p>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {tracks.length > 0 && nextSteps.length === 0 ? (
        <section aria-labelledby="course-tracks-heading" className="rounded-xl border border-indigo-200 bg-indigo-50/60 p-5" data-testid="course-tracks">
          <h2 id="course-tracks-heading" className="font-semibold text-slate-900">
            {t("track.fromCourse")}
          </h2>
          <ul className="mt-2 space-y-1">
            {tracks.map((track) => (
              <li key={track.id}>
                <Link to={`/tracks/${track.id}`} className="font-medium text-indigo-700 underline">
                  {track.title}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = (args) => {
  const [base] = pageTitle(args, "learning.title");
  return args.data && !args.error ? [{ title: `${args.data.course.title} | Manabi` }] : [base!];
};

export function ErrorBoundary() {
  return <ErrorPage />;
}
