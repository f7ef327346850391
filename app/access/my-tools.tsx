import type { TFunction } from "i18next";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDate, formatDateTime } from "~/i18n/format";
import { useLanguage, useViewer } from "~/ui/use-viewer";
import type { AccessDecision, NextStep, Reason, TrackDecision } from "./decision";

/** One approved tool as "My AI tools" shows it, in the reader's language. */
export type MyToolView = {
  id: string;
  name: string;
  vendor: string;
  description: string;
  dataClass: "public" | "internal" | "confidential";
  guidance: string[];
  decision: AccessDecision;
};

export type MyToolsView = {
  release: number;
  tools: MyToolView[];
  /** Titles of the tracks and courses the decisions name, in the reader's language. */
  trackTitles: Record<string, string>;
  courseTitles: Record<string, string>;
};

type View = MyToolsView;
type ToolCard = MyToolView;

const DATA_CLASS_TONE: Record<ToolCard["dataClass"], string> = {
  public: "bg-slate-100 text-slate-800",
  internal: "bg-sky-100 text-sky-900",
  confidential: "bg-violet-100 text-violet-900",
};

const linkClass = "font-semibold text-indigo-700 underline hover:text-indigo-900";

function trackTitle(view: View, trackId: string, t: TFunction) {
  return view.trackTitles[trackId] ?? t("tools.unknownTrackTitle", { id: trackId });
}

