import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { csvResponse } from "~/csv/csv-response";
import { requestLanguage } from "~/i18n/i18next.server";
import { resources } from "~/i18n/config";
import { PEOPLE_EXPORT_COLUMNS, peopleExportRows } from "~/org/people-export.server";

/** GET /hr/people.csv: everyone, in the org import's columns, streamed; audit-logged. */
export async function loader({ request }: LoaderFunctionArgs) {
  const hr = await requirePermission(request, "export:report");
  const language = await requestLanguage(request);
  const date = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date());
  const base = resources[language].common.orgImport.exportFileName;
  return csvResponse({
    fileName: `${base}-${date}.csv`,
    asciiFileName: `people-${date}.csv`,
    header: PEOPLE_EXPORT_COLUMNS,
    rows: peopleExportRows(hr.id),
  });
}
