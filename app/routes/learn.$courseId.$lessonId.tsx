import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { requirePermission, requirePermissionWith } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { answerKnowledgeCheck, markLessonOpened, markLessonRead, progressWithSession } from "~/learning/progress.server";
import { lessonView } from "~/learning/views.server";
import { LessonBody } from "~/mdx/lesson-body";
import { LessonProvider } from "~/mdx/lesson-context";
import { PhraseText } from "~/mdx/phrase-text";
import { CsrfInput, useCsrfToken } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { StatusBadge } from "~/ui/progress-bar";

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("open") }),
  z.object({ intent: z.literal("read"), proof: z.string().max(100).optional() }),
  z.object({ intent: z.literal("answer"), questionId: z.string().min(1).max(100), answer: z.array(z.string().max(20)).max(10) }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  // The session and the learner's progress: one statement, shared with the root loader's session check.
  const { user, value: progress } = await requirePermissionWith(request, "read:learning:own", progressWithSession);
  const [release, lang] = await Promise.all([requireRelease(), requestLanguage(request)]);
  const view = lessonView(release, user.id, progress, params.courseId ?? "", params.lessonId ?? "", lang);
  if (!view) throw new Response("Not found", { status: 404 });
  return view;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:learning:own");
  const formData = await readForm(request);
  const parsed = actionSchema.safeParse({
    intent: formData.get("intent"),
    proof: formData.get("proof") ?? undefined,
    questionId: formData.get("questionId") ?? undefined,
    answer: formData.getAll("answer").filter((v): v is string => typeof v === "string"),
  });
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const where = { userId: user.id, courseId: params.courseId ?? "", lessonId: params.lessonId ?? "" };
  const input = parsed.data;
  switch (input.intent) {
    case "open": {
      const result = await markLessonOpened(where);
      if (result.kind === "not-found") throw new Response("Not found", { status: 404 });
      return { intent: "open" as const };
    }
    case "read": {
      const result = await markLessonRead({ ...where, proof: input.proof ?? null });
      if (result.kind === "not-found") throw new Response("Not found", { status: 404 });
      if (result.kind === "read") return { intent: "read" as const, ok: true as const, complete: result.complete };
      const waitSeconds = result.kind === "too-soon" ? Math.ceil((result.readableAt.getTime() - Date.now()) / 1000) : null;
      return { intent: "read" as const, ok: false as const, reason: result.kind, waitSeconds };
    }
    case "answer": {
      const lang = await requestLanguage(request);
      const result = await answerKnowledgeCheck({ ...where, questionId: input.questionId, answer: input.answer, lang });
      return { intent: "answer" as const, result };
    }
  }
}

/** Only the page's own form posts change what it shows; the background "opened" note never re-runs the loader. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => {
  if (formData?.get("intent") === "open") return false;
  return defaultShouldRevalidate;
};

/** Tells the server once that the page was shown (never recorded by the GET itself: prefetches and crawlers write nothing). */
function useOpenedOnce(opened: boolean) {
  const fetcher = useFetcher<typeof action>({ key: "lesson-open" });
  const csrf = useCsrfToken();
  const location = useLocation();
  useEffect(() => {
    if (opened) return;
    fetcher.submit({ intent: "open", csrf }, { method: "post", action: location.pathname });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, location.pathname]);
}

/**
 * Tells the server, once, that the reader reached the end of the lesson, with the page's reading proof.
 * Reaching the end sooner than the minimum reading time waits until that time has passed on this page.
 */
function useReadToEnd(alreadyRead: boolean, reading: { token: string; minimumSeconds: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const fetcher = useFetcher<typeof action>({ key: "lesson-read" });
  const csrf = useCsrfToken();
  const sent = useRef(alreadyRead);
  const shownAt = useRef(Date.now());
  // The first proof this page got: it says when the lesson was first shown (the loader issues a newer
  // one each time it runs again, e.g. after a knowledge-check answer).
  const firstProof = useRef(reading.token);
  const location = useLocation();
  useEffect(() => {
    sent.current = alreadyRead;
    shownAt.current = Date.now();
    firstProof.current = reading.token;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.pathname]);
  useEffect(() => {
    if (alreadyRead) sent.current = true;
  }, [alreadyRead]);
  // Sent a little too soon (the server's clock is the judge): send again when it says it will count.
  const reply = fetcher.data;
  useEffect(() => {
    if (!reply || reply.intent !== "read" || reply.ok || reply.reason !== "too-soon") return;
    const timer = setTimeout(
      () => fetcher.submit({ intent: "read", proof: firstProof.current, csrf }, { method: "post", action: location.pathname }),
      Math.max(1, reply.waitSeconds ?? 1) * 1000 + 250,
    );
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reply]);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = () => {
      sent.current = true;
      fetcher.submit({ intent: "read", proof: firstProof.current, csrf }, { method: "post", action: location.pathname });
    };
    const observer = new IntersectionObserver((entries) => {
      if (sent.current || timer || !entries.some((e) => e.isIntersecting)) return;
      const wait = shownAt.current + reading.minimumSeconds * 1000 + 500 - Date.now();
      if (wait <= 0) send();
      else timer = setTimeout(send, wait);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      if (timer) clearTimeout(timer);
    };
  }, [csrf, fetcher, location.pathname, reading.minimumSeconds]);
  return ref;
}

export default function LessonPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const { course, lesson, previous, next, status, read } = data;
  const location = useLocation();
  useOpenedOnce(data.opened);
  const endRef = useReadToEnd(read, data.reading);
  // The automatic "read to the end" retries by itself; only the button's own post explains a refusal.
  const posted = useActionData<typeof action>();
  const readProblem = posted && posted.intent === "read" && !posted.ok ? posted : null;
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
        <h1 className="phrases mt-2 text-3xl font-bold leading-tight tracking-tight text-slate-900">
          <PhraseText text={lesson.shownTitle} />
        </h1>
        <p className="phrases mt-3 text-lg text-slate-700">
          <PhraseText text={lesson.summary} />
        </p>
      </header>
      <LessonProvider
        value={{
          questions: data.questions,
          terms: data.terms,
          answeredCorrectly: data.answeredCorrectly,
          answerAction: location.pathname,
          bodyKey: lesson.bodyKey,
        }}
      >
        <LessonBody source={lesson.body} anchors />
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
            <input type="hidden" name="proof" value={data.reading.token} />
            {readProblem ? (
              <p className="w-full text-sm text-amber-900" role="status">
                {readProblem.reason === "too-soon"
                  ? t("lesson.readTooSoon", { seconds: Math.max(1, readProblem.waitSeconds ?? 1) })
                  : t("lesson.readStale")}
              </p>
            ) : null}
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
            <span className="block text-xs text-slate-600">{t("lesson.lastLesson")}</span>
            <span className="font-medium text-slate-900">{t("lesson.backToCourse")} →</span>
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
