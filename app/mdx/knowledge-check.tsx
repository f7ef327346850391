import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { action as lessonAction } from "~/routes/learn.$courseId.$lessonId";
import { useCsrfToken } from "~/ui/csrf-input";
import { useLesson } from "./lesson-context";
import { PhraseText } from "./phrase-text";
import { useHydrated } from "./prerendered";

type CheckProps = { id?: string | number | boolean; uid?: string | number | boolean };
type Fetcher = ReturnType<typeof useFetcher<typeof lessonAction>>;

/**
 * A practice question. Until the page has hydrated it shows the same for every reader (the server renders
 * lesson bodies once for all: app/mdx/prerendered.ts): not yet answered, the form without its token;
 * from then on the reader's own. The server renders it without the router's hooks (a body is rendered
 * apart from the page there); the browser always with them, so hydration changes nothing but those values.
 */
export function KnowledgeCheck(props: CheckProps) {
  if (typeof document === "undefined") return <CheckForm {...props} fetcher={null} csrf="" doneBefore={false} />;
  return <LiveKnowledgeCheck {...props} />;
}

function LiveKnowledgeCheck(props: CheckProps) {
  const hydrated = useHydrated();
  const { answeredCorrectly } = useLesson();
  const fetcher = useFetcher<typeof lessonAction>({ key: `kc-${String(props.id)}` });
  const csrf = useCsrfToken();
  const doneBefore = hydrated && typeof props.id === "string" && answeredCorrectly.includes(props.id);
  return <CheckForm {...props} fetcher={fetcher} csrf={hydrated ? csrf : ""} doneBefore={doneBefore} />;
}

