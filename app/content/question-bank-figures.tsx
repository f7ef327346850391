import { useTranslation } from "react-i18next";
import type { Language } from "~/content/types";
import { KEY_LONGEST_LIMIT, MUCH_LONGER, POOL_FACTOR, type QuestionStats } from "~/content/question-stats";

const cell = "px-3 py-2 text-right tabular-nums";
const head = "px-3 py-2 text-right font-semibold";
const OPTION_LETTERS = ["a", "b", "c", "d", "e"];

function Flagged({ over, children }: { over: boolean; children: React.ReactNode }) {
  const { t } = useTranslation();
  if (!over) return <>{children}</>;
  return (
    <span className="font-semibold text-amber-800">
      {children}
      <span aria-hidden="true"> ⚠</span>
      <span className="sr-only"> ({t("authoring.banks.flag")})</span>
    </span>
  );
}

/** The Authoring page's "Question banks": the figures of `npm run content:stats`, in the reader's language. */
export function QuestionBankFigures({
  stats,
  domainNames,
  language,
}: {
  stats: QuestionStats;
  domainNames: Record<string, string>;
  language: Language;
}) {
  const { t } = useTranslation();
  const pct = (share: number) => new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }).format(share);
  const ratio = (value: number) => new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  if (stats.banks.length === 0 && stats.domains.length === 0) return <p className="mt-2 text-sm text-slate-600">{t("authoring.banks.none")}</p>;
  return (
    <div className="mt-3 space-y-6">
      <div className="table-wrap overflow-x-auto rounded-lg border border-slate-200">
        <table className="min-w-full text-sm">
          <caption className="sr-only">{t("authoring.banks.banksCaption")}</caption>
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-semibold">{t("authoring.banks.bank")}</th>
              <th scope="col" className={head}>{t("authoring.banks.items")}</th>
              <th scope="col" className={head}>{t("authoring.banks.exam")}</th>
              <th scope="col" className={head}>{t("authoring.banks.practice")}</th>
              <th scope="col" className={head}>{t("authoring.banks.single")}</th>
              <th scope="col" className={head}>{t("authoring.banks.multiple")}</th>
              <th scope="col" className={head}>{t("authoring.banks.truefalse")}</th>
              <th scope="col" className={head}>{t("authoring.banks.positions")}</th>
              <th scope="col" className={head}>{t("authoring.banks.keyLongest", { lang: t("authoring.banks.lang.en") })}</th>
              <th scope="col" className={head}>{t("authoring.banks.keyLongest", { lang: t("authoring.banks.lang.ja") })}</th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">{t("authoring.banks.muchLonger")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {stats.banks.map((b) => (
              <tr key={b.courseId}>
                <th scope="row" className="px-3 py-2 text-left font-mono font-normal">{b.courseId}</th>
                <td className={cell}>{b.counts.total}</td>
                <td className={cell}>{b.counts.exam}</td>
                <td className={cell}>{b.counts.practice}</td>
                <td className={cell}>{t("authoring.banks.examPlusPractice", { exam: b.counts.single.exam, practice: b.counts.single.practice })}</td>
                <td className={cell}>{t("authoring.banks.examPlusPractice", { exam: b.counts.multiple.exam, practice: b.counts.multiple.practice })}</td>
                <td className={cell}>{t("authoring.banks.examPlusPractice", { exam: b.counts.truefalse.exam, practice: b.counts.truefalse.practice })}</td>
                <td className={cell}>{b.answerPositions.map((n, i) => `${OPTION_LETTERS[i]} ${n}`).join(" · ")}</td>
                {(["en", "ja"] as const).map((lang) => (
                  <td key={lang} className={cell}>
                    <Flagged over={b.keyLongestShare[lang] > KEY_LONGEST_LIMIT}>
                      {t("authoring.banks.share", { n: b.keyLongest[lang], total: b.single, percent: pct(b.keyLongestShare[lang]) })}
                    </Flagged>
                  </td>
                ))}
                <td className="px-3 py-2">
                  {b.muchLonger.length === 0 ? (
                    t("authoring.banks.noneFound")
                  ) : (
                    <Flagged over>
                      {b.muchLonger.map((m) => t("authoring.banks.itemInLanguage", { id: m.id, lang: t(`authoring.banks.lang.${m.lang}`) })).join(t("authoring.banks.separator"))}
                    </Flagged>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="table-wrap overflow-x-auto rounded-lg border border-slate-200">
        <table className="min-w-full text-sm">
          <caption className="sr-only">{t("authoring.banks.domainsCaption")}</caption>
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-semibold">{t("authoring.banks.domain")}</th>
              <th scope="col" className={head}>{t("authoring.banks.items")}</th>
              <th scope="col" className={head}>{t("authoring.banks.exam")}</th>
              <th scope="col" className={head}>{t("authoring.banks.practice")}</th>
              <th scope="col" className="px-3 py-2 text-left font-semibold">{t("authoring.banks.track")}</th>
              <th scope="col" className={head}>{t("authoring.banks.draw")}</th>
              <th scope="col" className={head}>{t("authoring.banks.examInTrack")}</th>
              <th scope="col" className={head}>{t("authoring.banks.ratio")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {stats.domains.flatMap((d) => {
              const draws = d.draws.length ? d.draws : [null];
              return draws.map((draw, i) => (
                <tr key={`${d.domain}-${draw?.trackId ?? "none"}`}>
                  {i === 0 ? (
                    <>
                      <th scope="row" rowSpan={draws.length} className="px-3 py-2 text-left font-normal">
                        {domainNames[d.domain] ?? d.domain}
                        {domainNames[d.domain] ? <span className="ml-2 font-mono text-xs text-slate-500">{d.domain}</span> : null}
                      </th>
                      <td rowSpan={draws.length} className={cell}>{d.counts.total}</td>
                      <td rowSpan={draws.length} className={cell}>{d.counts.exam}</td>
                      <td rowSpan={draws.length} className={cell}>{d.counts.practice}</td>
                    </>
                  ) : null}
                  <td className="px-3 py-2 font-mono">{draw?.trackId ?? "—"}</td>
                  <td className={cell}>{draw?.count ?? "—"}</td>
                  <td className={cell}>{draw?.examItems ?? "—"}</td>
                  <td className={cell}>
                    {draw ? <Flagged over={draw.examItems < draw.count * POOL_FACTOR}>{t("authoring.banks.times", { ratio: ratio(draw.ratio) })}</Flagged> : "—"}
                  </td>
                </tr>
              ));
            })}
          </tbody>
        </table>
      </div>

      <ul className="list-disc space-y-1 pl-5 text-xs text-slate-600">
        <li>{t("authoring.banks.legendLongest", { limit: pct(KEY_LONGEST_LIMIT) })}</li>
        <li>{t("authoring.banks.legendMuchLonger", { ratio: MUCH_LONGER.ratio, en: MUCH_LONGER.extra.en, ja: MUCH_LONGER.extra.ja })}</li>
        <li>{t("authoring.banks.legendRatio", { factor: POOL_FACTOR })}</li>
        <li>{t("authoring.banks.legendCommand")}</li>
      </ul>
    </div>
  );
}
