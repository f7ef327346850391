import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate, useSubmit, type ShouldRevalidateFunction } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { SaveQueue, type PendingChange, type QueueState, type SaveReply } from "~/assessment/exam-save-queue";
import { ExamTimer } from "~/assessment/exam-timer";
import { examSession, saveExamAnswer, submitExam, type SaveResult } from "~/assessment/exams.server";
import { QuestionNavigator } from "~/assessment/question-navigator";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { DISPLAY_TIME_ZONE } from "~/i18n/format";
import { CsrfInput, useCsrfToken } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { PhraseText } from "~/mdx/phrase-text";
import { useLanguage } from "~/ui/use-viewer";

const position = z.coerce.number().int().min(0).max(1000);
const answerField = z.array(z.string().min(1).max(20)).max(10);

/** The page's own form posts: the way the exam works without JavaScript (and the final submit with it). */
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save-and-go"), position, go: position, answer: answerField, answered: z.literal("1").optional() }),
  z.object({ intent: z.literal("flag"), position, flagTo: z.enum(["true", "false"]), answer: answerField, answered: z.literal("1").optional() }),
  z.object({ intent: z.literal("submit-confirm"), position, answer: answerField, answered: z.literal("1").optional() }),
  z.object({ intent: z.literal("submit") }),
]);

const examPath = (attemptId: string) => `/exams/${attemptId}`;
const resultPath = (attemptId: string) => `/exams/${attemptId}/result`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const lang = await requestLanguage(request);
  const attemptId = params.attemptId ?? "";
  const view = await examSession(user.id, attemptId, lang);
  if (view.kind === "not-found") throw new Response("Not found", { status: 404 });
  if (view.kind === "finished") throw redirect(resultPath(attemptId));
  const url = new URL(request.url);
  // ?q= (1-based) keeps the question across a language switch or a reload; else where the saves left it.
  const q = Number(url.searchParams.get("q"));
  const current = Number.isInteger(q) && q >= 1 && q <= view.questions.length ? q - 1 : Math.min(view.position, view.questions.length - 1);
  return { ...view, position: current, confirm: url.searchParams.get("confirm") === "1" };
}

