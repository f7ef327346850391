import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { answerKnowledgeCheck, markLessonRead } from "~/learning/progress.server";
import { lessonView } from "~/learning/views.server";
import { LessonBody } from "~/mdx/lesson-body";
import { LessonProvider } from "~/mdx/lesson-context";
import { CsrfInput, useCsrfToken } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { StatusBadge } from "~/ui/progress-bar";

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read") }),
  z.object({ intent: z.literal("answer"), questionId: z.string().min(1) }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const [release, lang] = await Promise.all([requireRelease(), requestLanguage(request)]);
  const view = await lessonView(release, user.id, params.courseId ?? "", params.lessonId ?? "", lang);
  if (!view) throw new Response("Not found", { status: 404 });
  return view;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const formData = await readForm(request);
  const parsed = actionSchema.safeParse({ intent: formData.get("intent"), questionId: formData.get("questionId") ?? undefined });
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const [release, lang] = await Promise.all([requireRelease(), requestLanguage(request)]);
  const lesson = release.lessons.get(params.lessonId ?? "");
  if (!lesson || lesson.courseId !== params.courseId) throw new Response("Not found", { status: 404 });
  if (parsed.data.intent === "read") {
    const { complete } = await markLessonRead(user.id, lesson);
    return { intent: "read" as const, complete };
  }
  const { questionId } = parsed.data;
  const question = release.questions.get(questionId);
  if (!question || !lesson.knowledgeChecks.includes(questionId)) throw new Response("Not found", { status: 404 });
  const rawAnswer = formData.getAll("answer").filter((v): v is string => typeof v === "string");
  const result = await answerKnowledgeCheck({ userId: user.id, release, lesson, question, rawAnswer, language: lang });
  if (!result.ok) return { intent: "answer" as const, questionId, error: "invalid-answer" as const };
  return {
    intent: "answer" as const,
    questionId,
    correct: result.correct,
    answer: result.answer,
    explanation: result.explanation,
    lessonComplete: result.lessonComplete,
  };
}

/** Tells the server, once, that the reader reached the end of the lesson. */
function useReadToEnd(alreadyRead: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  const fetcher = useFetcher({ key: "lesson-read" });
  const csrf = useCsrfToken();
  const sent = useRef(alreadyRead);
  const location = useLocation();
  useEffect(() => {
    sent.current = alreadyRead;
  }, [alreadyRead, location.pathname]);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (sent.current || !entries.some((e) => e.isIntersecting)) return;
      sent.current = true;
      fetcher.submit({ intent: "read", csrf }, { method: "post", action: location.pathname });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [csrf, fetcher, location.pathname]);
  return ref;
}

export default function LessonPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const { course, lesson, previous, next, status, read } = data;
  const location = useLocation();
  const endRef = useReadToEnd(read);
  const needsChecks = read && status !== "complete";
  return (
    <article className="mx-auto max-w-3xl" data-lesson={lesson.id}>
      <nav aria-label={t("learning.breadcrumb")} className="flex flex-wrap gap-1 text-sm text-slate-600">
        <Link to="/learn" className="text-indigo-700 hover:underline">
          {t("learning.title")}
        </Link>
        <span aria-hidden="true">›</span>
        <Link to={`/learn/${course.id}`} className="text-indigo-700 hover:underline">
          {course.title}
        </Link>
      </nav>
      <header className="mt-4 border-b border-slate-200 pb-6">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span>{t("lesson.position", { n: lesson.position, total: lesson.total })}</span>
          <span aria-hidden="true">·</span>
          <span>{t("learning.minutes", { count: lesson.minutes })}</span>
          <StatusBadge status={status} />
        </p>
        <h1 className="mt-2 text-3xl font-bold leading-tight tracking-tight text-slate-900">{lesson.title}</h1>
        <p className="auto-phrase mt-3 text-lg text-slate-700">{lesson.summary}</p>
      </header>
      <LessonProvider
        value={{ questions: data.questions, terms: data.terms, answeredCorrectly: data.answeredCorrectly, answerAction: location.pathname }}
      >
        <LessonBody source={lesson.body} />
      </LessonProvider>
      <div ref={endRef} data-testid="lesson-end" />
      <section className="mt-10 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-live="polite" data-testid="lesson-status">
        {status === "complete" ? (
          <p className="font-semibold text-emerald-800">✓ {t("lesson.complete")}</p>
        ) : needsChecks ? (
          <p className="text-slate-800">{t("lesson.needChecks")}</p>
        ) : (
          <Form method="post" className="flex flex-wrap items-center gap-3">
            <CsrfInput />
            <p className="flex-1 text-slate-700">{t("lesson.readPrompt")}</p>
            <button type="submit" name="intent" value="read" className="rounded-md border border-indigo-600 px-4 py-2 text-sm font-semibold text-indigo-700 hover:bg-indigo-50">
              {t("lesson.markRead")}
            </button>
          </Form>
        )}
      </section>
      <nav aria-label={t("lesson.pager")} className="mt-6 flex flex-wrap justify-between gap-4">
        {previous ? (
          <Link to={`/learn/${course.id}/${previous.id}`} rel="prev" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm hover:border-indigo-300">
            <span className="block text-xs text-slate-600">← {t("lesson.previous")}</span>
            <span className="font-medium text-slate-900">{previous.title}</span>
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`/learn/${course.id}/${next.id}`} rel="next" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-right text-sm hover:border-indigo-300">
            <span className="block text-xs text-slate-600">{t("lesson.next")} →</span>
            <span className="font-medium text-slate-900">{next.title}</span>
          </Link>
        ) : (
          <Link to={`/learn/${course.id}`} className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-right text-sm hover:border-indigo-300">
            <span className="block text-xs text-slate-600">{t("lesson.next")} →</span>
            <span className="font-medium text-slate-900">{t("lesson.backToCourse")}</span>
          </Link>
        )}
      </nav>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = (args) => {
  if (args.error || !args.data) return pageTitle(args, "learning.title");
  return [{ title: `${args.data.lesson.title} | ${args.data.course.title} | Manabi` }];
};

export function ErrorBoundary() {
  return <ErrorPage />;
}
