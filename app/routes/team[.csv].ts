import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { auditLog } from "#db/schema";
import { tokyoDay } from "~/assignments/assignment-status";
import { requirePermission } from "~/auth/session.server";
import { getCurrentRelease } from "~/content/release.server";
import { csvResponse } from "~/csv/csv-response";
import type { CsvCell } from "~/csv/csv-writer";
import { fixedT } from "~/i18n/fixed-t.server";
import { formatPersonName } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { parseTeamQuery } from "~/team/team-view";
import { teamLabels, teamPeopleChunks } from "~/team/team.server";

/**
 * GET /team.csv — the manager's team as on /team (same filters, same order), one row per person and
 * assigned track (a person without assignments gets one row without a track), Excel-ready, streamed a
 * chunk of people at a time; audit-logged as `export.team`.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const manager = await requirePermission(request, "read:report:team");
  const lang = await requestLanguage(request);
  const release = await getCurrentRelease();
  const query = parseTeamQuery(new URL(request.url).searchParams, [...(release?.tracks.keys() ?? [])]);
  const filter = { status: query.status, track: query.track };
  const t = await fixedT(lang);
  const labels = teamLabels(release, lang);
  const now = new Date();
  const header = [
    "employeeNumber",
    "familyName",
    "givenName",
    "name",
    "email",
    "department",
    "reportsTo",
    "direct",
    "track",
    "status",
    "dueOn",
    "validUntil",
    "expiringSoon",
    "tools",
  ].map((k) => t(`team.csv.${k}`));
  async function* rows(): AsyncGenerator<CsvCell[]> {
    let sent = 0;
    let people = 0;
    let complete = false;
    try {
      for await (const chunk of teamPeopleChunks(manager.id, release, filter, now)) {
        for (const p of chunk) {
          people++;
          const person: CsvCell[] = [
            p.employeeNumber,
            p.familyName,
            p.givenName,
            formatPersonName(p, lang),
            p.email,
            lang === "ja" ? p.departmentNameJa : p.departmentNameEn,
            p.reportsTo ? formatPersonName(p.reportsTo, lang) : "",
            p.direct ? t("team.csv.yes") : t("team.csv.no"),
          ];
          const tools = p.tools.map((id) => labels.tools[id] ?? id).join(t("team.csv.separator"));
          const cells = Object.values(p.cells).filter((c) => !filter.track || c.trackId === filter.track);
          if (cells.length === 0) {
            sent++;
            yield [...person, "", "", "", "", "", tools];
            continue;
          }
          for (const c of cells) {
            sent++;
            yield [
              ...person,
              labels.tracks[c.trackId] ?? c.trackId,
              t(`team.status.${c.status}`),
              c.dueOn,
              c.certifiedUntil ? tokyoDay(new Date(c.certifiedUntil)) : "",
              c.expiringSoon ? t("team.csv.yes") : "",
              tools,
            ];
          }
        }
      }
      complete = true;
    } finally {
      await getDb()
        .insert(auditLog)
        .values({
          actorId: manager.id,
          action: "export.team",
          targetType: "team",
          targetId: manager.id,
          details: { rows: sent, people, complete, status: filter.status, trackId: filter.track, release: release?.number ?? null, format: "csv" },
        })
        .catch((error: unknown) => console.error("Could not write the audit entry of a team export", error));
    }
  }
  const day = tokyoDay(now);
  return csvResponse({
    fileName: `${t("team.csv.fileName")}_${day}.csv`,
    asciiFileName: `team_${day}.csv`,
    header,
    rows: rows(),
  });
}
