import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { myAssignments } from "~/assignments/assignments.server";
import { MyAssignments, toAssignmentView } from "~/assignments/my-assignments";
import { requireUser } from "~/auth/session.server";
import { recertificationInvitations } from "~/certification/certificate-views";
import { certificatesOf } from "~/certification/certificates.server";
import { getCurrentRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { homeLearningView } from "~/learning/views.server";
import { ProgressBar } from "~/ui/progress-bar";
import { formatDate, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { NAV_ITEMS } from "~/ui/app-shell";
import { ErrorPage } from "~/ui/error-page";
import { Icon } from "~/ui/icons";
import { useLanguage, useRootData } from "~/ui/use-viewer";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [release, lang] = await Promise.all([getCurrentRelease(), requestLanguage(request)]);
  const now = new Date();
  const [learning, certificates, assigned] = await Promise.all([
    homeLearningView(release, user.id, lang),
    certificatesOf(user.id, now),
    myAssignments(release, user.id, now),
  ]);
  const windows = new Map([...(release?.tracks.values() ?? [])].map((t) => [t.id, t.recertificationWindowDays]));
  const recertify = recertificationInvitations(certificates, windows, now).map((c) => ({
    trackId: c.trackId,
    trackTitle: c.trackTitle,
    validUntil: c.validUntil.toISOString(),
  }));
  const assignments = assigned.map(toAssignmentView);
  return { learning, recertify, assignments };
}

/** Certificates inside their track's recertification window invite their holder to recertify. */
function RecertificationNotice() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { recertify } = useLoaderData<typeof loader>();
  if (recertify.length === 0) return null;
  return (
    <section aria-label={t("certificate.recertifyHeading")} className="space-y-2" data-testid="recertify-notice">
      {recertify.map((c) => (
        <p key={c.trackId} className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950">
          {t("certificate.recertifyNotice", { track: c.trackTitle[language], date: formatDate(c.validUntil, language) })}{" "}
          <Link to={`/tracks/${c.trackId}`} className="font-semibold underline">
            {t("certificate.recertifyLink")}
          </Link>
        </p>
      ))}
    </section>
  );
}

function ContinueLearning() {
  const { t } = useTranslation();
  const { learning } = useLoaderData<typeof loader>();
  if (!learning) return null;
  const { resume } = learning;
  return (
    <section aria-labelledby="continue-heading" className="grid gap-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm md:grid-cols-[1fr_16rem] md:items-center">
      <div>
        <h2 id="continue-heading" className="text-sm font-semibold text-indigo-700">
          {resume
            ? resume.started
              ? t("home.continueHeading")
              : learning.completedLessons > 0
                ? t("home.nextHeading")
                : t("home.startHeading")
            : t("home.allDoneHeading")}
        </h2>
        {resume ? (
          <>
            <p className="mt-1 text-lg font-semibold text-slate-900">{resume.lessonTitle}</p>
            <p className="text-sm text-slate-600">
              {resume.courseTitle} · {t("learning.minutes", { count: resume.minutes })}
            </p>
            <Link
              to={`/learn/${resume.courseId}/${resume.lessonId}`}
              className="mt-4 inline-flex rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
            >
              {resume.started ? t("learning.continue") : t("learning.start")}
            </Link>
          </>
        ) : (
          <p className="mt-1 text-slate-700">{t("home.allDone")}</p>
        )}
      </div>
      <div>
        <ProgressBar
          value={learning.completedLessons}
          max={learning.totalLessons}
          label={t("home.overall", { done: learning.completedLessons, total: learning.totalLessons })}
        />
        <p className="mt-2 text-sm text-slate-600">{t("home.overall", { done: learning.completedLessons, total: learning.totalLessons })}</p>
        <p className="text-sm text-slate-600">{t("home.coursesDone", { done: learning.completedCourses, total: learning.totalCourses })}</p>
      </div>
    </section>
  );
}

const CARDS: Record<string, { title: string; body: string; icon: string }> = {
  "/learn": { title: "home.learningCard", body: "home.learningCardBody", icon: "book" },
  "/tools": { title: "home.toolsCard", body: "home.toolsCardBody", icon: "tools" },
  "/team": { title: "home.teamCard", body: "home.teamCardBody", icon: "team" },
  "/hr": { title: "home.hrCard", body: "home.hrCardBody", icon: "building" },
  "/authoring": { title: "home.authoringCard", body: "home.authoringCardBody", icon: "pen" },
  "/admin": { title: "home.adminCard", body: "home.adminCardBody", icon: "shield" },
};

export default function Home() {
  const { t } = useTranslation();
  const { assignments } = useLoaderData<typeof loader>();
  const language = useLanguage();
  const root = useRootData();
  const viewer = root?.viewer;
  if (!viewer) return null;
  const permissions = new Set<string>(viewer.permissions);
  const cards = NAV_ITEMS.filter((i) => CARDS[i.to] && (i.permission === null || permissions.has(i.permission)));
  return (
    <div className="space-y-8">
      <section className="rounded-2xl bg-gradient-to-br from-indigo-600 to-indigo-800 p-8 text-white shadow-sm">
        <p className="text-sm text-indigo-100">{root?.today ? t("home.today", { date: formatDate(root.today, language) }) : null}</p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight">
          {t("home.greeting", { name: formatPersonName(viewer, language) })}
        </h1>
        <p className="mt-3 max-w-2xl text-indigo-50">{t("home.intro")}</p>
      </section>
      <RecertificationNotice />
      <MyAssignments items={assignments} />
      <ContinueLearning />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="home-cards">
        {cards.map((item) => {
          const card = CARDS[item.to]!;
          return (
            <li key={item.to}>
              <Link
                to={item.to}
                className="flex h-full flex-col rounded-xl border border-slate-200 bg-white p-6 shadow-sm transition hover:border-indigo-300 hover:shadow-md focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <span className="flex h-11 w-11 items-center justify-center rounded-lg bg-indigo-50 text-indigo-700">
                  <Icon name={card.icon} />
                </span>
                <h2 className="mt-3 text-lg font-semibold text-slate-900">{t(card.title)}</h2>
                <p className="mt-1 flex-1 text-sm text-slate-700">{t(card.body)}</p>
                <span className="mt-4 text-sm font-semibold text-indigo-700">{t("home.open")} →</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "home.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
