import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { formatDate, formatNumber, formatPersonName } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { departmentById, reportPeoplePage } from "~/reports/dashboard.server";
import { parseReportSearch, reportSearchString } from "~/reports/report-query";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

/** People per page; the CSV has everyone. */
const PAGE_ROWS = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:report:company");
  const language = await requestLanguage(request);
  const search = parseReportSearch(new URL(request.url));
  const release = await requireRelease();
  const trackId = search.trackId && release.tracks.has(search.trackId) ? search.trackId : null;
  if (!trackId) throw new Response("Unknown track", { status: 404 });
  const department = search.departmentId && search.departmentId !== "none" ? await departmentById(search.departmentId) : null;
  const departmentId = search.departmentId === "none" ? "none" : (department?.id ?? null);
  const query = { trackId, departmentId, direct: search.direct && department !== null, status: search.status, expiring: search.expiring };
  const { total, rows } = await reportPeoplePage(release, query, { offset: (search.page - 1) * PAGE_ROWS, limit: PAGE_ROWS });
  return {
    query,
    page: search.page,
    pages: Math.max(1, Math.ceil(total / PAGE_ROWS)),
    total,
    first: (search.page - 1) * PAGE_ROWS + 1,
    trackTitle: release.tracks.get(trackId)!.title[language],
    department,
    rows: rows.map((r) => ({ ...r, certifiedUntil: r.certifiedUntil?.toISOString() ?? null })),
  };
}

const link = "text-indigo-700 underline hover:text-indigo-900";

export default function HrReport() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  const { query } = data;
  const n = (v: number) => formatNumber(v, language);
  const day = (d: string) => formatDate(`${d}T12:00:00+09:00`, language);
  const deptName = (d: { nameJa: string | null; nameEn: string | null }) => (language === "ja" ? d.nameJa : d.nameEn) ?? "—";
  const dashboardSearch = new URLSearchParams({ track: query.trackId, ...(data.department ? { department: data.department.id } : {}) });
  const where =
    query.departmentId === "none"
      ? t("hrReport.scope.none")
      : data.department
        ? t(query.direct ? "hrReport.scope.direct" : "hrReport.scope.department", { name: deptName(data.department) })
        : t("hrReport.scope.company");
  const which = [
    query.status ? t(`hrDashboard.status.${query.status}`) : null,
    query.expiring ? t("hrDashboard.expiring.within", { days: query.expiring }) : null,
  ].filter(Boolean);
  const pageLink = (page: number) => `/hr/report${reportSearchString({ ...query, page })}`;
  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm">
          <Link to={`/hr?${dashboardSearch}`} className={link}>
            {t("hrReport.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("hrReport.title", { track: data.trackTitle })}</h1>
        <p className="mt-1 text-sm text-slate-700" data-testid="report-scope">
          {where}
          {which.length > 0 ? ` ${t("hrReport.only", { what: which.join(t("hrReport.separator")) })}` : ""}
        </p>
      </header>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-800" data-testid="report-count">
          {t("hrReport.count", { count: data.total, formatted: n(data.total) })}
        </p>
        <a href={`/hr/report.csv${reportSearchString({ ...query, page: 1 })}`} download className="rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800" data-testid="report-csv">
          {t("hrReport.download")}
        </a>
      </div>

      <section className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="report-people">
          <caption className="px-4 py-3 text-left text-sm text-slate-600">
            {data.total > data.rows.length
              ? t("hrReport.partial", { from: n(Math.min(data.first, data.total)), to: n(data.first + data.rows.length - 1), total: n(data.total) })
              : t("hrReport.caption")}
          </caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-700">
            <tr>
              <th scope="col" className="px-4 py-2">{t("hrReport.columns.name")}</th>
              <th scope="col" className="px-4 py-2">{t("hrReport.columns.employeeNumber")}</th>
              <th scope="col" className="px-4 py-2">{t("hrReport.columns.department")}</th>
              <th scope="col" className="px-4 py-2">{t("hrReport.columns.status")}</th>
              <th scope="col" className="px-4 py-2">{t("hrReport.columns.dueOn")}</th>
              <th scope="col" className="px-4 py-2">{t("hrReport.columns.certifiedUntil")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-6 text-center text-slate-700">
                  {t("hrReport.empty")}
                </td>
              </tr>
            ) : (
              data.rows.map((row) => (
                <tr key={row.id}>
                  <td className="px-4 py-2 font-medium text-slate-900">
                    {formatPersonName(row, language)}
                    <span className="block text-xs font-normal text-slate-600">{row.email}</span>
                  </td>
                  <td className="px-4 py-2 font-mono text-xs text-slate-800">{row.employeeNumber ?? "—"}</td>
                  <td className="px-4 py-2 text-slate-800">{deptName({ nameJa: row.departmentNameJa, nameEn: row.departmentNameEn })}</td>
                  <td className="px-4 py-2" data-status={row.status}>{t(`hrDashboard.status.${row.status}`)}</td>
                  <td className="px-4 py-2 text-slate-800">{day(row.dueOn)}</td>
                  <td className="px-4 py-2 text-slate-800">{row.certifiedUntil ? formatDate(row.certifiedUntil, language) : "—"}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>

      {data.pages > 1 ? (
        <nav aria-label={t("hrReport.pagesLabel")} className="flex items-center gap-3 text-sm">
          {data.page > 1 ? (
            <Link to={pageLink(data.page - 1)} className={link} rel="prev">
              {t("hrReport.previous")}
            </Link>
          ) : null}
          <span>{t("hrReport.pageOf", { page: n(data.page), pages: n(data.pages) })}</span>
          {data.page < data.pages ? (
            <Link to={pageLink(data.page + 1)} className={link} rel="next">
              {t("hrReport.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "hrReport.pageTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
