import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { itemDetailView } from "~/assessment/item-analysis.server";
import { requirePermission } from "~/auth/session.server";
import { requireRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { formatNumber } from "~/i18n/format";
import { fallbackLanguage, isLanguage, resources } from "~/i18n/config";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "read:item-analysis");
  const lang = await requestLanguage(request);
  const versions = new URL(request.url).searchParams.get("versions") === "all" ? "all" : "current";
  const release = await requireRelease();
  const view = await itemDetailView(release, params.questionId ?? "", versions, lang);
  if (!view) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return view;
}

const th = "px-3 py-2 font-semibold";
const td = "px-3 py-2 align-top";

export default function ItemDetailPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const data = useLoaderData<typeof loader>();
  const { question, analysis } = data;
  const n = (v: number) => formatNumber(v, language);
  const pct = (v: number | null) => (v === null ? t("itemAnalysis.none") : formatNumber(v, language, { style: "percent", maximumFractionDigits: 0 }));
  const dec = (v: number | null) => (v === null ? t("itemAnalysis.none") : formatNumber(v, language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const share = (s: number | null, count: number) => (s === null ? t("itemAnalysis.none") : t("itemAnalysis.detail.share", { share: pct(s), times: n(count) }));
  const exam = question.use === "exam";
  const columns = [
    { key: "all", label: t("itemAnalysis.detail.all"), figures: analysis },
    { key: "ja", label: t("itemAnalysis.detail.ja"), figures: analysis.byLanguage.ja },
    { key: "en", label: t("itemAnalysis.detail.en"), figures: analysis.byLanguage.en },
  ] as const;

  return (
    <div className="space-y-6">
      <header>
        <p className="text-sm">
          <Link to={`/authoring/items${data.versions === "all" ? "?versions=all" : ""}`} className="text-indigo-700 underline">
            {t("itemAnalysis.detail.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("itemAnalysis.detail.heading", { id: question.id })}</h1>
        <p className="mt-1 text-sm text-slate-700">
          {t(`itemAnalysis.use.${question.use}`)} · {t(`itemAnalysis.type.${question.type}`)} · {question.course} · {question.domain}
        </p>
        <p className="mt-3 max-w-3xl whitespace-pre-line text-slate-900">{question.stem}</p>
        <p className="mt-2 text-xs text-slate-600">
          {data.versions === "all"
            ? t("itemAnalysis.detail.versionsAll")
            : question.since !== null
              ? t("itemAnalysis.detail.since", { number: question.since })
              : null}
        </p>
      </header>

      <section aria-labelledby="figures-heading" className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="figures-heading" className="px-4 pt-3 text-lg font-semibold">
          {t("itemAnalysis.detail.figures")}
        </h2>
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="item-figures">
          <thead className="bg-slate-50 text-left text-xs text-slate-700">
            <tr>
              <td className={th} />
              {columns.map((c) => (
                <th key={c.key} scope="col" className={`${th} text-right`}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            <tr>
              <th scope="row" className={`${td} text-left font-medium`}>
                {t("itemAnalysis.detail.answers")}
              </th>
              {columns.map((c) => (
                <td key={c.key} className={`${td} text-right tabular-nums`}>
                  {n(c.figures.n)}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row" className={`${td} text-left font-medium`}>
                {t("itemAnalysis.column.facility")}
              </th>
              {columns.map((c) => (
                <td key={c.key} className={`${td} text-right tabular-nums`}>
                  {pct(c.figures.facility)}
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row" className={`${td} text-left font-medium`}>
                {t("itemAnalysis.column.discrimination")}
              </th>
              {columns.map((c) => (
                <td key={c.key} className={`${td} text-right tabular-nums`}>
                  {exam ? dec(c.figures.discrimination) : t("itemAnalysis.notApplicable")}
                </td>
              ))}
            </tr>
            {exam ? (
              <tr>
                <th scope="row" className={`${td} text-left font-medium`}>
                  {t("itemAnalysis.detail.omitted")}
                </th>
                {columns.map((c) => (
                  <td key={c.key} className={`${td} text-right tabular-nums`}>
                    {n(c.figures.omitted)}
                  </td>
                ))}
              </tr>
            ) : null}
          </tbody>
        </table>
        <div className="px-4 pb-4 pt-2 text-sm">
          <h3 className="font-semibold">{t("itemAnalysis.detail.flags")}</h3>
          {analysis.flags.length === 0 ? (
            <p className="text-slate-700">{t("itemAnalysis.detail.noFlags")}</p>
          ) : (
            <ul className="mt-1 list-disc pl-5 text-amber-900" data-testid="item-flags">
              {analysis.flags.map((flag) => (
                <li key={flag}>{t(`itemAnalysis.flag.${flag}`)}</li>
              ))}
            </ul>
          )}
          {!exam ? <p className="mt-2 text-slate-700">{t("itemAnalysis.method.practice")}</p> : null}
        </div>
      </section>

      <section aria-labelledby="options-heading" className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="options-heading" className="px-4 pt-3 text-lg font-semibold">
          {t("itemAnalysis.detail.options")}
        </h2>
        <p className="px-4 pt-1 text-sm text-slate-700">{t("itemAnalysis.method.letters")}</p>
        {question.type === "multiple" ? <p className="px-4 pt-1 text-sm text-slate-700">{t("itemAnalysis.detail.multiple")}</p> : null}
        <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="item-options">
          <caption className="sr-only">{t("itemAnalysis.detail.optionsCaption")}</caption>
          <thead className="bg-slate-50 text-left text-xs text-slate-700">
            <tr>
              <th scope="col" className={th}>
                {t("itemAnalysis.detail.option")}
              </th>
              {columns.map((c) => (
                <th key={c.key} scope="col" className={`${th} text-right`}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.options.map((o) => (
              <tr key={o.id} data-option={o.id} className={o.isKey ? "bg-emerald-50" : !o.isKey && o.count === 0 && analysis.unusedDistractors.includes(o.id) ? "bg-amber-50" : undefined}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  <span className="font-mono text-xs text-slate-600">{o.id}</span>
                  {o.isKey ? <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-semibold text-emerald-900">{t("itemAnalysis.detail.key")}</span> : null}
                  <span className="mt-0.5 block text-slate-900">{o.text}</span>
                </th>
                <td className={`${td} text-right tabular-nums`}>{share(o.share, o.count)}</td>
                <td className={`${td} text-right tabular-nums`}>{share(o.byLanguage.ja.share, o.byLanguage.ja.count)}</td>
                <td className={`${td} text-right tabular-nums`}>{share(o.byLanguage.en.share, o.byLanguage.en.count)}</td>
              </tr>
            ))}
            {exam ? (
              <tr data-option="omitted">
                <th scope="row" className={`${td} text-left font-normal text-slate-700`}>
                  {t("itemAnalysis.detail.omitted")}
                </th>
                {columns.map((c) => (
                  <td key={c.key} className={`${td} text-right tabular-nums`}>
                    {share(c.figures.n > 0 ? c.figures.omitted / c.figures.n : null, c.figures.omitted)}
                  </td>
                ))}
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = (args) => {
  const root = args.matches.find((m) => m.id === "root")?.data as { language?: string } | undefined;
  const language = isLanguage(root?.language) ? root.language : fallbackLanguage;
  if (!args.data) return pageTitle(args, "itemAnalysis.pageTitle");
  const title = resources[language].common.itemAnalysis.detail.pageTitle.replace("{{id}}", args.data.question.id);
  return [{ title: `${title} | ${resources[language].common.app.name}` }];
};

export function ErrorBoundary() {
  return <ErrorPage />;
}
