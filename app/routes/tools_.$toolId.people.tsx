import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { rosterRequest } from "~/access/tool-roster-request.server";
import { departmentChoices, toolRoster } from "~/access/tool-roster.server";
import { displayText, getCurrentRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { formatDate, formatNumber, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

/** How many people a page lists per view; the CSV has everyone. */
const PAGE_ROWS = 200;
const SHOWS = ["not-allowed", "recertification", "allowed"] as const;
type Show = (typeof SHOWS)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope, departmentId } = await rosterRequest(request);
  const lang = await requestLanguage(request);
  const url = new URL(request.url);
  const show: Show = (SHOWS as readonly string[]).includes(url.searchParams.get("show") ?? "") ? (url.searchParams.get("show") as Show) : "not-allowed";
  const result = await toolRoster(params.toolId ?? "", scope);
  if (result.kind === "no-release") throw new Response("No content release yet", { status: 503, statusText: "no-release" });
  if (result.kind === "unknown-tool") throw new Response("Not found", { status: 404 });
  const { roster } = result;
  const release = (await getCurrentRelease())!;
  const listed = roster.rows.filter((r) => (show === "allowed" ? r.allowed : show === "recertification" ? r.recertificationDue : !r.allowed));
  const departments = scope.kind === "company" ? await departmentChoices() : [];
  return {
    tool: { id: roster.tool.id, name: roster.tool.name[lang], description: displayText(release, roster.tool.description[lang], lang) },
    trackTitles: Object.fromEntries(roster.tool.requiredTracks.map((id) => [id, release.tracks.get(id)?.title[lang] ?? id])),
    scope: scope.kind,
    departmentId,
    department: departments.find((d) => d.id === departmentId) ?? null,
    departments,
    counts: roster.counts,
    show,
    total: listed.length,
    rows: listed.slice(0, PAGE_ROWS),
    csvQuery: departmentId ? `?department=${encodeURIComponent(departmentId)}` : "",
  };
}

const card = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm";

