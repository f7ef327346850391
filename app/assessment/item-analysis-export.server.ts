/**
 * The item-analysis table as CSV: the page's columns (same filters, same order) with headers in the
 * reader's language, figures as plain decimals a spreadsheet can compute with (facility 0.75,
 * discrimination -0.186), and one audit entry per download with the rows sent.
 */
import type { CsvCell } from "~/csv/csv-writer";
import type { LoadedRelease } from "~/content/release.server";
import { fixedT } from "~/i18n/fixed-t.server";
import type { Language } from "~/i18n/languages";
import type { ItemAnalysisQuery } from "./item-analysis-query";
import { auditItemAnalysisExport, itemAnalysisView } from "./item-analysis.server";

export const ITEM_ANALYSIS_CSV_COLUMNS = [
  "id",
  "use",
  "type",
  "course",
  "domain",
  "stem",
  "attempts",
  "facility",
  "discrimination",
  "attemptsJa",
  "facilityJa",
  "attemptsEn",
  "facilityEn",
  "gap",
  "flags",
  "unused",
] as const;

/** Three decimals, as a number (so a negative figure stays a number in the sheet). */
const decimal = (v: number | null) => (v === null ? "" : Math.round(v * 1000) / 1000);

/** Tokyo calendar date of now, as Excel reads it: 2027-03-31. */
const tokyoDate = (now: Date) => new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

export async function itemAnalysisCsv(input: { release: LoadedRelease; query: ItemAnalysisQuery; lang: Language; actorId: string; now?: Date }) {
  const { release, query, lang, actorId } = input;
  const t = await fixedT(lang);
  const view = await itemAnalysisView(release, query, lang);
  const separator = t("itemAnalysis.listSeparator");
  async function* rows(): AsyncGenerator<CsvCell[]> {
    let sent = 0;
    let complete = false;
    try {
      for (const r of view.rows) {
        sent++;
        yield [
          r.id,
          t(`itemAnalysis.use.${r.use}`),
          t(`itemAnalysis.type.${r.type}`),
          r.course,
          r.domain,
          release.questions.get(r.id)?.stem[lang] ?? r.stem,
          r.n,
          decimal(r.facility),
          decimal(r.discrimination),
          r.ja.n,
          decimal(r.ja.facility),
          r.en.n,
          decimal(r.en.facility),
          decimal(r.languageGap),
          r.flags.map((f) => t(`itemAnalysis.flagShort.${f}`)).join(separator),
          r.unusedDistractors.map((o) => o.text).join(separator),
        ];
      }
      complete = true;
    } finally {
      await auditItemAnalysisExport({
        actorId,
        release: release.number,
        rows: sent,
        complete,
        filters: { course: query.course || null, domain: query.domain || null, flagged: query.flagged, versions: query.versions },
      }).catch((error: unknown) => console.error("Could not write the audit entry of an item-analysis export", error));
    }
  }
  const day = tokyoDate(input.now ?? new Date());
  return {
    fileName: `${t("itemAnalysis.csv.fileName")}_${day}.csv`,
    asciiFileName: `item-analysis_${day}.csv`,
    header: ITEM_ANALYSIS_CSV_COLUMNS.map((k) => t(`itemAnalysis.csv.${k}`)),
    rows: rows(),
  };
}