function refusedSave(result: SaveResult, attemptId: string): never {
  if (result.kind === "finished" || result.kind === "deadline-passed") throw redirect(`${resultPath(attemptId)}?late=${result.kind === "deadline-passed" ? 1 : 0}`);
  if (result.kind === "not-found") throw new Response("Not found", { status: 404 });
  throw new Response("Bad request", { status: 400 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:learning:own");
  const formData = await readForm(request);
  const attemptId = params.attemptId ?? "";
  const go = formData.get("go");
  const parsed = actionSchema.safeParse({
    // The navigation buttons carry only `go`: they save the current answer and open that question.
    intent: formData.get("intent") ?? (go !== null ? "save-and-go" : undefined),
    position: formData.get("position") ?? undefined,
    go: go ?? undefined,
    flagTo: formData.get("flagTo") ?? undefined,
    answer: formData.getAll("answer"),
    answered: formData.get("answered") ?? undefined,
  });
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const input = parsed.data;
  if (input.intent === "submit") {
    const result = await submitExam({ userId: user.id, attemptId });
    if (result.kind === "not-found") throw new Response("Not found", { status: 404 });
    return redirect(resultPath(attemptId));
  }
  // An answer is saved when one is chosen, or when a saved answer was cleared (multiple choice).
  const answer = input.answer.length > 0 || input.answered ? { answer: input.answer } : {};
  const flag = input.intent === "flag" ? { flagged: input.flagTo === "true" } : {};
  const at = input.intent === "save-and-go" ? input.go : input.position;
  if ("answer" in answer || "flagged" in flag) {
    const result = await saveExamAnswer({ userId: user.id, attemptId, position: input.position, at, ...answer, ...flag });
    if (result.kind !== "saved") refusedSave(result, attemptId);
  }
  const confirm = input.intent === "submit-confirm" ? "&confirm=1" : "";
  return redirect(`${examPath(attemptId)}?q=${at + 1}${confirm}`);
}

/** Moving between questions only changes ?q=: the page already holds every question, so nothing reloads. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname) {
    const rest = (u: URL) => {
      const s = new URLSearchParams(u.search);
      s.delete("q");
      return s.toString();
    };
    if (rest(currentUrl) === rest(nextUrl)) return false;
  }
  return defaultShouldRevalidate;
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function formatClock(iso: string, language: "ja" | "en") {
  return new Intl.DateTimeFormat(language === "ja" ? "ja-JP" : "en-GB", { timeStyle: "medium", timeZone: DISPLAY_TIME_ZONE }).format(new Date(iso));
}

async function postSave(attemptId: string, csrf: string, position: number, change: PendingChange, at: number): Promise<SaveReply> {
  const body = new URLSearchParams({ csrf, position: String(position), at: String(at) });
  if (change.answer) {
    body.set("setAnswer", "1");
    for (const a of change.answer) body.append("answer", a);
  }
  if (change.flagged !== undefined) body.set("flagged", String(change.flagged));
  const response = await fetch(`${examPath(attemptId)}/answer`, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } });
  const reply = (await response.json().catch(() => ({}))) as { kind?: string; savedAt?: string };
  if (response.status === 200 && reply.kind === "saved" && reply.savedAt) return { status: "saved", savedAt: reply.savedAt };
  if (response.status === 401) return { status: "signed-out" };
  if (response.status === 409 && (reply.kind === "finished" || reply.kind === "deadline-passed")) return { status: "closed", kind: reply.kind };
  if (response.status >= 400 && response.status < 500) return { status: "refused", kind: reply.kind ?? String(response.status) };
  return { status: "failed" };
}

function SaveStatus({
  state,
  unsent,
  onRetry,
  onLeave,
  signInHref,
}: {
  state: QueueState;
  unsent: number;
  onRetry: () => void;
  onLeave: () => void;
  signInHref: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  let content: React.ReactNode;
  let tone = "text-slate-700";
  switch (state.kind) {
    case "idle":
      content = state.savedAt ? t("exam.save.saved", { time: formatClock(state.savedAt, language) }) : unsent > 0 ? t("exam.save.saving") : t("exam.save.autosave");
      break;
    case "saving":
      content = t("exam.save.saving");
      break;
    case "retrying":
      tone = "text-amber-900";
      content = (
        <>
          <span aria-hidden="true">⚠ </span>
          {t("exam.save.retrying")}{" "}
          <button type="button" onClick={onRetry} className="font-semibold text-indigo-700 underline">
            {t("exam.save.retryNow")}
          </button>
        </>
      );
      break;
    case "signed-out":
      tone = "text-red-800";
      content = (
        <>
          <span aria-hidden="true">⚠ </span>
          {t("exam.save.signedOut")}{" "}
          <a href={signInHref} onClick={onLeave} className="font-semibold text-indigo-700 underline">
            {t("exam.save.signIn")}
          </a>
        </>
      );
      break;
    case "closed":
      content = t("exam.save.closed");
      break;
    case "refused":
      tone = "text-red-800";
      content = t("exam.save.refused");
      break;
  }
  return (
    <p aria-live="polite" className={`text-sm ${tone}`} data-testid="save-status" data-state={state.kind}>
      {content}
    </p>
  );
}

export default function ExamPage() {
  const data = useLoaderData<typeof loader>();
  // A new attempt (or a fresh load) starts over; moving between questions does not reload the data.
  return <ExamScreen key={data.attemptId} data={data} />;
}

function ExamScreen({ data }: { data: Data }) {
  const { t } = useTranslation();
  const csrf = useCsrfToken();
  const navigate = useNavigate();
  const submit = useSubmit();
  const total = data.questions.length;
  const [current, setCurrent] = useState(data.position);
  const [answers, setAnswers] = useState(() => new Map(data.answers.map((a) => [a.position, a.answer])));
  const [flags, setFlags] = useState(() => new Map(data.answers.map((a) => [a.position, a.flagged])));
  const [saveState, setSaveState] = useState<QueueState>({ kind: "idle", savedAt: null });
  const [unsent, setUnsent] = useState(0);
  const [submitting, setSubmitting] = useState<"no" | "waiting" | "unsaved" | "sending">("no");
  const [timeUp, setTimeUp] = useState(false);
  const queue = useRef<SaveQueue | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const csrfRef = useRef(csrf);
  csrfRef.current = csrf;
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const stateRef = useRef<QueueState["kind"]>("idle");
  const leaving = useRef(false);

  const question = data.questions[current]!;
  const chosen = answers.get(current) ?? [];
  const flagged = flags.get(current) ?? false;
  const answeredCount = data.questions.filter((q) => (answers.get(q.position) ?? []).length > 0).length;
  const flaggedCount = data.questions.filter((q) => flags.get(q.position)).length;
  const unanswered = total - answeredCount;
  const signInHref = `/login?${new URLSearchParams({ redirectTo: `${examPath(data.attemptId)}?q=${current + 1}`, expired: "1" })}`;

  useEffect(() => {
    const q = new SaveQueue({
      send: (p, change, at) => postSave(data.attemptId, csrfRef.current, p, change, at),
      onState: (state) => {
        stateRef.current = state.kind;
        setSaveState(state);
        setUnsent(q.unsent);
        if (state.kind === "closed") navigateRef.current(resultPath(data.attemptId));
      },
      storage: typeof sessionStorage === "undefined" ? null : sessionStorage,
      storageKey: `manabi-exam:${data.attemptId}`,
    });
    queue.current = q;
    // Changes a previous load of this tab could not send (e.g. the session had ended) come back.
    const restored = q.restore();
    if (restored.size > 0) {
      setAnswers((prev) => {
        const next = new Map(prev);
        for (const [p, c] of restored) if (c.answer) next.set(p, c.answer);
        return next;
      });
      setFlags((prev) => {
        const next = new Map(prev);
        for (const [p, c] of restored) if (c.flagged !== undefined) next.set(p, c.flagged);
        return next;
      });
      q.resume();
    }
    const online = () => q.retryNow();
    // Leaving with answers the server has not taken (retrying, or signed out) asks first; a save
    // merely in flight does not (the tab keeps it for the next page load anyway).
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (q.unsent > 0 && !leaving.current && stateRef.current !== "saving" && stateRef.current !== "idle") event.preventDefault();
    };
    window.addEventListener("online", online);
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("beforeunload", beforeUnload);
    };
  }, [data.attemptId]);

  // Keyboard and screen-reader users land on the new question after moving.
  useEffect(() => {
    if (moved.current) headingRef.current?.focus();
  }, [current]);

  const queueChange = (p: number, change: PendingChange, at = current) => {
    queue.current?.change(p, change, at);
    setUnsent(queue.current?.unsent ?? 0);
  };

  const goTo = (p: number) => {
    if (p < 0 || p >= total) return;
    moved.current = true;
    setCurrent(p);
    navigate(`?q=${p + 1}`, { replace: true, preventScrollReset: true });
  };

  const choose = (optionId: string, checked: boolean) => {
    const next = question.type === "multiple" ? (checked ? [...chosen, optionId] : chosen.filter((id) => id !== optionId)) : [optionId];
    setAnswers((prev) => new Map(prev).set(current, next));
    queueChange(current, { answer: next });
  };

  const toggleFlag = () => {
    setFlags((prev) => new Map(prev).set(current, !flagged));
    queueChange(current, { flagged: !flagged });
  };

  const finalSubmit = useCallback(
    async (force: boolean) => {
      setSubmitting("waiting");
      const allSaved = (await queue.current?.whenIdle(force ? 3000 : 10_000)) ?? true;
      if (!allSaved && !force) {
        setSubmitting("unsaved");
        return;
      }
      setSubmitting("sending");
      submit({ csrf: csrfRef.current, intent: "submit" }, { method: "post", action: examPath(data.attemptId) });
    },
    [data.attemptId, submit],
  );

  const onExpire = useCallback(() => {
    setTimeUp(true);
    void finalSubmit(true);
  }, [finalSubmit]);

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    event.preventDefault();
    if (submitter?.name === "intent" && submitter.value === "flag") toggleFlag();
    else if (submitter?.name === "intent" && submitter.value === "submit-confirm") {
      setSubmitting("no");
      dialogRef.current?.showModal();
    } else if (submitter?.name === "go") goTo(Number(submitter.value));
  };

  const inputType = question.type === "multiple" ? "checkbox" : "radio";
  const hint = question.type === "multiple" ? t("exam.question.chooseAll") : t("exam.question.chooseOne");
  const counts = (
    <ul className="mt-3 space-y-1 text-slate-800">
      <li data-testid="confirm-unanswered">{unanswered > 0 ? t("exam.confirm.unanswered", { count: unanswered }) : t("exam.confirm.allAnswered")}</li>
      <li data-testid="confirm-flagged">{t("exam.confirm.flagged", { count: flaggedCount })}</li>
    </ul>
  );

  return (
    <div className="mx-auto max-w-5xl space-y-4" data-testid="exam" data-attempt={data.attemptId}>
      <header className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
        <div className="min-w-0">
          <p className="text-sm text-slate-700">{data.track.title}</p>
          <h1 className="text-xl font-bold tracking-tight text-slate-900">{t("exam.title")}</h1>
        </div>
        <div className="flex flex-col items-end gap-1">
          <ExamTimer deadline={data.deadline} serverNow={data.serverNow} onExpire={onExpire} />
          <SaveStatus state={saveState} unsent={unsent} onRetry={() => queue.current?.retryNow()} signInHref={signInHref} onLeave={() => (leaving.current = true)} />
        </div>
      </header>

      {timeUp ? (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 font-semibold text-red-900">
          {t("exam.timer.expired")}
        </p>
      ) : null}

      {data.confirm ? (
        <section aria-labelledby="confirm-panel-heading" className="rounded-xl border border-indigo-300 bg-indigo-50 p-5" data-testid="confirm-panel">
          <h2 id="confirm-panel-heading" className="text-lg font-semibold text-slate-900">
            {t("exam.confirm.title")}
          </h2>
          {counts}
          <p className="mt-3 text-slate-700">{t("exam.confirm.final")}</p>
          <div className="mt-4 flex flex-wrap gap-3">
            <Form method="post" action={examPath(data.attemptId)}>
              <CsrfInput />
              <button type="submit" name="intent" value="submit" className="rounded-md bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800">
                {t("exam.confirm.submitNow")}
              </button>
            </Form>
            <Link to={`?q=${current + 1}`} className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50">
              {t("exam.confirm.keepWorking")}
            </Link>
          </div>
        </section>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-[1fr_17rem]">
        <Form method="post" action={examPath(data.attemptId)} id="exam-form" onSubmit={onSubmit} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6" data-testid="question" data-position={current}>
          <CsrfInput />
          <input type="hidden" name="position" value={current} />
          {chosen.length > 0 ? <input type="hidden" name="answered" value="1" /> : null}
          <input type="hidden" name="flagTo" value={String(!flagged)} />
          {/* Enter in an option saves and stays (the form's first submit button). */}
          <button type="submit" name="go" value={current} hidden tabIndex={-1} aria-hidden="true" />
          <h2 ref={headingRef} tabIndex={-1} className="text-sm font-semibold text-indigo-800 outline-none" data-testid="question-number">
            {t("exam.question.number", { n: current + 1, total })}
            {flagged ? <span className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900">⚑ {t("exam.question.flagged")}</span> : null}
          </h2>
          <fieldset className="mt-2" key={current}>
            <legend className="phrases text-lg font-semibold leading-relaxed text-slate-900" data-testid="question-stem">
              <PhraseText text={question.stem} />
            </legend>
            <p className="mt-1 text-sm text-slate-600">{hint}</p>
            <ul className="mt-4 space-y-2">
              {question.options.map((option) => {
                const id = `q${current}-${option.id}`;
                const checked = chosen.includes(option.id);
                return (
                  <li key={option.id}>
                    <label
                      htmlFor={id}
                      className={`flex cursor-pointer items-start gap-3 rounded-lg border px-3 py-3 ${checked ? "border-indigo-600 bg-indigo-50 ring-1 ring-indigo-600" : "border-slate-300 bg-white hover:border-indigo-300"}`}
                    >
                      <input
                        id={id}
                        type={inputType}
                        name="answer"
                        value={option.id}
                        checked={checked}
                        onChange={(e) => choose(option.id, e.currentTarget.checked)}
                        className="mt-1 h-4 w-4 shrink-0 accent-indigo-700"
                      />
                      <span className="phrases text-slate-900">
                        <PhraseText text={option.text} />
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </fieldset>
          <div className="mt-5">
            <button
              type="submit"
              name="intent"
              value="flag"
              aria-pressed={flagged}
              className={`rounded-md border px-3 py-2 text-sm font-semibold ${flagged ? "border-amber-500 bg-amber-100 text-amber-950" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"}`}
            >
              <span aria-hidden="true">⚑ </span>
              {t("exam.question.flag")}
            </button>
          </div>
          <div className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-5">
            <button
              type="submit"
              name="go"
              value={Math.max(0, current - 1)}
              disabled={current === 0}
              className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-50"
            >
              ← {t("exam.question.previous")}
            </button>
            {current < total - 1 ? (
              <button type="submit" name="go" value={current + 1} className="rounded-md bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800">
                {t("exam.question.next")} →
              </button>
            ) : (
              <button type="submit" name="intent" value="submit-confirm" className="rounded-md bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800">
                {t("exam.question.finish")}
              </button>
            )}
          </div>
        </Form>

        <aside className="space-y-4">
          <QuestionNavigator
            form="exam-form"
            current={current}
            items={data.questions.map((q) => ({ position: q.position, answered: (answers.get(q.position) ?? []).length > 0, flagged: Boolean(flags.get(q.position)) }))}
          />
          <div className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-sm">
            <p>{t("exam.progress", { answered: answeredCount, total })}</p>
            <button
              type="submit"
              form="exam-form"
              name="intent"
              value="submit-confirm"
              className="mt-3 w-full rounded-md border border-indigo-700 px-4 py-2 font-semibold text-indigo-800 hover:bg-indigo-50"
            >
              {t("exam.submit")}
            </button>
          </div>
        </aside>
      </div>

      <dialog ref={dialogRef} aria-labelledby="confirm-dialog-heading" className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl border border-slate-200 p-6 shadow-xl backdrop:bg-slate-900/50" data-testid="confirm-dialog">
        <h2 id="confirm-dialog-heading" className="text-lg font-semibold text-slate-900">
          {t("exam.confirm.title")}
        </h2>
        {counts}
        <p className="mt-3 text-slate-700">{t("exam.confirm.final")}</p>
        <div aria-live="polite">
          {submitting === "waiting" ? <p className="mt-3 text-slate-800">{t("exam.confirm.waiting")}</p> : null}
          {submitting === "unsaved" ? <p className="mt-3 font-semibold text-red-800">{t("exam.confirm.unsaved", { count: queue.current?.unsent ?? 0 })}</p> : null}
        </div>
        <div className="mt-5 flex flex-wrap justify-end gap-3">
          <button type="button" onClick={() => dialogRef.current?.close()} className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50">
            {t("exam.confirm.keepWorking")}
          </button>
          <button
            type="button"
            disabled={submitting === "waiting" || submitting === "sending"}
            onClick={() => void finalSubmit(submitting === "unsaved")}
            className="rounded-md bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 disabled:opacity-60"
          >
            {submitting === "unsaved" ? t("exam.confirm.submitAnyway") : t("exam.confirm.submitNow")}
          </button>
        </div>
      </dialog>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = (args) => {
  if (args.error || !args.data) return pageTitle(args, "exam.title");
  const [base] = pageTitle(args, "exam.title");
  return [{ title: `${args.data.track.title} | ${base!.title}` }];
};

export function ErrorBoundary() {
  return <ErrorPage />;
}
