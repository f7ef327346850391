import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { startExam, trackView } from "~/assessment/exams.server";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { formatDate, formatDateTime } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { Alert } from "~/ui/form";
import { ErrorPage } from "~/ui/error-page";
import { StatusBadge } from "~/ui/progress-bar";
import { useLanguage } from "~/ui/use-viewer";

const actionSchema = z.object({ intent: z.literal("start") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:learning:own");
  const lang = await requestLanguage(request);
  const view = await trackView(user.id, params.trackId ?? "", lang);
  if (!view) throw new Response("Not found", { status: 404 });
  return view;
}

/** Start (or resume) the exam: the server draws and pins the questions, then the exam page opens. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:learning:own");
  const formData = await readForm(request);
  if (!actionSchema.safeParse({ intent: formData.get("intent") }).success) throw new Response("Bad request", { status: 400 });
  const lang = await requestLanguage(request);
  const result = await startExam({ userId: user.id, trackId: params.trackId ?? "", lang });
  switch (result.kind) {
    case "not-found":
      throw new Response("Not found", { status: 404 });
    case "started":
    case "resumed":
      return redirect(`/exams/${result.attemptId}`);
    case "refused":
      // The page shows the reason beside the (now current) eligibility.
      return withStatus({ refused: result.eligibility.kind }, { status: 409 });
    case "unavailable":
      return withStatus({ refused: "unavailable" as const }, { status: 503 });
  }
}

type View = ReturnType<typeof useLoaderData<typeof loader>>;

function Eligibility({ view }: { view: View }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const navigation = useNavigation();
  const e = view.eligibility;
  // Japanese sentences follow each other without a space.
  const sentenceGap = language === "ja" ? "" : " ";
  const startButton = (label: string) => (
    <Form method="post" className="mt-4">
      <CsrfInput />
      <button
        type="submit"
        name="intent"
        value="start"
        disabled={navigation.state !== "idle"}
        className="rounded-md bg-indigo-700 px-5 py-2.5 font-semibold text-white hover:bg-indigo-800 disabled:opacity-60"
      >
        {label}
      </button>
    </Form>
  );
  switch (e.kind) {
    case "ready":
      return (
        <>
          <p className="text-slate-800">
            {e.recertification ? t("track.eligibility.recertification") : view.exempt ? t("track.eligibility.readyExempt") : t("track.eligibility.ready")}
            {sentenceGap}
            {t("track.eligibility.attemptsLeft", { count: e.attemptsLeft })}
          </p>
          <p className="mt-2 text-sm text-slate-700">{t("track.eligibility.startNote")}</p>
          {startButton(t("track.start"))}
        </>
      );
    case "resume":
    case "finalize-overdue":
      return (
        <>
          <p className="text-slate-800">{t("track.eligibility.resume")}</p>
          {startButton(t("track.resume"))}
        </>
      );
    case "courses-incomplete": {
      const missing = view.courses.filter((c) => e.missing.includes(c.id));
      return (
        <>
          <p className="text-slate-800">{t("track.eligibility.coursesIncomplete")}</p>
          <ul className="mt-2 list-disc space-y-1 pl-6">
            {missing.map((c) => (
              <li key={c.id}>
                <Link to={`/learn/${c.id}`} className="text-indigo-700 underline">
                  {c.title}
                </Link>
              </li>
            ))}
          </ul>
        </>
      );
    }
    case "retake-wait":
      return (
        <p className="text-slate-800">
          {t("track.eligibility.retakeWait", { date: formatDateTime(e.opensAt, language) })}
          {sentenceGap}
          {t("track.eligibility.attemptsLeft", { count: e.attemptsLeft })}
        </p>
      );
    case "no-attempts-left":
      return <p className="text-slate-800">{t("track.eligibility.noAttemptsLeft")}</p>;
    case "certified":
      return (
        <p className="text-slate-800">
          <span aria-hidden="true" className="text-emerald-700">
            ✓{" "}
          </span>
          {t("track.eligibility.certified", { until: formatDate(e.validUntil, language), from: formatDate(e.recertifyFrom, language) })}
        </p>
      );
  }
}

export default function TrackPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const view = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { rules } = view;
  const minimums = rules.minimums.map((m) => t("track.rules.minimum", { domains: m.domains.join(t("exam.result.listSeparator")), percent: m.percent }));
  return (
    <div className="mx-auto max-w-4xl space-y-6" data-testid="track" data-track={view.track.id}>
      <nav aria-label={t("learning.breadcrumb")} className="text-sm">
        <Link to="/learn" className="text-indigo-700 hover:underline">
          {t("learning.title")}
        </Link>
      </nav>
      <header className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm font-semibold text-indigo-700">{t("track.kicker")}</p>
        <h1 className="mt-1 text-2xl font-bold tracking-tight text-slate-900">{view.track.title}</h1>
        <p className="auto-phrase mt-2 text-slate-700">{view.track.summary}</p>
      </header>

      <section aria-labelledby="rules-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="rules">
        <h2 id="rules-heading" className="text-lg font-semibold text-slate-900">
          {t("track.rules.title")}
        </h2>
        <dl className="mt-3 grid gap-x-6 gap-y-3 sm:grid-cols-[12rem_1fr]">
          <dt className="font-semibold text-slate-800">{t("track.rules.questions")}</dt>
          <dd className="text-slate-800">{t("track.rules.questionsValue", { count: rules.questions })}</dd>
          <dt className="font-semibold text-slate-800">{t("track.rules.time")}</dt>
          <dd className="text-slate-800">{t("track.rules.timeValue", { count: rules.timeLimitMinutes })}</dd>
          <dt className="font-semibold text-slate-800">{t("track.rules.passMark")}</dt>
          <dd className="text-slate-800">
            {t("track.rules.passMarkValue", { percent: rules.passPercent })}
            {minimums.length > 0 ? (
              <ul className="mt-1 list-disc pl-6">
                {minimums.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
          </dd>
          <dt className="font-semibold text-slate-800">{t("track.rules.attempts")}</dt>
          <dd className="text-slate-800">{t("track.rules.attemptsValue", { count: rules.attempts, hours: rules.retakeWaitHours })}</dd>
          <dt className="font-semibold text-slate-800">{t("track.rules.validity")}</dt>
          <dd className="text-slate-800">{t("track.rules.validityValue", { count: rules.validityMonths })}</dd>
          <dt className="font-semibold text-slate-800">{t("track.rules.disconnect")}</dt>
          <dd className="text-slate-800">{t("track.rules.disconnectValue")}</dd>
          <dt className="font-semibold text-slate-800">{t("track.rules.conduct")}</dt>
          <dd className="text-slate-800">{t("track.rules.conductValue")}</dd>
        </dl>
      </section>

      <section aria-labelledby="exam-heading" className="rounded-xl border border-indigo-200 bg-indigo-50/60 p-6" data-testid="eligibility" data-kind={view.eligibility.kind}>
        <h2 id="exam-heading" className="text-lg font-semibold text-slate-900">
          {t("track.examTitle")}
        </h2>
        {refused ? (
          <div className="mt-3">
            <Alert>{refused.refused === "unavailable" ? t("track.refused.unavailable") : t("track.refused.changed")}</Alert>
          </div>
        ) : null}
        <div className="mt-3">
          <Eligibility view={view} />
        </div>
      </section>

      <section aria-labelledby="courses-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="courses-heading" className="text-lg font-semibold text-slate-900">
          {t("track.courses")}
        </h2>
        {view.exempt ? <p className="mt-1 text-sm text-slate-700">{t("track.exempt")}</p> : null}
        <ul className="mt-3 divide-y divide-slate-100" data-testid="track-courses">
          {view.courses.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
              <Link to={`/learn/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                {c.title}
              </Link>
              <span className="flex items-center gap-2 text-sm text-slate-700">
                {t("learning.progress", { done: c.completed, total: c.total })}
                <StatusBadge status={c.status} />
              </span>
            </li>
          ))}
        </ul>
      </section>

      {view.attempts.length > 0 ? (
        <section aria-labelledby="attempts-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 id="attempts-heading" className="text-lg font-semibold text-slate-900">
            {t("track.attempts.title")}
          </h2>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="past-attempts">
              <thead>
                <tr className="border-b border-slate-200 text-slate-700">
                  <th scope="col" className="py-2 pr-4 font-semibold">{t("track.attempts.date")}</th>
                  <th scope="col" className="py-2 pr-4 font-semibold">{t("track.attempts.score")}</th>
                  <th scope="col" className="py-2 pr-4 font-semibold">{t("track.attempts.outcome")}</th>
                  <th scope="col" className="py-2 font-semibold">
                    <span className="sr-only">{t("track.attempts.details")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.attempts.map((a) => (
                  <tr key={a.id} className="border-b border-slate-100">
                    <td className="py-2 pr-4">{a.finishedAt ? formatDateTime(a.finishedAt, language) : "—"}</td>
                    <td className="py-2 pr-4">{a.percent}%</td>
                    <td className={`py-2 pr-4 font-semibold ${a.passed ? "text-emerald-800" : "text-red-800"}`}>
                      <span aria-hidden="true">{a.passed ? "✓ " : "✗ "}</span>
                      {a.passed ? t("exam.result.passed") : t("exam.result.failed")}
                    </td>
                    <td className="py-2">
                      <Link to={`/exams/${a.id}/result`} className="text-indigo-700 underline">
                        {t("track.attempts.view")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = (args) => {
  if (args.error || !args.data) return pageTitle(args, "track.kicker");
  return [{ title: `${args.data.track.title} | Manabi` }];
};

export function ErrorBoundary() {
  return <ErrorPage />;
}
