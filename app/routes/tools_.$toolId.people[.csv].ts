import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { auditLog } from "#db/schema";
import { rosterRequest } from "~/access/tool-roster-request.server";
import { toolRoster } from "~/access/tool-roster.server";
import { csvResponse } from "~/csv/csv-response";
import type { CsvCell } from "~/csv/csv-writer";
import { getCurrentRelease } from "~/content/release.server";
import { fixedT } from "~/i18n/fixed-t.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { formatPersonName } from "~/i18n/format";

/** Tokyo calendar date of an instant, as Excel reads it: 2027-03-31. */
const tokyoDate = (iso: string) => new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

/** GET /tools/<tool id>/people.csv — the roster of the tool page, everyone in scope, Excel-ready; audit-logged. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope, departmentId } = await rosterRequest(request);
  const lang = await requestLanguage(request);
  const result = await toolRoster(params.toolId ?? "", scope);
  if (result.kind === "no-release") throw new Response("No content release yet", { status: 503, statusText: "no-release" });
  if (result.kind === "unknown-tool") throw new Response("Not found", { status: 404 });
  const { roster } = result;
  const release = (await getCurrentRelease())!;
  const t = await fixedT(lang);
  const track = (id: string) => release.tracks.get(id)?.title[lang] ?? id;
  const header = ["employeeNumber", "familyName", "givenName", "name", "email", "department", "allowed", "validUntil", "recertificationDue", "missing"].map((k) =>
    t(`toolRoster.csv.${k}`),
  );
  async function* rows(): AsyncGenerator<CsvCell[]> {
    let sent = 0;
    let complete = false;
    try {
      for (const r of roster.rows) {
        sent++;
        yield [
          r.employeeNumber,
          r.familyName,
          r.givenName,
          formatPersonName(r, lang),
          r.email,
          lang === "ja" ? r.departmentNameJa : r.departmentNameEn,
          r.allowed ? t("toolRoster.csv.yes") : t("toolRoster.csv.no"),
          r.validUntil ? tokyoDate(r.validUntil) : "",
          r.recertificationDue ? t("toolRoster.csv.yes") : "",
          r.missing.map((m) => t(`toolRoster.reason.${m.reason}`, { track: track(m.trackId) })).join(t("toolRoster.listSeparator")),
        ];
      }
      complete = true;
    } finally {
      await getDb()
        .insert(auditLog)
        .values({
          actorId: user.id,
          action: "export.tool-roster",
          targetType: "tool",
          targetId: roster.tool.id,
          details: { rows: sent, complete, scope: scope.kind, departmentId, release: roster.release, format: "csv" },
        })
        .catch((error: unknown) => console.error("Could not write the audit entry of a tool roster export", error));
    }
  }
  const day = tokyoDate(new Date().toISOString());
  return csvResponse({
    fileName: `${t("toolRoster.csv.fileName", { tool: roster.tool.name[lang] })}_${day}.csv`,
    asciiFileName: `tool-roster_${roster.tool.id}_${day}.csv`,
    header,
    rows: rows(),
  });
}
