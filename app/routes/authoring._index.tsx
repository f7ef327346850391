import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import type { StaleTranslation } from "#db/schema/content";
import { ItemAnalysisLink } from "~/assessment/item-analysis-link";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { draftStatus, publishDraft } from "~/content/authoring.server";
import { OrganisationValuesList } from "~/content/organisation-values";
import { changeTitles } from "~/content/diff";
import { listReleases } from "~/content/publish.server";
import { publisherKey } from "~/content/publisher";
import { QuestionBankFigures } from "~/content/question-bank-figures";
import { formatDateTime } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { primaryButtonClass } from "~/ui/form";
import { ProblemList } from "~/ui/problem-list";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage, useViewer } from "~/ui/use-viewer";

const publishSchema = z.object({ confirmStale: z.literal("on").optional() });

/** The sizes of a release, in this order. */
const COUNTED = ["courses", "lessons", "questions", "tracks", "tools", "terms"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "preview:content");
  const [draft, releases] = await Promise.all([draftStatus(), listReleases()]);
  const comparison = draft.comparison && {
    latestNumber: draft.comparison.latestNumber,
    unchanged: draft.comparison.unchanged,
    summary: draft.comparison.summary,
    stale: draft.comparison.stale,
  };
  return {
    draft: { problems: draft.problems, errors: draft.errors, comparison },
    // Change lists name things by title: the draft's, else the live release's (for what it removes).
    titles: changeTitles(draft.bundle, draft.comparison?.latestBundle),
    stats: draft.stats,
    domainNames: Object.fromEntries((draft.bundle?.domains ?? []).map((d) => [d.id, d.name])),
    organisation: draft.organisation,
    releases,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "publish:content");
  const form = publishSchema.safeParse(Object.fromEntries(await readForm(request)));
  const result = await publishDraft(user, { confirmStale: form.success && form.data.confirmStale === "on" });
  if (!result.ok && result.reason === "stale-unconfirmed") return redirectWithToast("/authoring", { key: "authoring.staleConfirmNeeded", kind: "error" });
  if (!result.ok) return redirectWithToast("/authoring", { key: "authoring.publishBlocked", values: { count: result.errors }, kind: "error" });
  if (!result.published) return redirectWithToast("/authoring", { key: "authoring.unchanged", values: { number: result.number }, kind: "info" });
  return redirectWithToast("/authoring", { key: "authoring.published", values: { number: result.number }, kind: "success" });
}

type Titles = Record<string, Record<string, { en: string; ja: string }>>;

