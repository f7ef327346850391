import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { examResultView } from "~/assessment/exams.server";
import { requirePermission } from "~/auth/session.server";
import { formatDate, formatDateTime } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { PhraseText } from "~/mdx/phrase-text";
import { useLanguage } from "~/ui/use-viewer";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const lang = await requestLanguage(request);
  const attemptId = params.attemptId ?? "";
  const view = await examResultView(user.id, attemptId, lang);
  if (!view) throw new Response("Not found", { status: 404 });
  // Keys and explanations exist only for a finished attempt: an open one goes back to its questions.
  if (view.kind === "open") throw redirect(`/exams/${attemptId}`);
  const late = new URL(request.url).searchParams.get("late") === "1";
  return { ...view, late };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Verdict({ passed }: { passed: boolean }) {
  const { t } = useTranslation();
  return (
    <p className={`flex items-center gap-3 text-2xl font-bold ${passed ? "text-emerald-800" : "text-red-800"}`} data-testid="verdict" data-passed={passed}>
      <span aria-hidden="true" className={`flex h-10 w-10 items-center justify-center rounded-full text-xl text-white ${passed ? "bg-emerald-700" : "bg-red-700"}`}>
        {passed ? "✓" : "✗"}
      </span>
      {passed ? t("exam.result.passed") : t("exam.result.failed")}
    </p>
  );
}

function NextStep({ data }: { data: Data }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const next = data.next;
  if (!next) return null;
  let text: string | null = null;
  switch (next.kind) {
    case "retake-wait":
      text = t("exam.result.retakeAt", { date: formatDateTime(next.opensAt, language), count: next.attemptsLeft });
      break;
    case "ready":
      text = data.passed ? null : t("exam.result.retakeNow", { count: next.attemptsLeft });
      break;
    case "no-attempts-left":
      text = t("track.eligibility.noAttemptsLeft");
      break;
    case "certified":
      text = t("exam.result.certifiedUntil", { date: formatDate(next.validUntil, language) });
      break;
    default:
      text = null;
  }
  if (!text) return null;
  return (
    <p className="mt-3 text-slate-800" data-testid="next-step">
      {text}
    </p>
  );
}

