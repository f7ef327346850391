import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import i18next from "i18next";
import { I18nextProvider, useTranslation } from "react-i18next";
import { useMemo } from "react";
import { requirePermission } from "~/auth/session.server";
import { checkDraft, draftLessonChanges } from "~/content/authoring.server";
import { indexRelease } from "~/content/release.server";
import { ensureLanguages, type LanguagesHandle } from "~/i18n/client-locale";
import { supportedLanguages } from "~/i18n/settings";
import { pageTitle } from "~/i18n/meta";
import { lessonContent } from "~/learning/views.server";
import { LessonBody } from "~/mdx/lesson-body";
import { LessonProvider } from "~/mdx/lesson-context";
import { ErrorPage } from "~/ui/error-page";
import { ProblemList } from "~/ui/problem-list";
import { useLanguage } from "~/ui/use-viewer";

// The two columns show the components' labels in each language: the page loads every language's texts
// (root.tsx preloads them, entry.client.tsx waits for them), not only the reader's.
export const handle: LanguagesHandle = { languages: "all" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "preview:content");
  const { bundle, problems } = await checkDraft();
  if (!bundle) throw new Response("The draft has errors", { status: 409 });
  const lesson = bundle.lessons.find((l) => l.id === params.lessonId);
  if (!lesson) throw new Response("Not found", { status: 404 });
  const draft = indexRelease(0, new Date(), bundle);
  const changes = await draftLessonChanges(bundle, lesson.id);
  const side = (lang: "ja" | "en") => ({
    lang,
    title: lesson.title[lang],
    summary: lesson.summary[lang],
    body: draft.serializedBodies.get(`${lesson.id}:${lang}`)!,
    changes: changes ? { releaseNumber: changes.releaseNumber, ...changes.sides[lang] } : null,
    ...lessonContent(draft, lesson, lang),
  });
  return {
    id: lesson.id,
    title: lesson.title,
    minutes: lesson.minutes,
    files: lesson.files,
    sides: [side("ja"), side("en")],
    problems: problems.filter((p) => p.file === lesson.files.en || p.file === lesson.files.ja),
  };
}

/** Reached by a link (no reload): the other language's texts arrive with the data, before the columns render. */
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const [data] = await Promise.all([serverLoader<typeof loader>(), ensureLanguages(i18next, supportedLanguages)]);
  return data;
}

function Side({ side }: { side: ReturnType<typeof useLoaderData<typeof loader>>["sides"][number] }) {
  const { t, i18n } = useTranslation();
  // Each column renders its components' labels in its own language; the author's marks stay in the page's.
  const fixed = useMemo(() => {
    const clone = i18n.cloneInstance({ lng: side.lang });
    return clone;
  }, [i18n, side.lang]);
  const changes = side.changes;
  return (
    <I18nextProvider i18n={fixed}>
      <section lang={side.lang} className="min-w-0 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-side={side.lang}>
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">{side.lang === "ja" ? "日本語" : "English"}</p>
        <div lang={i18n.language} className="mt-2 space-y-1 text-sm" data-testid="preview-changes">
          <p className={changes?.status === "unchanged" ? "text-slate-600" : "font-semibold text-amber-900"}>
            {!changes
              ? t("authoring.previewNoRelease")
              : changes.status === "new"
                ? t("authoring.previewNew", { number: changes.releaseNumber })
                : changes.status === "changed"
                  ? t("authoring.previewChanged", { number: changes.releaseNumber })
                  : t("authoring.previewUnchanged", { number: changes.releaseNumber })}
          </p>
          {changes?.behind ? (
            <p className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-amber-900" data-testid="preview-behind">
              {changes.behind.since ? t("authoring.previewBehind", { since: changes.behind.since }) : t("authoring.previewBehindUndated")}
            </p>
          ) : null}
        </div>
        <h2 className="mt-1 text-2xl font-bold">{side.title}</h2>
        <p className="mt-2 text-slate-700">{side.summary}</p>
        <LessonProvider value={{ questions: side.questions, terms: side.terms, answeredCorrectly: [], answerAction: null }}>
          <LessonBody
            source={side.body}
            idPrefix={`${side.lang}-`}
            changed={changes && changes.status !== "new" ? { blocks: changes.changedBlocks, label: t("authoring.previewChangedBlock") } : undefined}
          />
        </LessonProvider>
      </section>
    </I18nextProvider>
  );
}

export default function LessonPreview() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <nav aria-label={t("learning.breadcrumb")} className="flex gap-1 text-sm">
        <Link to="/authoring" className="text-indigo-700 hover:underline">
          {t("authoring.title")}
        </Link>
        <span aria-hidden="true">›</span>
        <Link to="/authoring/preview" className="text-indigo-700 hover:underline">
          {t("authoring.previewTitle")}
        </Link>
      </nav>
      <header>
        <h1 className="text-xl font-bold">
          {t("authoring.previewLesson", { title: data.title[language], id: data.id })}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          <code>{data.files.ja}</code> · <code>{data.files.en}</code> · {t("learning.minutes", { count: data.minutes })}
        </p>
      </header>
      {data.problems.length > 0 ? <ProblemList problems={data.problems} /> : null}
      <div className="grid gap-6 xl:grid-cols-2">
        {data.sides.map((side) => (
          <Side key={side.lang} side={side} />
        ))}
      </div>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "authoring.previewTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