function CheckForm({ id, uid, fetcher, csrf, doneBefore }: CheckProps & { fetcher: Fetcher | null; csrf: string; doneBefore: boolean }) {
  const { t } = useTranslation();
  const { questions, answerAction } = useLesson();
  const question = typeof id === "string" && Object.hasOwn(questions, id) ? questions[id] : undefined;
  const [attempt, setAttempt] = useState(0);
  // "Try again" sets the last reply aside, so the form opens again for a new answer.
  const [setAside, setSetAside] = useState<unknown>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  // The node's place in the lesson (LessonBody), not useId: the same when the server renders the body apart.
  const baseId = `kc-${String(uid)}`;
  const resultRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusForm = useRef(false);

  const data = fetcher?.data;
  const reply =
    data && data !== setAside && data.intent === "answer" && "questionId" in data.result && data.result.questionId === question?.id
      ? data.result
      : data && data !== setAside && data.intent === "answer" && data.result.kind === "not-found"
        ? data.result
        : null;
  const state = fetcher?.state ?? "idle";
  const settled = state === "idle";
  const graded = reply && settled && (reply.kind === "correct" || reply.kind === "incorrect") ? reply : null;
  const revealedKey = graded ? (graded.kind === "correct" ? graded.key : graded.reveal?.key ?? null) : null;
  const explanation = graded ? (graded.kind === "correct" ? graded.explanation : graded.reveal?.explanation ?? null) : null;

  // Keyboard and screen-reader users land on the result, and back on the question after "Try again".
  useEffect(() => {
    if (graded) resultRef.current?.focus();
  }, [graded]);
  useEffect(() => {
    if (!focusForm.current) return;
    focusForm.current = false;
    formRef.current?.querySelector<HTMLInputElement>("input[name=answer]")?.focus();
  }, [attempt]);

  if (!question) return null;
  const Form = fetcher ? fetcher.Form : "form";
  const options =
    question.type === "truefalse"
      ? [
          { id: "true", text: t("lesson.check.true") },
          { id: "false", text: t("lesson.check.false") },
        ]
      : question.options;
  const inputType = question.type === "multiple" ? "checkbox" : "radio";
  const legendId = `${baseId}-legend`;
  return (
    <section className="knowledge-check not-prose my-8 rounded-xl border border-indigo-200 bg-indigo-50/50 p-5" aria-labelledby={legendId} data-question={question.id}>
      <p className="text-xs font-semibold uppercase tracking-wide text-indigo-700">
        {t("lesson.check.label")}
        {doneBefore ? <span className="ml-2 rounded bg-emerald-100 px-2 py-0.5 normal-case text-emerald-800">{t("lesson.check.doneBefore")}</span> : null}
      </p>
      <Form
        method="post"
        action={answerAction ?? undefined}
        key={attempt}
        ref={formRef}
        className="mt-2"
        onSubmit={(event) => {
          const form = new FormData(event.currentTarget);
          setChosen(form.getAll("answer").map(String));
        }}
      >
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="intent" value="answer" />
        <input type="hidden" name="questionId" value={question.id} />
        <fieldset disabled={!answerAction || Boolean(graded)}>
          <legend id={legendId} className="text-base font-semibold text-slate-900">
            <PhraseText text={question.stem} />
          </legend>
          <ul className="mt-3 space-y-2">
            {options.map((option) => {
              const optionId = `${baseId}-${option.id}`;
              const isKey = Boolean(revealedKey?.includes(option.id));
              const isMine = Boolean(graded) && chosen.includes(option.id);
              const marks = [isMine ? t("lesson.check.yourChoice") : null, isKey ? t("lesson.check.rightChoice") : null].filter(Boolean);
              return (
                <li key={option.id}>
                  <label
                    htmlFor={optionId}
                    className={`flex cursor-pointer items-start gap-3 rounded-lg border bg-white px-3 py-2 ${
                      isKey ? "border-emerald-600 ring-1 ring-emerald-600" : isMine ? "border-amber-600 ring-1 ring-amber-600" : "border-slate-300"
                    }`}
                  >
                    <input
                      id={optionId}
                      type={inputType}
                      name="answer"
                      value={option.id}
                      defaultChecked={isMine}
                      className="mt-1 h-4 w-4 accent-indigo-600"
                      required={inputType === "radio"}
                    />
                    <span className="text-slate-800">
                      <PhraseText text={option.text} />
                    </span>
                    {marks.length > 0 ? (
                      <span className="ml-auto shrink-0 whitespace-nowrap text-sm font-semibold" data-testid="check-mark">
                        {isKey ? <span className="text-emerald-800">✓ </span> : <span className="text-amber-800">✗ </span>}
                        <span className={isKey ? "text-emerald-800" : "text-amber-800"}>{marks.join(" · ")}</span>
                      </span>
                    ) : null}
                  </label>
                </li>
              );
            })}
          </ul>
          {question.type === "multiple" ? <p className="mt-2 text-sm text-slate-600">{t("lesson.check.chooseAll")}</p> : null}
        </fieldset>
        {!graded ? (
          <button
            type="submit"
            disabled={!answerAction || state !== "idle"}
            className="mt-4 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            {state !== "idle" ? t("lesson.check.checking") : t("lesson.check.submit")}
          </button>
        ) : null}
      </Form>
      <div aria-live="polite">
        {reply?.kind === "invalid-answer" && settled ? <p className="mt-3 text-sm text-red-700">{t("lesson.check.invalid")}</p> : null}
        {reply?.kind === "not-found" && settled ? <p className="mt-3 text-sm text-red-700">{t("lesson.check.notFound")}</p> : null}
        {graded ? (
          <div
            ref={resultRef}
            tabIndex={-1}
            data-testid="check-result"
            className={`mt-4 rounded-lg border p-4 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${
              graded.kind === "correct" ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"
            }`}
          >
            <p className={`font-semibold ${graded.kind === "correct" ? "text-emerald-900" : "text-amber-900"}`}>
              {graded.kind === "correct" ? `✓ ${t("lesson.check.correct")}` : `✗ ${graded.reveal ? t("lesson.check.revealed") : t("lesson.check.incorrectTryAgain")}`}
            </p>
            {graded.kind === "incorrect" && !graded.reveal && graded.hint ? (
              <p className="mt-1 text-slate-800">
                <span className="font-semibold">{t("lesson.check.hintLabel")}: </span>
                <PhraseText text={graded.hint} />
              </p>
            ) : null}
            {explanation ? (
              <p className="mt-1 text-slate-800">
                <PhraseText text={explanation} />
              </p>
            ) : null}
            {graded.kind === "incorrect" ? (
              <button
                type="button"
                onClick={() => {
                  setSetAside(fetcher?.data);
                  setChosen([]);
                  focusForm.current = true;
                  setAttempt((n) => n + 1);
                }}
                className="mt-3 text-sm font-semibold text-indigo-700 underline"
              >
                {t("lesson.check.retry")}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
