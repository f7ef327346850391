import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseItemAnalysisQuery } from "~/assessment/item-analysis-query";
import { itemAnalysisCsv } from "~/assessment/item-analysis-export.server";
import { requirePermission } from "~/auth/session.server";
import { csvResponse } from "~/csv/csv-response";
import { requireRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";

/** GET /authoring/items.csv — the item-analysis table as on the page (same filters and order), Excel-ready; audit-logged. */
export async function loader({ request }: LoaderFunctionArgs) {
  const author = await requirePermission(request, "read:item-analysis");
  const lang = await requestLanguage(request);
  const query = parseItemAnalysisQuery(new URL(request.url).searchParams);
  const release = await requireRelease();
  const csv = await itemAnalysisCsv({ release, query, lang, actorId: author.id });
  return csvResponse(csv);
}
