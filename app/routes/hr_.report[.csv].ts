import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { csvResponse } from "~/csv/csv-response";
import type { CsvCell } from "~/csv/csv-writer";
import { fixedT } from "~/i18n/fixed-t.server";
import { formatPersonName } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { tokyoDay } from "~/assignments/assignment-status";
import { departmentById, reportPeopleRows, type PeopleQuery } from "~/reports/dashboard.server";
import { parseReportSearch } from "~/reports/report-query";

const COLUMNS = ["employeeNumber", "familyName", "givenName", "name", "email", "department", "status", "dueOn", "certifiedUntil"] as const;

/** GET /hr/report.csv — the people behind a dashboard number (the list of /hr/report), everyone, Excel-ready; audit-logged. */
export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requirePermission(request, "export:report");
  const language = await requestLanguage(request);
  const search = parseReportSearch(new URL(request.url));
  const release = await requireRelease();
  const trackId = search.trackId && release.tracks.has(search.trackId) ? search.trackId : null;
  if (!trackId) throw new Response("Unknown track", { status: 404 });
  const department = search.departmentId && search.departmentId !== "none" ? await departmentById(search.departmentId) : null;
  const query: PeopleQuery = {
    trackId,
    departmentId: search.departmentId === "none" ? "none" : (department?.id ?? null),
    direct: search.direct && department !== null,
    status: search.status,
    expiring: search.expiring,
  };
  const t = await fixedT(language);
  async function* rows(): AsyncGenerator<CsvCell[]> {
    for await (const p of reportPeopleRows(release, query, hr.id)) {
      yield [
        p.employeeNumber,
        p.familyName,
        p.givenName,
        formatPersonName(p, language),
        p.email,
        language === "ja" ? p.departmentNameJa : p.departmentNameEn,
        t(`hrDashboard.status.${p.status}`),
        p.dueOn,
        p.certifiedUntil ? tokyoDay(p.certifiedUntil) : "",
      ];
    }
  }
  const day = tokyoDay(new Date());
  return csvResponse({
    fileName: `${t("hrReport.csv.fileName", { track: release.tracks.get(trackId)!.title[language] })}_${day}.csv`,
    asciiFileName: `report_${trackId}_${day}.csv`,
    header: COLUMNS.map((c) => t(`hrReport.csv.${c}`)),
    rows: rows(),
  });
}