function ChangeList({ summary, titles }: { summary: Record<string, Record<string, string[]>>; titles: Titles }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const rows = Object.entries(summary).flatMap(([kind, parts]) =>
    Object.entries(parts)
      .filter(([, ids]) => ids.length > 0)
      .map(([change, ids]) => ({ kind, change, ids: ids.map((id) => titles[kind]?.[id]?.[language] ?? id) })),
  );
  if (rows.length === 0) return <p className="text-sm text-slate-600">{t("authoring.noChanges")}</p>;
  return (
    <ul className="space-y-1 text-sm">
      {rows.map((r) => (
        <li key={`${r.kind}-${r.change}`}>
          {r.ids.length > 8 ? (
            <details>
              <summary className="cursor-pointer">
                <span className="font-medium">{t(`authoring.change.${r.change}`, { count: r.ids.length, kind: t(`authoring.kind.${r.kind}`, { count: r.ids.length }) })}</span>
                <span className="ml-2 text-slate-600">{r.ids.slice(0, 4).join(language === "ja" ? "、" : ", ")} …</span>
              </summary>
              <p className="mt-1 break-words text-slate-600">{r.ids.join(language === "ja" ? "、" : ", ")}</p>
            </details>
          ) : (
            <>
              <span className="font-medium">{t(`authoring.change.${r.change}`, { count: r.ids.length, kind: t(`authoring.kind.${r.kind}`, { count: r.ids.length }) })}</span>
              <span className="ml-2 break-words text-slate-600">{r.ids.join(language === "ja" ? "、" : ", ")}</span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Lessons and questions whose translation is behind: title, the language behind, since which release. */
function StaleList({ stale, titles }: { stale: readonly StaleTranslation[]; titles: Titles }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <ul className="mt-1 list-disc pl-5" data-testid="stale-list">
      {stale.map((s) => {
        const title = s.kind === "lesson" ? (titles.lessons?.[s.id]?.[language] ?? s.id) : t("authoring.questionLabel", { id: s.id });
        const lang = t(`authoring.langName.${s.stale}`);
        return (
          <li key={`${s.kind}-${s.id}`} data-stale={`${s.kind}:${s.id}:${s.stale}`}>
            {s.since ? t("authoring.staleItem", { title, lang, since: s.since }) : t("authoring.staleItemUndated", { title, lang })}
          </li>
        );
      })}
    </ul>
  );
}

export default function Authoring() {
  const { t } = useTranslation();
  const language = useLanguage();
  const viewer = useViewer();
  const navigation = useNavigation();
  const { draft, titles, stats, domainNames, organisation, releases } = useLoaderData<typeof loader>();
  const canPublish = viewer?.permissions.includes("publish:content") ?? false;
  const pending = draft.comparison && !draft.comparison.unchanged;
  const stale = draft.comparison?.stale ?? [];
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("authoring.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("authoring.intro")}</p>
      </header>

      <section aria-labelledby="draft-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 id="draft-heading" className="text-lg font-semibold">
              {t("authoring.draft")}
            </h2>
            <p className="mt-1 text-sm text-slate-700">
              {draft.errors > 0
                ? t("authoring.draftErrors", { count: draft.errors })
                : pending
                  ? t("authoring.draftReady")
                  : t("authoring.draftSame", { number: draft.comparison?.latestNumber ?? 0 })}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Link to="/authoring/preview" className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
              {t("authoring.openPreview")}
            </Link>
            {canPublish ? (
              <Form method="post" className="flex max-w-md flex-col items-end gap-2">
                <CsrfInput />
                <button type="submit" className={primaryButtonClass} disabled={draft.errors > 0 || !pending || navigation.state !== "idle"}>
                  {navigation.state === "submitting" ? t("authoring.publishing") : t("authoring.publish")}
                </button>
                {pending && draft.errors === 0 && stale.length > 0 ? (
                  <label className="flex items-start gap-2 text-sm text-amber-900">
                    <input type="checkbox" name="confirmStale" required className="mt-1 h-4 w-4 accent-amber-700" data-testid="confirm-stale" />
                    <span>{t("authoring.staleConfirm", { count: stale.length })}</span>
                  </label>
                ) : null}
              </Form>
            ) : null}
          </div>
        </div>
        {draft.comparison && pending ? (
          <div className="mt-4">
            <h3 className="text-sm font-semibold text-slate-800">{t("authoring.pendingChanges")}</h3>
            <div className="mt-2">
              <ChangeList summary={draft.comparison.summary} titles={titles} />
            </div>
          </div>
        ) : null}
        {stale.length > 0 ? (
          <div className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="stale-warning">
            <p className="font-semibold">{t("authoring.staleHeading")}</p>
            <p className="mt-1">{t("authoring.staleIntro")}</p>
            <StaleList stale={stale} titles={titles} />
          </div>
        ) : null}
        <div className="mt-4">
          <h3 className="text-sm font-semibold text-slate-800">{t("authoring.checkResults")}</h3>
          <div className="mt-2">
            <ProblemList problems={draft.problems} />
          </div>
        </div>
      </section>

      <section aria-labelledby="banks-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="banks-heading" className="text-lg font-semibold">
          {t("authoring.banks.title")}
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("authoring.banks.intro")}</p>
        <QuestionBankFigures
          stats={stats}
          domainNames={Object.fromEntries(Object.entries(domainNames).map(([id, name]) => [id, name[language]]))}
          language={language}
        />
      </section>

      <ItemAnalysisLink />

      <section aria-labelledby="organisation-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="organisation-heading" className="text-lg font-semibold">
          {t("authoring.organisation.title")}
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("authoring.organisation.intro")}</p>
        <OrganisationValuesList values={organisation} />
      </section>

      <section aria-labelledby="releases-heading">
        <h2 id="releases-heading" className="text-lg font-semibold">
          {t("authoring.releases")}
        </h2>
        {releases.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("authoring.noReleases")}</p>
        ) : (
          <ol className="mt-3 space-y-3" data-testid="releases">
            {releases.map((r, i) => (
              <li key={r.number} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h3 className="font-semibold">
                    {t("authoring.releaseNumber", { number: r.number })}
                    {i === 0 ? <span className="ml-2 rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">{t("authoring.live")}</span> : null}
                  </h3>
                  <p className="text-sm text-slate-600">
                    <time dateTime={new Date(r.publishedAt).toISOString()}>{formatDateTime(r.publishedAt, language)}</time> · {publisherKey(r.publishedByName) ? t(publisherKey(r.publishedByName)!) : r.publishedByName}
                  </p>
                </div>
                <p className="mt-1 text-xs text-slate-600">
                  {COUNTED.map((kind) => t(`authoring.countOf.${kind}`, { count: Number(r.counts[kind] ?? 0) })).join(language === "ja" ? "・" : " · ")}
                </p>
                <div className="mt-2">
                  <ChangeList summary={r.summary} titles={titles} />
                </div>
                {r.staleTranslations.length > 0 ? (
                  <div className="mt-2 text-sm text-amber-900" data-testid="release-stale">
                    <p className="font-semibold">{t("authoring.staleInRelease")}</p>
                    <StaleList stale={r.staleTranslations} titles={titles} />
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "authoring.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
