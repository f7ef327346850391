import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FLAG_RULES, type SortKey } from "~/assessment/item-analysis";
import { itemAnalysisSearch, nextDirection, parseItemAnalysisQuery } from "~/assessment/item-analysis-query";
import { itemAnalysisView } from "~/assessment/item-analysis.server";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { formatNumber } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:item-analysis");
  const lang = await requestLanguage(request);
  const query = parseItemAnalysisQuery(new URL(request.url).searchParams);
  const release = await requireRelease();
  const view = await itemAnalysisView(release, query, lang);
  return { query, questions: release.bundle.questions.length, ...view };
}

const th = "whitespace-nowrap px-3 py-2 font-semibold";
const td = "px-3 py-2 align-top";

export default function ItemAnalysisPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  const { query } = data;
  const n = (v: number) => formatNumber(v, language);
  const pct = (v: number | null) => (v === null ? t("itemAnalysis.none") : formatNumber(v, language, { style: "percent", maximumFractionDigits: 0 }));
  const dec = (v: number | null) => (v === null ? t("itemAnalysis.none") : formatNumber(v, language, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "negative" }));
  const points = (v: number | null) =>
    v === null ? t("itemAnalysis.none") : formatNumber(Math.round(v * 100), language, { signDisplay: "exceptZero" });
  const detailSearch = query.versions === "all" ? "?versions=all" : "";

  const SortHeader = ({ column, label, className = "" }: { column: SortKey; label: string; className?: string }) => {
    const active = query.sort === column;
    return (
      <th scope="col" className={`${th} ${className}`} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
        <Link
          to={itemAnalysisSearch(query, { sort: column, dir: nextDirection(query, column) })}
          preventScrollReset
          className="inline-flex items-center gap-1 text-indigo-800 underline decoration-dotted underline-offset-2 hover:decoration-solid"
        >
          {label}
          <span aria-hidden="true">{active ? (query.dir === "asc" ? "▲" : "▼") : "↕"}</span>
        </Link>
      </th>
    );
  };

  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm">
          <Link to="/authoring" className="text-indigo-700 underline">
            {t("itemAnalysis.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("itemAnalysis.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("itemAnalysis.intro", { release: data.release })}</p>
      </header>

      <details className="max-w-3xl rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-700 shadow-sm">
        <summary className="cursor-pointer font-semibold text-slate-900">{t("itemAnalysis.method.title")}</summary>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          <li>{t("itemAnalysis.method.exam")}</li>
          <li>{t("itemAnalysis.method.practice")}</li>
          <li>{t("itemAnalysis.method.facility")}</li>
          <li>{t("itemAnalysis.method.discrimination")}</li>
          <li>{t("itemAnalysis.method.language")}</li>
          <li>{t("itemAnalysis.method.versions")}</li>
          <li>
            {t("itemAnalysis.method.flags", {
              minPerLanguage: n(FLAG_RULES.languageGap.minAnswersPerLanguage),
              gap: n(FLAG_RULES.languageGap.minDifference * 100),
              minAnswers: n(FLAG_RULES.negativeDiscrimination.minAnswers),
            })}
          </li>
          <li>{t("itemAnalysis.method.letters")}</li>
        </ul>
      </details>

      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("itemAnalysis.filters.legend")}>
        <div>
          <label htmlFor="course" className="block text-sm font-medium text-slate-800">
            {t("itemAnalysis.filters.course")}
          </label>
          <select id="course" name="course" defaultValue={query.course} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            <option value="">{t("itemAnalysis.filters.allCourses")}</option>
            {data.courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="domain" className="block text-sm font-medium text-slate-800">
            {t("itemAnalysis.filters.domain")}
          </label>
          <select id="domain" name="domain" defaultValue={query.domain} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            <option value="">{t("itemAnalysis.filters.allDomains")}</option>
            {data.domains.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="versions" className="block text-sm font-medium text-slate-800">
            {t("itemAnalysis.filters.versions")}
          </label>
          <select id="versions" name="versions" defaultValue={query.versions} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            <option value="current">{t("itemAnalysis.filters.versionsCurrent")}</option>
            <option value="all">{t("itemAnalysis.filters.versionsAll")}</option>
          </select>
        </div>
        <div className="flex items-center gap-2 pb-2">
          <input id="flagged" name="flagged" type="checkbox" value="1" defaultChecked={query.flagged} className="h-4 w-4" />
          <label htmlFor="flagged" className="text-sm text-slate-800">
            {t("itemAnalysis.filters.flagged")}
          </label>
        </div>
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="dir" value={query.dir} />
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
          {t("itemAnalysis.filters.apply")}
        </button>
        <a
          href={`/authoring/items.csv${itemAnalysisSearch(query)}`}
          download
          className="ml-auto rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800"
          data-testid="item-analysis-csv"
        >
          {t("itemAnalysis.download")}
        </a>
      </Form>

      {data.answers === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700 shadow-sm" data-testid="item-analysis-empty">
          {t("itemAnalysis.empty")}
        </p>
      ) : (
        <section className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <p className="px-4 pt-3 text-sm text-slate-700">
            {t("itemAnalysis.answersCounted", { count: data.answers, formatted: n(data.answers), questions: n(data.questions) })}
          </p>
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="item-analysis">
            <caption className="px-4 py-2 text-left text-sm text-slate-600">
              {t("itemAnalysis.caption", {
                release: data.release,
                column: t(`itemAnalysis.column.${query.sort}`),
                direction: t(`itemAnalysis.direction.${query.dir}`),
              })}
            </caption>
            <thead className="bg-slate-50 text-left text-xs text-slate-700">
              <tr>
                <SortHeader column="id" label={t("itemAnalysis.column.id")} />
                <SortHeader column="course" label={t("itemAnalysis.column.course")} />
                <SortHeader column="attempts" label={t("itemAnalysis.column.attempts")} className="text-right" />
                <SortHeader column="facility" label={t("itemAnalysis.column.facility")} className="text-right" />
                <SortHeader column="discrimination" label={t("itemAnalysis.column.discrimination")} className="text-right" />
                <SortHeader column="facilityJa" label={t("itemAnalysis.column.facilityJa")} className="text-right" />
                <SortHeader column="facilityEn" label={t("itemAnalysis.column.facilityEn")} className="text-right" />
                <SortHeader column="gap" label={t("itemAnalysis.column.gap")} className="text-right" />
                <SortHeader column="flags" label={t("itemAnalysis.column.flags")} />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.rows.length === 0 ? (
                <tr>
                  <td colSpan={9} className="px-4 py-6 text-center text-slate-600">
                    {t("itemAnalysis.noMatch")}
                  </td>
                </tr>
              ) : (
                data.rows.map((row) => (
                  <tr key={row.id} data-question={row.id} className={row.flags.length > 0 ? "bg-amber-50/60" : undefined}>
                    <td className={`${td} min-w-[16rem]`}>
                      <Link to={`/authoring/items/${encodeURIComponent(row.id)}${detailSearch}`} className="font-mono text-xs font-semibold text-indigo-800 underline">
                        {row.id}
                      </Link>
                      <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{t(`itemAnalysis.use.${row.use}`)}</span>
                      <span className="mt-1 block text-slate-800">{row.stem}</span>
                    </td>
                    <td className={`${td} text-slate-700`}>
                      {row.course}
                      <span className="block text-xs text-slate-600">{row.domain}</span>
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{n(row.n)}</td>
                    <td className={`${td} text-right tabular-nums`}>{pct(row.facility)}</td>
                    <td className={`${td} text-right tabular-nums ${row.discrimination !== null && row.discrimination < 0 ? "font-semibold text-red-800" : ""}`}>
                      {row.use === "practice" ? <span className="text-slate-600">{t("itemAnalysis.notApplicable")}</span> : dec(row.discrimination)}
                    </td>
                    <td className={`${td} text-right tabular-nums`}>
                      {pct(row.ja.facility)}
                      <span className="block text-xs text-slate-600">{t("itemAnalysis.answersOf", { formatted: n(row.ja.n) })}</span>
                    </td>
                    <td className={`${td} text-right tabular-nums`}>
                      {pct(row.en.facility)}
                      <span className="block text-xs text-slate-600">{t("itemAnalysis.answersOf", { formatted: n(row.en.n) })}</span>
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{points(row.languageGap)}</td>
                    <td className={td}>
                      {row.flags.length === 0 ? null : (
                        <ul className="space-y-1">
                          {row.flags.map((flag) => (
                            <li key={flag} className="text-amber-900">
                              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold" title={t(`itemAnalysis.flag.${flag}`)}>
                                {t(`itemAnalysis.flagShort.${flag}`)}
                              </span>
                              {flag === "unused-distractor" ? (
                                <span className="mt-0.5 block text-xs">
                                  {t("itemAnalysis.unusedOptions", { options: row.unusedDistractors.map((o) => o.text).join(t("itemAnalysis.listSeparator")) })}
                                </span>
                              ) : null}
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
      )}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "itemAnalysis.pageTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
