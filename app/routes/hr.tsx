import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { departmentChoices } from "~/access/tool-roster.server";
import { tokyoDay, type AssignmentStatus } from "~/assignments/assignment-status";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { formatDate, formatDateTime, formatNumber, formatTime } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { LineChart, StackedBarChart, StatusLegend } from "~/reports/charts";
import { CHART_STATUSES, EXPIRY_WINDOWS, SERIES_WEEKS, shareOf, totalOf, type StatusCounts } from "~/reports/dashboard-figures";
import { cachedHrDashboard } from "~/reports/dashboard-cache.server";
import { departmentById } from "~/reports/dashboard.server";
import { dashboardSearchString, parseDashboardSearch, reportSearchString } from "~/reports/report-query";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:report:company");
  const language = await requestLanguage(request);
  const search = parseDashboardSearch(new URL(request.url));
  const release = await requireRelease();
  const department = search.departmentId ? await departmentById(search.departmentId) : null;
  const [figures, departments] = await Promise.all([
    cachedHrDashboard({ release, trackId: search.trackId, departmentId: department?.id ?? null, fresh: search.fresh }),
    departmentChoices(),
  ]);
  return {
    ...figures.dashboard,
    computedAt: figures.computedAt.toISOString(),
    computedToday: tokyoDay(figures.computedAt) === tokyoDay(new Date()),
    requestedTrackId: search.trackId,
    maxAgeSeconds: figures.maxAgeSeconds,
    department,
    departments,
    trackTitles: Object.fromEntries([...release.tracks.values()].map((t) => [t.id, t.title[language]])),
  };
}

const card = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm";
const link = "text-indigo-700 underline hover:text-indigo-900";
const th = "px-3 py-2 text-left text-xs font-semibold text-slate-700";
const td = "px-3 py-2 text-right tabular-nums";