export default function ExamResult() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-4xl space-y-6" data-testid="exam-result">
      <nav aria-label={t("learning.breadcrumb")} className="flex flex-wrap gap-1 text-sm text-slate-600">
        <Link to="/learn" className="text-indigo-700 hover:underline">
          {t("learning.title")}
        </Link>
        <span aria-hidden="true">›</span>
        <Link to={`/tracks/${data.track.id}`} className="text-indigo-700 hover:underline">
          {data.track.title}
        </Link>
      </nav>
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="result-heading">
        <h1 id="result-heading" className="text-sm font-semibold text-slate-700">
          {t("exam.result.title", { track: data.track.title })}
        </h1>
        <div className="mt-3">
          <Verdict passed={data.passed} />
        </div>
        <p className="mt-3 text-lg text-slate-900" data-testid="score">
          {t("exam.result.score", { percent: data.score.percent, correct: data.score.correct, total: data.score.total, pass: data.score.passPercent })}
        </p>
        {data.finishedAt ? <p className="mt-1 text-sm text-slate-700">{t("exam.result.finishedAt", { date: formatDateTime(data.finishedAt, language) })}</p> : null}
        {data.endReason === "timeout" ? <p className="mt-2 text-sm text-amber-900">{t("exam.result.timedOut")}</p> : null}
        {data.late ? <p className="mt-2 text-sm text-amber-900">{t("exam.result.lateSave")}</p> : null}
        {data.certificateId ? (
          <Link
            to={`/certificates/${data.certificateId}`}
            className="mt-4 inline-flex rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800"
            data-testid="certificate-link"
          >
            {t("exam.result.certificate")}
          </Link>
        ) : null}
        <NextStep data={data} />
      </section>

      <section aria-labelledby="domains-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="domains-heading" className="text-lg font-semibold">
          {t("exam.result.domainsTitle")}
        </h2>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="domain-table">
            <thead>
              <tr className="border-b border-slate-200 text-slate-700">
                <th scope="col" className="py-2 pr-4 font-semibold">{t("exam.result.domain")}</th>
                <th scope="col" className="py-2 pr-4 font-semibold">{t("exam.result.correct")}</th>
                <th scope="col" className="py-2 font-semibold">{t("exam.result.percent")}</th>
              </tr>
            </thead>
            <tbody>
              {data.domains.map((d) => (
                <tr key={d.domain} className="border-b border-slate-100">
                  <th scope="row" className="py-2 pr-4 font-medium text-slate-900">{d.name}</th>
                  <td className="py-2 pr-4">{t("exam.result.correctOf", { correct: d.correct, total: d.total })}</td>
                  <td className="py-2">{d.percent}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {data.minimums.length > 0 ? (
          <>
            <h3 className="mt-5 font-semibold">{t("exam.result.minimumsTitle")}</h3>
            <ul className="mt-2 space-y-2 text-sm" data-testid="minimums">
              {data.minimums.map((m) => (
                <li key={m.domains.join("+")} className="flex flex-wrap items-center gap-2">
                  <span aria-hidden="true" className={m.met ? "text-emerald-700" : "text-red-700"}>
                    {m.met ? "✓" : "✗"}
                  </span>
                  <span>
                    {t("exam.result.minimum", { domains: m.names.join(t("exam.result.listSeparator")), required: m.requiredPercent, percent: m.percent })}{" "}
                    <strong>{m.met ? t("exam.result.met") : t("exam.result.notMet")}</strong>
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {data.study.length > 0 ? (
        <section aria-labelledby="study-heading" className="rounded-xl border border-amber-200 bg-amber-50 p-6" data-testid="study">
          <h2 id="study-heading" className="text-lg font-semibold text-slate-900">
            {t("exam.result.studyTitle")}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{t("exam.result.studyIntro")}</p>
          <ul className="mt-3 space-y-3">
            {data.study.map((s) => (
              <li key={s.domain}>
                <p className="font-semibold text-slate-900">{s.name}</p>
                <ul className="mt-1 list-disc space-y-1 pl-6 text-sm">
                  {s.lessons.map((l) => (
                    <li key={l.lessonId}>
                      <Link to={`/learn/${l.courseId}/${l.lessonId}`} className="text-indigo-700 underline">
                        {l.title}
                      </Link>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="review-heading">
        <h2 id="review-heading" className="text-lg font-semibold">
          {t("exam.review.title")}
        </h2>
        <ol className="mt-3 space-y-4" data-testid="review">
          {data.review.map((item) => (
            <li key={item.position} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="review-item" data-correct={item.correct}>
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-semibold text-slate-800">{t("exam.question.number", { n: item.position + 1, total: data.review.length })}</span>
                <span className="text-slate-600">· {item.domain}</span>
                <span className={`ml-auto font-semibold ${item.correct ? "text-emerald-800" : "text-red-800"}`}>
                  <span aria-hidden="true">{item.correct ? "✓ " : "✗ "}</span>
                  {item.correct ? t("exam.review.correct") : item.mine.length === 0 ? t("exam.review.unanswered") : t("exam.review.incorrect")}
                </span>
              </p>
              <h3 className="phrases mt-2 font-semibold text-slate-900">
                <PhraseText text={item.stem} />
              </h3>
              <ul className="mt-3 space-y-2">
                {item.options.map((o) => {
                  const mine = item.mine.includes(o.id);
                  const key = item.key.includes(o.id);
                  return (
                    <li
                      key={o.id}
                      className={`flex flex-wrap items-start gap-2 rounded-lg border px-3 py-2 text-sm ${key ? "border-emerald-600 bg-emerald-50" : mine ? "border-red-400 bg-red-50" : "border-slate-200"}`}
                    >
                      <span className="phrases flex-1 text-slate-900">
                        <PhraseText text={o.text} />
                      </span>
                      {mine ? <span className="font-semibold text-slate-800">{t("exam.review.yourAnswer")}</span> : null}
                      {key ? <span className="font-semibold text-emerald-800">✓ {t("exam.review.rightAnswer")}</span> : null}
                    </li>
                  );
                })}
              </ul>
              <p className="phrases mt-3 text-sm text-slate-800">
                <span className="font-semibold">{t("exam.review.explanation")}</span>
                {language === "ja" ? "" : " "}
                <PhraseText text={item.explanation} />
              </p>
              {item.lesson ? (
                <p className="mt-2 text-sm">
                  <Link to={`/learn/${item.lesson.courseId}/${item.lesson.lessonId}`} className="text-indigo-700 underline">
                    {t("exam.review.lesson", { title: item.lesson.title })}
                  </Link>
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = (args) => {
  if (args.error || !args.data) return pageTitle(args, "exam.result.pageTitle");
  const [base] = pageTitle(args, "exam.result.pageTitle");
  return [{ title: `${args.data.track.title} | ${base!.title}` }];
};

export function ErrorBoundary() {
  return <ErrorPage />;
}
