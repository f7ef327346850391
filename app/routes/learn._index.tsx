import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { myTracksView, type TrackSummaryStatus } from "~/assessment/exams.server";
import { myAssignments } from "~/assignments/assignments.server";
import { AssignedDue, toAssignmentView } from "~/assignments/my-assignments";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { formatDate, formatDateTime } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { myLearningView } from "~/learning/views.server";
import { ErrorPage } from "~/ui/error-page";
import { ProgressBar, StatusBadge } from "~/ui/progress-bar";
import { useLanguage } from "~/ui/use-viewer";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const [release, lang] = await Promise.all([requireRelease(), requestLanguage(request)]);
  const [courses, tracks, assigned] = await Promise.all([myLearningView(release, user.id, lang), myTracksView(user.id, lang), myAssignments(release, user.id)]);
  const assignments = assigned.map(toAssignmentView);
  return { courses, tracks, assignments };
}

const TRACK_TONE: Record<TrackSummaryStatus["kind"], string> = {
  "exam-in-progress": "bg-amber-100 text-amber-900",
  certified: "bg-emerald-100 text-emerald-800",
  "recertification-open": "bg-sky-100 text-sky-900",
  "exam-ready": "bg-indigo-100 text-indigo-900",
  "retake-wait": "bg-slate-100 text-slate-800",
  "no-attempts-left": "bg-red-100 text-red-900",
  "courses-in-progress": "bg-amber-100 text-amber-900",
  "not-started": "bg-slate-100 text-slate-700",
};

/** Where the person stands on a track, in words (never colour alone). */
function TrackStatus({ status }: { status: TrackSummaryStatus }) {
  const { t } = useTranslation();
  const language = useLanguage();
  let text: string;
  switch (status.kind) {
    case "certified":
      text = t("track.status.certified", { date: formatDate(status.validUntil, language) });
      break;
    case "recertification-open":
      text = t("track.status.recertification-open", { date: formatDate(status.validUntil, language) });
      break;
    case "retake-wait":
      text = t("track.status.retake-wait", { date: formatDateTime(status.opensAt, language) });
      break;
    case "courses-in-progress":
      text = t("track.status.courses-in-progress", { done: status.done, total: status.total });
      break;
    default:
      text = t(`track.status.${status.kind}`);
  }
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${TRACK_TONE[status.kind]}`} data-testid="track-status" data-kind={status.kind}>
      {status.kind === "certified" ? "✓ " : ""}
      {text}
    </span>
  );
}

export default function MyLearning() {
  const { t } = useTranslation();
  const { courses, tracks, assignments } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("learning.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("learning.intro")}</p>
      </header>
      {tracks.length > 0 ? (
        <section aria-labelledby="tracks-heading">
          <h2 id="tracks-heading" className="text-lg font-semibold">
            {t("track.listTitle")}
          </h2>
          <ul className="mt-3 grid gap-4 md:grid-cols-2" data-testid="tracks">
            {tracks.map((track) => (
              <li key={track.id} className="flex flex-col rounded-xl border border-indigo-200 bg-white p-6 shadow-sm" data-track={track.id}>
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <h3 className="text-lg font-semibold text-slate-900">
                    <Link to={`/tracks/${track.id}`} className="hover:underline">
                      {track.title}
                    </Link>
                  </h3>
                  <TrackStatus status={track.status} />
                </div>
                <AssignedDue item={assignments.find((a) => a.trackId === track.id)} />
                <p className="auto-phrase mt-2 line-clamp-3 flex-1 text-sm text-slate-700">{track.summary}</p>
                <Link
                  to={`/tracks/${track.id}`}
                  className="mt-4 inline-flex items-center justify-center self-start rounded-md border border-indigo-600 px-4 py-2 text-sm font-semibold text-indigo-700 hover:bg-indigo-50"
                  aria-label={`${t("track.open")}: ${track.title}`}
                >
                  {t("track.open")}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2 className="text-lg font-semibold">{t("track.coursesHeading")}</h2>
      <ul className="grid gap-4 md:grid-cols-2 lg:grid-cols-3" data-testid="courses">
        {courses.map((course) => {
          const p = course.progress;
          const action = p.status === "complete" ? "review" : p.status === "in-progress" ? "continue" : "start";
          return (
            <li key={course.id} className="flex flex-col rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
              <div className="flex items-start justify-between gap-2">
                <h2 className="text-lg font-semibold text-slate-900">
                  <Link to={`/learn/${course.id}`} className="hover:underline">
                    {course.title}
                  </Link>
                </h2>
                <StatusBadge status={p.status} />
              </div>
              <p className="auto-phrase mt-2 flex-1 text-sm text-slate-700">{course.summary}</p>
              <p className="mt-4 text-xs text-slate-600">
                {t("learning.courseMeta", { count: p.total, minutes: p.minutesTotal })}
              </p>
              <div className="mt-2">
                <ProgressBar value={p.completed} max={p.total} label={t("learning.progress", { done: p.completed, total: p.total })} />
                <p className="mt-1 text-xs text-slate-600">
                  {t("learning.progress", { done: p.completed, total: p.total })}
                  {p.minutesLeft > 0 && p.status !== "not-started" ? ` · ${t("learning.minutesLeft", { count: p.minutesLeft })}` : ""}
                </p>
              </div>
              {p.resumeLessonId ? (
                <Link
                  to={`/learn/${course.id}/${p.resumeLessonId}`}
                  className="mt-4 inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
                  aria-label={`${t(`learning.${action}`)}: ${course.title}`}
                >
                  {t(`learning.${action}`)}
                </Link>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "learning.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