export default function ToolPeople() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  const { counts } = data;
  const n = (v: number) => formatNumber(v, language);
  const tab = (show: Show, label: string, count: number) => {
    const params = new URLSearchParams();
    if (data.departmentId) params.set("department", data.departmentId);
    params.set("show", show);
    return (
      <Link
        key={show}
        to={`?${params.toString()}`}
        aria-current={data.show === show ? "page" : undefined}
        className={`rounded-md border px-3 py-1.5 text-sm font-medium ${data.show === show ? "border-indigo-700 bg-indigo-700 text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-100"}`}
      >
        {label} ({n(count)})
      </Link>
    );
  };
  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm">
          <Link to="/tools" className="text-indigo-700 underline">
            {t("toolRoster.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("toolRoster.title", { tool: data.tool.name })}</h1>
        <p className="mt-1 text-sm text-slate-700" data-testid="roster-scope">
          {data.scope === "team"
            ? t("toolRoster.scope.team")
            : data.department
              ? t("toolRoster.scope.department", { name: language === "ja" ? data.department.nameJa : data.department.nameEn })
              : t("toolRoster.scope.company")}
        </p>
        <p className="mt-1 text-sm text-slate-700">
          {t("toolRoster.requires", { tracks: Object.values(data.trackTitles).join(t("toolRoster.listSeparator")) })}
        </p>
      </header>

      {data.scope === "company" && data.departments.length > 0 ? (
        <Form method="get" className="flex flex-wrap items-end gap-3">
          <div>
            <label htmlFor="department" className="block text-sm font-medium text-slate-800">
              {t("toolRoster.department")}
            </label>
            <select id="department" name="department" defaultValue={data.departmentId ?? ""} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              <option value="">{t("toolRoster.allDepartments")}</option>
              {data.departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.code} {language === "ja" ? d.nameJa : d.nameEn}
                </option>
              ))}
            </select>
          </div>
          <input type="hidden" name="show" value={data.show} />
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
            {t("toolRoster.apply")}
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="sr-only">
          {t("toolRoster.summary")}
        </h2>
        <dl className="grid gap-3 sm:grid-cols-3" data-testid="roster-counts">
          <div className={card}>
            <dt className="text-sm text-slate-700">{t("toolRoster.counts.allowed")}</dt>
            <dd className="mt-1 text-2xl font-bold text-emerald-800">
              {t("toolRoster.counts.ofPeople", { count: counts.allowed, formatted: n(counts.allowed), total: n(counts.people) })}
            </dd>
          </div>
          <div className={card}>
            <dt className="text-sm text-slate-700">{t("toolRoster.counts.notAllowed")}</dt>
            <dd className="mt-1 text-2xl font-bold text-red-800">{n(counts.notAllowed)}</dd>
            <dd className="mt-1 text-xs text-slate-700">
              {t("toolRoster.counts.reasons", {
                none: n(counts.byReason["no-certificate"]),
                expired: n(counts.byReason["certificate-expired"]),
                revoked: n(counts.byReason["certificate-revoked"]),
              })}
            </dd>
          </div>
          <div className={card}>
            <dt className="text-sm text-slate-700">{t("toolRoster.counts.recertification")}</dt>
            <dd className="mt-1 text-2xl font-bold text-amber-800">{n(counts.recertificationDue)}</dd>
          </div>
        </dl>
      </section>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label={t("toolRoster.views")} className="flex flex-wrap gap-2">
          {tab("not-allowed", t("toolRoster.show.notAllowed"), counts.notAllowed)}
          {tab("recertification", t("toolRoster.show.recertification"), counts.recertificationDue)}
          {tab("allowed", t("toolRoster.show.allowed"), counts.allowed)}
        </nav>
        <a
          href={`/tools/${encodeURIComponent(data.tool.id)}/people.csv${data.csvQuery}`}
          download
          className="rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800"
          data-testid="roster-csv"
        >
          {t("toolRoster.download")}
        </a>
      </div>

      <section className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="roster">
          <caption className="px-4 py-3 text-left text-sm text-slate-600">
            {data.total > data.rows.length
              ? t("toolRoster.list.partial", { shown: n(data.rows.length), total: n(data.total) })
              : t("toolRoster.list.count", { count: data.total, formatted: n(data.total) })}
          </caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">{t("toolRoster.list.name")}</th>
              <th scope="col" className="px-4 py-2">{t("toolRoster.list.employeeNumber")}</th>
              <th scope="col" className="px-4 py-2">{t("toolRoster.list.department")}</th>
              <th scope="col" className="px-4 py-2">{t("toolRoster.list.status")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-4 py-6 text-center text-slate-600">
                  {t("toolRoster.list.empty")}
                </td>
              </tr>
            ) : (
              data.rows.map((row) => (
                <tr key={row.id}>
                  <td className="px-4 py-3 font-medium text-slate-900">
                    {formatPersonName(row, language)}
                    <span className="block text-xs font-normal text-slate-600">{row.email}</span>
                  </td>
                  <td className="px-4 py-3 font-mono text-xs text-slate-800">{row.employeeNumber ?? "—"}</td>
                  <td className="px-4 py-3 text-slate-700">{(language === "ja" ? row.departmentNameJa : row.departmentNameEn) ?? "—"}</td>
                  <td className="px-4 py-3">
                    {row.allowed ? (
                      <span className={row.recertificationDue ? "text-amber-900" : "text-emerald-800"}>
                        {t(row.recertificationDue ? "toolRoster.status.allowedRecertify" : "toolRoster.status.allowed", {
                          date: formatDate(row.validUntil!, language),
                        })}
                      </span>
                    ) : (
                      <ul className="space-y-0.5 text-red-900">
                        {row.missing.map((m) => (
                          <li key={m.trackId}>
                            {t(`toolRoster.reason.${m.reason}`, { track: data.trackTitles[m.trackId] ?? m.trackId })}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "toolRoster.pageTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