export default function HrDashboard() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  const n = (v: number) => formatNumber(v, language);
  const percent = (share: number) => formatNumber(share, language, { style: "percent", maximumFractionDigits: 0 });
  const statusLabels = Object.fromEntries(CHART_STATUSES.map((s) => [s, t(`hrDashboard.status.${s}`)])) as Record<AssignmentStatus, string>;
  const departmentId = data.department?.id ?? null;
  const deptName = (d: { nameJa: string | null; nameEn: string | null }) => (language === "ja" ? d.nameJa : d.nameEn) ?? "";
  const track = data.trackId;
  const trackTitle = track ? (data.trackTitles[track] ?? track) : "";

  /** A count and its share, linking to the people behind it. */
  const cell = (count: number, total: number, href: string, label: string) => (
    <Link to={href} className={link} aria-label={label}>
      {n(count)}
      {total > 0 ? <span className="ml-1 text-xs text-slate-600">({percent(count / total)})</span> : null}
    </Link>
  );

  const groupLabel = (g: (typeof data.groups)[number]) =>
    g.key === "direct"
      ? t("hrDashboard.groups.direct", { name: data.department ? deptName(data.department) : "" })
      : g.key === "none"
        ? t("hrDashboard.groups.none")
        : deptName(g);
  const groupSearch = (key: string) =>
    key === "direct" ? { departmentId, direct: true } : key === "none" ? { departmentId: "none" } : { departmentId: key };

  const statusRow = (counts: StatusCounts, label: string, search: { departmentId?: string | null; direct?: boolean }, trackId: string) => {
    const total = totalOf(counts);
    return (
      <>
        <td className={td}>{cell(total, 0, `/hr/report${reportSearchString({ trackId, ...search })}`, t("hrDashboard.a11y.total", { what: label, count: total, formatted: n(total) }))}</td>
        {CHART_STATUSES.map((s) => (
          <td key={s} className={td}>
            {cell(counts[s], total, `/hr/report${reportSearchString({ trackId, ...search, status: s })}`, t("hrDashboard.a11y.status", { what: label, status: statusLabels[s], count: counts[s], formatted: n(counts[s]) }))}
          </td>
        ))}
      </>
    );
  };

  const series = data.series.map((p) => ({ ...p, share: shareOf(p.certified, p.assigned) }));
  const latest = series[series.length - 1];

  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("hrDashboard.title")}</h1>
        <p className="mt-1 text-sm text-slate-700" data-testid="dashboard-scope">
          {data.department ? t("hrDashboard.scope.department", { name: deptName(data.department) }) : t("hrDashboard.scope.company")}
        </p>
        <p className="mt-2 flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm text-slate-700">
          <span data-testid="dashboard-as-of">
            {t("hrDashboard.freshness.asOf", {
              time: data.computedToday ? formatTime(data.computedAt, language) : formatDateTime(data.computedAt, language),
            })}
          </span>
          <Link to={dashboardSearchString({ trackId: data.requestedTrackId, departmentId, fresh: true })} className={link} data-testid="dashboard-refresh" reloadDocument>
            {t("hrDashboard.freshness.refresh")}
          </Link>
        </p>
        {data.maxAgeSeconds > 0 ? <p className="mt-1 text-xs text-slate-600">{t("hrDashboard.freshness.note", { count: data.maxAgeSeconds })}</p> : null}
      </header>

      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("hrDashboard.filters.label")}>
        <div>
          <label htmlFor="track" className="block text-sm font-medium text-slate-800">
            {t("hrDashboard.filters.track")}
          </label>
          <select id="track" name="track" defaultValue={track ?? ""} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            {Object.entries(data.trackTitles).map(([id, title]) => (
              <option key={id} value={id}>
                {title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="department" className="block text-sm font-medium text-slate-800">
            {t("hrDashboard.filters.department")}
          </label>
          <select id="department" name="department" defaultValue={departmentId ?? ""} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            <option value="">{t("hrDashboard.filters.allDepartments")}</option>
            {data.departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.code} {deptName(d)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
          {t("hrDashboard.filters.apply")}
        </button>
      </Form>

      {data.tracks.length === 0 ? (
        <p className={card} data-testid="dashboard-empty">
          {t("hrDashboard.empty")}
        </p>
      ) : (
        <>
          <section aria-labelledby="tracks-heading" className="space-y-2">
            <h2 id="tracks-heading" className="text-lg font-semibold">
              {t("hrDashboard.tracks.heading")}
            </h2>
            <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="track-summary">
                <caption className="sr-only">{t("hrDashboard.tracks.caption")}</caption>
                <thead className="bg-slate-50">
                  <tr>
                    <th scope="col" className={th}>{t("hrDashboard.tracks.track")}</th>
                    <th scope="col" className={`${th} text-right`}>{t("hrDashboard.assigned")}</th>
                    {CHART_STATUSES.map((s) => (
                      <th key={s} scope="col" className={`${th} text-right`}>{statusLabels[s]}</th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {data.tracks.map((row) => (
                    <tr key={row.trackId} data-track={row.trackId}>
                      <th scope="row" className="px-3 py-2 text-left font-medium">
                        {row.trackId === track ? (
                          <span aria-current="true">{data.trackTitles[row.trackId] ?? row.trackId}</span>
                        ) : (
                          <Link to={`?${new URLSearchParams({ track: row.trackId, ...(departmentId ? { department: departmentId } : {}) })}`} className={link}>
                            {data.trackTitles[row.trackId] ?? row.trackId}
                          </Link>
                        )}
                      </th>
                      {statusRow(row.counts, data.trackTitles[row.trackId] ?? row.trackId, { departmentId }, row.trackId)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          {track ? (
            <>
              <section aria-labelledby="departments-heading" className="space-y-3">
                <h2 id="departments-heading" className="text-lg font-semibold">
                  {t("hrDashboard.departments.heading", { track: trackTitle })}
                </h2>
                <p className="text-sm text-slate-700">{data.department ? t("hrDashboard.departments.noteChildren") : t("hrDashboard.departments.noteTop")}</p>
                <StatusLegend labels={statusLabels} prefix="dept-legend" />
                <StackedBarChart
                  prefix="dept-chart"
                  title={t("hrDashboard.departments.chartTitle", { track: trackTitle })}
                  percent={percent}
                  rows={data.groups.map((g) => ({ key: g.key, label: groupLabel(g), counts: g.counts, total: totalOf(g.counts) }))}
                />
                <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
                  <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="department-table">
                    <caption className="px-3 py-2 text-left text-sm text-slate-700">{t("hrDashboard.departments.caption", { track: trackTitle })}</caption>
                    <thead className="bg-slate-50">
                      <tr>
                        <th scope="col" className={th}>{t("hrDashboard.departments.department")}</th>
                        <th scope="col" className={`${th} text-right`}>{t("hrDashboard.assigned")}</th>
                        {CHART_STATUSES.map((s) => (
                          <th key={s} scope="col" className={`${th} text-right`}>{statusLabels[s]}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {data.groups.map((g) => (
                        <tr key={g.key} data-group={g.key}>
                          <th scope="row" className="px-3 py-2 text-left font-medium">
                            {g.key === "direct" || g.key === "none" ? (
                              groupLabel(g)
                            ) : (
                              <Link to={`?${new URLSearchParams({ track, department: g.key })}`} className={link}>
                                {groupLabel(g)}
                              </Link>
                            )}
                          </th>
                          {statusRow(g.counts, groupLabel(g), groupSearch(g.key), track)}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>

              <section aria-labelledby="time-heading" className="space-y-3">
                <h2 id="time-heading" className="text-lg font-semibold">
                  {t("hrDashboard.time.heading", { track: trackTitle })}
                </h2>
                <p className="text-sm text-slate-700">{t("hrDashboard.time.note", { weeks: SERIES_WEEKS })}</p>
                <LineChart
                  prefix="time-chart"
                  title={t("hrDashboard.time.chartTitle", {
                    track: trackTitle,
                    first: series[0] && series[0].share !== null ? percent(series[0].share) : "—",
                    last: latest && latest.share !== null ? percent(latest.share) : "—",
                  })}
                  percent={percent}
                  dayLabel={(day) => formatDate(`${day}T12:00:00+09:00`, language, "medium")}
                  points={series.map((p) => ({ day: p.day, share: p.share }))}
                />
                <details className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
                  <summary className="cursor-pointer text-sm font-medium text-indigo-800">{t("hrDashboard.time.tableToggle")}</summary>
                  <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="time-table">
                    <caption className="sr-only">{t("hrDashboard.time.caption", { track: trackTitle })}</caption>
                    <thead>
                      <tr>
                        <th scope="col" className={th}>{t("hrDashboard.time.day")}</th>
                        <th scope="col" className={`${th} text-right`}>{t("hrDashboard.time.certified")}</th>
                        <th scope="col" className={`${th} text-right`}>{t("hrDashboard.assigned")}</th>
                        <th scope="col" className={`${th} text-right`}>{t("hrDashboard.time.share")}</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {series.map((p) => (
                        <tr key={p.day}>
                          <th scope="row" className="px-3 py-1.5 text-left font-normal">{formatDate(`${p.day}T12:00:00+09:00`, language)}</th>
                          <td className={td}>{n(p.certified)}</td>
                          <td className={td}>{n(p.assigned)}</td>
                          <td className={td}>{p.share === null ? "—" : percent(p.share)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </section>

              <section aria-labelledby="expiring-heading" className="space-y-3">
                <h2 id="expiring-heading" className="text-lg font-semibold">
                  {t("hrDashboard.expiring.heading", { track: trackTitle })}
                </h2>
                <dl className="grid gap-3 sm:grid-cols-3" data-testid="expiring">
                  {EXPIRY_WINDOWS.map((w) => (
                    <div key={w} className={card}>
                      <dt className="text-sm text-slate-700">{t("hrDashboard.expiring.within", { days: w })}</dt>
                      <dd className="mt-1 text-2xl font-bold">
                        <Link to={`/hr/report${reportSearchString({ trackId: track, departmentId, expiring: w })}`} className={link} aria-label={t("hrDashboard.a11y.expiring", { days: w, count: data.expiring[w], formatted: n(data.expiring[w]) })}>
                          {n(data.expiring[w])}
                        </Link>
                      </dd>
                    </div>
                  ))}
                </dl>
              </section>
            </>
          ) : null}
        </>
      )}

      <nav aria-labelledby="hr-pages-heading" className={card}>
        <h2 id="hr-pages-heading" className="text-lg font-semibold">
          {t("hrDashboard.pages")}
        </h2>
        <ul className="mt-2 grid gap-2 sm:grid-cols-2">
          <li>
            <Link to="/hr/assignments" className={`font-semibold ${link}`}>
              {t("assignments.link")}
            </Link>
          </li>
          <li>
            <Link to="/hr/certificates" className={`font-semibold ${link}`}>
              {t("hrCertificates.link")}
            </Link>
          </li>
          <li>
            <Link to="/hr/import" className={`font-semibold ${link}`}>
              {t("orgImport.link")}
            </Link>
          </li>
          <li>
            <Link to="/hr/invitations" className={`font-semibold ${link}`}>
              {t("invitations.link")}
            </Link>
          </li>
          <li>
            <Link to="/hr/reminders" className={`font-semibold ${link}`}>
              {t("reminderPreview.link")}
            </Link>
          </li>
        </ul>
      </nav>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "nav.hr");

export function ErrorBoundary() {
  return <ErrorPage />;
}
