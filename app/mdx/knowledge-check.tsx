import { useFetcher } from "@remix-run/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCsrfToken } from "~/ui/csrf-input";
import { useLesson } from "./lesson-context";

export type KnowledgeCheckReply =
  | { intent: "answer"; questionId: string; correct: boolean; answer: string[]; explanation: string; lessonComplete: boolean }
  | { intent: "answer"; questionId: string; error: "invalid-answer" };

/** A question from the course bank, answered in the lesson and graded on the server. */
export function KnowledgeCheck({ id }: { id?: string | number | boolean }) {
  const { t } = useTranslation();
  const { questions, answeredCorrectly, answerAction } = useLesson();
  const csrf = useCsrfToken();
  const question = typeof id === "string" ? questions[id] : undefined;
  const fetcher = useFetcher<KnowledgeCheckReply>({ key: `kc-${String(id)}` });
  const [attempt, setAttempt] = useState(0);
  // "Try again" sets the last reply aside, so the form opens again for a new answer.
  const [setAside, setSetAside] = useState<unknown>(null);
  const baseId = useId();
  if (!question) return null;
  const reply = fetcher.data && fetcher.data !== setAside && fetcher.data.questionId === question.id ? fetcher.data : null;
  const graded = reply && "correct" in reply ? reply : null;
  const showResult = graded && fetcher.state === "idle";
  const doneBefore = answeredCorrectly.includes(question.id);
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
      <fetcher.Form method="post" action={answerAction ?? undefined} key={attempt} className="mt-2">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="intent" value="answer" />
        <input type="hidden" name="questionId" value={question.id} />
        <fieldset disabled={!answerAction || Boolean(showResult)}>
          <legend id={legendId} className="text-base font-semibold text-slate-900">
            {question.stem}
          </legend>
          <ul className="mt-3 space-y-2">
            {options.map((option) => {
              const optionId = `${baseId}-${option.id}`;
              const isKey = graded?.answer.includes(option.id);
              return (
                <li key={option.id}>
                  <label
                    htmlFor={optionId}
                    className={`flex cursor-pointer items-start gap-3 rounded-lg border bg-white px-3 py-2 ${
                      showResult && isKey ? "border-emerald-500 ring-1 ring-emerald-500" : "border-slate-300"
                    }`}
                  >
                    <input id={optionId} type={inputType} name="answer" value={option.id} className="mt-1 h-4 w-4 accent-indigo-600" required={inputType === "radio"} />
                    <span className="text-slate-800">{option.text}</span>
                  </label>
                </li>
              );
            })}
          </ul>
          {question.type === "multiple" ? <p className="mt-2 text-sm text-slate-600">{t("lesson.check.chooseAll")}</p> : null}
        </fieldset>
        {!showResult ? (
          <button
            type="submit"
            disabled={!answerAction || fetcher.state !== "idle"}
            className="mt-4 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            {fetcher.state !== "idle" ? t("lesson.check.checking") : t("lesson.check.submit")}
          </button>
        ) : null}
      </fetcher.Form>
      <div aria-live="polite">
        {reply && "error" in reply ? <p className="mt-3 text-sm text-red-700">{t("lesson.check.invalid")}</p> : null}
        {showResult ? (
          <div className={`mt-4 rounded-lg border p-4 ${graded.correct ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"}`}>
            <p className={`font-semibold ${graded.correct ? "text-emerald-900" : "text-amber-900"}`}>
              {graded.correct ? t("lesson.check.correct") : t("lesson.check.incorrect")}
            </p>
            <p className="mt-1 text-slate-800">{graded.explanation}</p>
            {!graded.correct ? (
              <button
                type="button"
                onClick={() => {
                  setSetAside(fetcher.data);
                  setAttempt((n) => n + 1);
                }}
                className="mt-3 text-sm font-semibold text-indigo-700 underline">
                {t("lesson.check.retry")}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
