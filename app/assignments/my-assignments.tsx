import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDate } from "~/i18n/format";
import { Icon } from "~/ui/icons";
import { useLanguage } from "~/ui/use-viewer";
import type { AssignmentStatus } from "./assignment-status";
import type { MyAssignment } from "./assignments.server";

export type MyAssignmentView = {
  trackId: string;
  title: { en: string; ja: string };
  dueOn: string;
  daysLeft: number;
  status: AssignmentStatus;
  certifiedUntil: string | null;
};

/** What a page sends to the browser of a learner's assignment (dates as text). */
export function toAssignmentView(a: MyAssignment): MyAssignmentView {
  return {
    trackId: a.trackId,
    title: a.title,
    dueOn: a.dueOn,
    daysLeft: a.daysLeft,
    status: a.status,
    certifiedUntil: a.certifiedUntil?.toISOString() ?? null,
  };
}

const TONE: Record<AssignmentStatus, string> = {
  overdue: "border-red-300 bg-red-50 text-red-900",
  "not-started": "border-slate-300 bg-slate-50 text-slate-800",
  "in-progress": "border-sky-300 bg-sky-50 text-sky-900",
  certified: "border-emerald-300 bg-emerald-50 text-emerald-900",
};

const ICON: Record<AssignmentStatus, string> = { overdue: "alert", "not-started": "circle", "in-progress": "clock", certified: "check" };

/** The learner's assigned tracks on the home page, most urgent first, each with its status in words. */
export function MyAssignments({ items }: { items: MyAssignmentView[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="assigned-heading" className="space-y-3" data-testid="my-assignments">
      <h2 id="assigned-heading" className="text-lg font-semibold text-slate-900">
        {t("assignments.mine.heading")}
      </h2>
      <ul className="grid gap-3 md:grid-cols-2">
        {items.map((item) => (
          <li key={item.trackId} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <div className="flex items-start justify-between gap-3">
              <Link to={`/tracks/${item.trackId}`} className="font-semibold text-indigo-800 underline-offset-2 hover:underline">
                {item.title[language]}
              </Link>
              <span className={`inline-flex shrink-0 items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-semibold ${TONE[item.status]}`}>
                <Icon name={ICON[item.status]} className="h-3.5 w-3.5" />
                {t(`assignments.mine.status.${item.status}`)}
              </span>
            </div>
            <p className="mt-2 text-sm text-slate-700">
              <DueText item={item} />
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "Due 10 December 2026 · 10 days left", "… · 3 days overdue", or "Certified until …". */
export function DueText({ item }: { item: Pick<MyAssignmentView, "status" | "dueOn" | "daysLeft" | "certifiedUntil"> }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (item.status === "certified" && item.certifiedUntil) {
    return <>{t("assignments.mine.certifiedUntil", { date: formatDate(item.certifiedUntil, language) })}</>;
  }
  const left =
    item.daysLeft < 0
      ? t("assignments.mine.overdueBy", { count: -item.daysLeft })
      : item.daysLeft === 0
        ? t("assignments.mine.dueToday")
        : t("assignments.mine.daysLeft", { count: item.daysLeft });
  return <>{`${t("assignments.mine.due", { date: formatDate(item.dueOn, language) })} · ${left}`}</>;
}

/** On a track card: that the track is assigned, and by when. */
export function AssignedDue({ item }: { item: MyAssignmentView | undefined }) {
  const { t } = useTranslation();
  if (!item || item.status === "certified") return null;
  const tone = item.status === "overdue" ? "text-red-800" : "text-slate-800";
  return (
    <p className={`mt-2 text-sm font-medium ${tone}`} data-testid="assigned-due">
      {item.status === "overdue" ? <Icon name="alert" className="me-1 inline h-4 w-4 align-text-bottom" /> : null}
      {t("assignments.mine.assigned")} · <DueText item={item} />
    </p>
  );
}