/** Why a track is not held: the lapse (expired / revoked) when there was a certificate. */
function LapseNote({ reason }: { reason: Reason | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (reason?.kind === "certificate-expired") return <p className="text-sm text-slate-700">{t("tools.requirement.expired", { date: formatDate(reason.expiredAt, language) })}</p>;
  if (reason?.kind === "certificate-revoked") return <p className="text-sm text-slate-700">{t("tools.requirement.revoked", { date: formatDate(reason.revokedAt, language) })}</p>;
  return null;
}

function NextStepNote({ step, trackId, view }: { step: NextStep; trackId: string; view: View }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const title = trackTitle(view, trackId, t);
  const trackLink = (key: string) => (
    <Link to={`/tracks/${trackId}`} className={linkClass}>
      {t(key, { track: title })}
    </Link>
  );
  switch (step.kind) {
    case "courses":
      return (
        <div data-next="courses">
          <p className="text-sm text-slate-800">{t("tools.next.courses")}</p>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
            {step.courseIds.map((id) => (
              <li key={id}>
                <Link to={`/learn/${id}`} className={linkClass}>
                  {view.courseTitles[id] ?? id}
                </Link>
              </li>
            ))}
          </ul>
          <p className="mt-1 text-sm">{trackLink("tools.next.trackLink")}</p>
        </div>
      );
    case "exam":
      return (
        <div data-next="exam">
          <p className="text-sm text-slate-800">{t("tools.next.exam")}</p>
          <p className="mt-1 text-sm">{trackLink("tools.next.examLink")}</p>
        </div>
      );
    case "retake":
      return (
        <div data-next="retake">
          <p className="text-sm text-slate-800">{t("tools.next.retake", { date: formatDateTime(step.opensAt, language) })}</p>
          <p className="mt-1 text-sm">{trackLink("tools.next.trackLink")}</p>
        </div>
      );
    case "no-attempts-left":
      return (
        <p className="text-sm text-slate-800" data-next="no-attempts-left">
          {t("tools.next.noAttemptsLeft")}
        </p>
      );
    case "exam-in-progress":
      return (
        <div data-next="exam-in-progress">
          <p className="text-sm text-slate-800">{t("tools.next.examInProgress")}</p>
          <p className="mt-1 text-sm">
            <Link to={`/exams/${step.attemptId}`} className={linkClass}>
              {t("tools.next.resumeLink", { track: title })}
            </Link>
          </p>
        </div>
      );
    case "inactive":
      return (
        <p className="text-sm text-slate-800" data-next="inactive">
          {t("tools.next.inactive")}
        </p>
      );
    case "unknown-track":
      return (
        <p className="text-sm text-slate-800" data-next="unknown-track">
          {t("tools.next.unknownTrack")}
        </p>
      );
  }
}

function Requirement({ track, tool, view }: { track: TrackDecision; tool: ToolCard; view: View }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const title = trackTitle(view, track.trackId, t);
  const reason = tool.decision.reasons.find((r) => "trackId" in r && r.trackId === track.trackId);
  if (track.satisfiedBy) {
    return (
      <li className="flex flex-wrap items-baseline gap-x-2" data-track={track.trackId} data-satisfied="true">
        <span aria-hidden="true" className="font-bold text-emerald-700">
          ✓
        </span>
        <span className="font-medium text-slate-900">{title}</span>
        <span className="text-sm text-emerald-800">{t("tools.requirement.certified", { date: formatDate(track.satisfiedBy.validUntil, language) })}</span>
      </li>
    );
  }
  return (
    <li className="space-y-1" data-track={track.trackId} data-satisfied="false">
      <div className="flex flex-wrap items-baseline gap-x-2">
        <span aria-hidden="true" className="font-bold text-slate-500">
          ✗
        </span>
        <span className="font-medium text-slate-900">{title}</span>
        <span className="text-sm text-slate-700">{t("tools.requirement.missing")}</span>
      </div>
      <div className="space-y-1 pl-5">
        <LapseNote reason={reason} />
        {track.missing ? <NextStepNote step={track.missing} trackId={track.trackId} view={view} /> : null}
      </div>
    </li>
  );
}

function ToolCardView({ tool, view }: { tool: ToolCard; view: View }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const d = tool.decision;
  const headingId = `tool-${tool.id}`;
  const permissions = useViewer()?.permissions ?? [];
  const canSeeRoster = permissions.includes("read:report:company") || permissions.includes("read:report:team");
  return (
    <li
      className={`flex flex-col rounded-xl border bg-white p-6 shadow-sm ${d.allowed ? "border-emerald-300" : "border-slate-200"}`}
      data-tool={tool.id}
      data-allowed={d.allowed ? "true" : "false"}
    >
      <article aria-labelledby={headingId} className="flex flex-1 flex-col gap-4">
        <header>
          <div className="flex flex-wrap items-start justify-between gap-2">
            <h3 id={headingId} className="text-lg font-semibold text-slate-900">
              {tool.name}
            </h3>
            <span
              className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${d.allowed ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-800"}`}
              data-testid="tool-status"
            >
              {d.allowed ? `✓ ${t("tools.status.unlocked")}` : t("tools.status.locked")}
            </span>
          </div>
          <p className="mt-1 text-xs text-slate-600">
            {t("tools.vendor", { vendor: tool.vendor })}
          </p>
        </header>

        <p className="auto-phrase text-sm text-slate-700">{tool.description}</p>

        <dl className="text-sm">
          <dt className="font-semibold text-slate-900">{t("tools.dataClass.label")}</dt>
          <dd className="mt-1 text-slate-700">
            <span className={`mr-2 inline-block rounded px-2 py-0.5 text-xs font-semibold ${DATA_CLASS_TONE[tool.dataClass]}`} data-testid="data-class">
              {t(`tools.dataClass.${tool.dataClass}.name`)}
            </span>
            {t(`tools.dataClass.${tool.dataClass}.takes`)}
          </dd>
        </dl>

        <section aria-label={t("tools.requirementsHeading")} className="rounded-lg bg-slate-50 p-4" data-testid="tool-access">
          {d.allowed && d.validUntil ? (
            <p className="text-sm font-medium text-emerald-900" data-testid="valid-until">
              {t("tools.validUntil", { date: formatDate(d.validUntil, language) })}
            </p>
          ) : null}
          {d.allowed
            ? d.recertificationDue.map((r) => (
                <div key={r.trackId} className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" role="note" data-testid="recertification">
                  <p>{t("tools.recertification", { track: trackTitle(view, r.trackId, t), date: formatDate(r.validUntil, language) })}</p>
                  <p className="mt-1">
                    <Link to={`/tracks/${r.trackId}`} className={linkClass}>
                      {t("tools.recertificationLink", { track: trackTitle(view, r.trackId, t) })}
                    </Link>
                  </p>
                </div>
              ))
            : null}
          <h4 className={`text-sm font-semibold text-slate-900 ${d.allowed ? "mt-3" : ""}`}>{t("tools.requirementsHeading")}</h4>
          <ul className="mt-2 space-y-2">
            {d.tracks.map((track) => (
              <Requirement key={track.trackId} track={track} tool={tool} view={view} />
            ))}
          </ul>
          {d.reasons.some((r) => r.kind === "inactive") ? (
            <p className="mt-2 text-sm text-slate-800">{t("tools.next.inactive")}</p>
          ) : null}
        </section>

        {tool.guidance.length > 0 ? (
          <section aria-labelledby={`${headingId}-guidance`}>
            <h4 id={`${headingId}-guidance`} className="text-sm font-semibold text-slate-900">
              {t("tools.guidanceHeading")}
            </h4>
            <ul className="auto-phrase mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700" data-testid="guidance">
              {tool.guidance.map((item, i) => (
                <li key={i}>{item}</li>
              ))}
            </ul>
          </section>
        ) : null}
        {canSeeRoster ? (
          <p className="mt-auto text-sm">
            <Link to={`/tools/${encodeURIComponent(tool.id)}/people`} className={linkClass} data-testid="roster-link">
              {t("toolRoster.linkFromTool")}
            </Link>
          </p>
        ) : null}
      </article>
    </li>
  );
}

/** The page: tools grouped unlocked / locked, each with its data class, guidance and what access rests on. */
export function MyToolsPage({ view }: { view: MyToolsView }) {
  const { t } = useTranslation();
  const unlocked = view.tools.filter((tool) => tool.decision.allowed);
  const locked = view.tools.filter((tool) => !tool.decision.allowed);
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("tools.title")}</h1>
        <p className="auto-phrase mt-2 max-w-3xl text-slate-700">{t("tools.intro")}</p>
        <p className="mt-2 text-sm font-medium text-slate-800" data-testid="tools-summary">
          {t("tools.summary", { unlocked: unlocked.length, total: view.tools.length })}
        </p>
      </header>

      <section aria-labelledby="unlocked-heading">
        <h2 id="unlocked-heading" className="text-lg font-semibold">
          {t("tools.unlockedHeading")}
        </h2>
        {unlocked.length > 0 ? (
          <ul className="mt-3 grid gap-4 lg:grid-cols-2" data-testid="unlocked-tools">
            {unlocked.map((tool) => (
              <ToolCardView key={tool.id} tool={tool} view={view} />
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-700">{t("tools.noneUnlocked")}</p>
        )}
      </section>

      <section aria-labelledby="locked-heading">
        <h2 id="locked-heading" className="text-lg font-semibold">
          {t("tools.lockedHeading")}
        </h2>
        {locked.length > 0 ? (
          <ul className="mt-3 grid gap-4 lg:grid-cols-2" data-testid="locked-tools">
            {locked.map((tool) => (
              <ToolCardView key={tool.id} tool={tool} view={view} />
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-700">{t("tools.noneLocked")}</p>
        )}
      </section>

      <p className="text-xs text-slate-600">{t("tools.release", { number: view.release })}</p>
    </div>
  );
}
