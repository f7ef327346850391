import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { myLearningView } from "~/learning/views.server";
import { ErrorPage } from "~/ui/error-page";
import { ProgressBar, StatusBadge } from "~/ui/progress-bar";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const [release, lang] = await Promise.all([requireRelease(), requestLanguage(request)]);
  return { courses: await myLearningView(release, user.id, lang) };
}

export default function MyLearning() {
  const { t } = useTranslation();
  const { courses } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("learning.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("learning.intro")}</p>
      </header>
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
