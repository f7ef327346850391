import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/session.server";
import { checkDraft } from "~/content/authoring.server";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { ProblemList } from "~/ui/problem-list";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "preview:content");
  const { bundle, problems } = await checkDraft();
  const courses =
    bundle?.courses.map((c) => ({
      id: c.id,
      title: c.title,
      lessons: c.lessons.map((id) => {
        const l = bundle.lessons.find((x) => x.id === id);
        return { id, title: l?.title ?? { en: id, ja: id }, minutes: l?.minutes ?? 0 };
      }),
    })) ?? [];
  return { courses, problems, ok: Boolean(bundle) };
}

export default function Preview() {
  const { t } = useTranslation();
  const { courses, problems, ok } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <nav aria-label={t("learning.breadcrumb")} className="text-sm">
        <Link to="/authoring" className="text-indigo-700 hover:underline">
          {t("authoring.title")}
        </Link>
      </nav>
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("authoring.previewTitle")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("authoring.previewIntro")}</p>
      </header>
      <section aria-labelledby="problems-heading">
        <h2 id="problems-heading" className="text-lg font-semibold">
          {t("authoring.checkResults")}
        </h2>
        <div className="mt-2">
          <ProblemList problems={problems} />
        </div>
      </section>
      {ok ? (
        <section aria-labelledby="lessons-heading" className="space-y-4">
          <h2 id="lessons-heading" className="text-lg font-semibold">
            {t("learning.lessons")}
          </h2>
          {courses.map((c) => (
            <div key={c.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <h3 className="font-semibold">
                {c.title.ja} <span className="font-normal text-slate-600" lang="en">/ {c.title.en}</span>
              </h3>
              <ol className="mt-2 list-decimal space-y-1 pl-6 text-sm">
                {c.lessons.map((l) => (
                  <li key={l.id}>
                    <Link to={`/authoring/preview/${l.id}`} className="text-indigo-700 underline underline-offset-2 hover:decoration-2">
                      {l.title.ja}
                    </Link>{" "}
                    <span className="text-slate-600" lang="en">
                      / {l.title.en}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </section>
      ) : (
        <p className="text-slate-700">{t("authoring.previewBlocked")}</p>
      )}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "authoring.previewTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
