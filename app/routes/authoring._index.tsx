import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ItemAnalysisLink } from "~/assessment/item-analysis-link";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { draftStatus, publishDraft } from "~/content/authoring.server";
import { OrganisationValuesList } from "~/content/organisation-values";
import { listReleases } from "~/content/publish.server";
import { QuestionBankFigures } from "~/content/question-bank-figures";
import { formatDateTime } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { primaryButtonClass } from "~/ui/form";
import { ProblemList } from "~/ui/problem-list";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage, useViewer } from "~/ui/use-viewer";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "preview:content");
  const [draft, releases] = await Promise.all([draftStatus(), listReleases()]);
  return {
    draft: { problems: draft.problems, errors: draft.errors, comparison: draft.comparison },
    stats: draft.stats,
    domainNames: Object.fromEntries((draft.bundle?.domains ?? []).map((d) => [d.id, d.name])),
    organisation: draft.organisation,
    releases,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "publish:content");
  await readForm(request);
  const result = await publishDraft(user);
  if (!result.ok) return redirectWithToast("/authoring", { key: "authoring.publishBlocked", values: { count: result.errors }, kind: "error" });
  if (!result.published) return redirectWithToast("/authoring", { key: "authoring.unchanged", values: { number: result.number }, kind: "info" });
  return redirectWithToast("/authoring", { key: "authoring.published", values: { number: result.number }, kind: "success" });
}

function ChangeList({ summary }: { summary: Record<string, Record<string, string[]>> }) {
  const { t } = useTranslation();
  const rows = Object.entries(summary).flatMap(([kind, parts]) =>
    Object.entries(parts)
      .filter(([, ids]) => ids.length > 0)
      .map(([change, ids]) => ({ kind, change, ids })),
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
                <span className="ml-2 text-slate-600">{r.ids.slice(0, 4).join(", ")} …</span>
              </summary>
              <p className="mt-1 break-words text-slate-600">{r.ids.join(", ")}</p>
            </details>
          ) : (
            <>
              <span className="font-medium">{t(`authoring.change.${r.change}`, { count: r.ids.length, kind: t(`authoring.kind.${r.kind}`, { count: r.ids.length }) })}</span>
              <span className="ml-2 break-words text-slate-600">{r.ids.join(", ")}</span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export default function Authoring() {
  const { t } = useTranslation();
  const language = useLanguage();
  const viewer = useViewer();
  const navigation = useNavigation();
  const { draft, stats, domainNames, organisation, releases } = useLoaderData<typeof loader>();
  const canPublish = viewer?.permissions.includes("publish:content") ?? false;
  const pending = draft.comparison && !draft.comparison.unchanged;
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
              <Form method="post">
                <CsrfInput />
                <button type="submit" className={primaryButtonClass} disabled={draft.errors > 0 || !pending || navigation.state !== "idle"}>
                  {navigation.state === "submitting" ? t("authoring.publishing") : t("authoring.publish")}
                </button>
              </Form>
            ) : null}
          </div>
        </div>
        {draft.comparison && pending ? (
          <div className="mt-4">
            <h3 className="text-sm font-semibold text-slate-800">{t("authoring.pendingChanges")}</h3>
            <div className="mt-2">
              <ChangeList summary={draft.comparison.summary} />
            </div>
            {draft.comparison.stale.length > 0 ? (
              <div className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
                <p className="font-semibold">{t("authoring.staleHeading")}</p>
                <ul className="mt-1 list-disc pl-5">
                  {draft.comparison.stale.map((s) => (
                    <li key={`${s.kind}-${s.id}`}>{t("authoring.stale", { id: s.id, lang: t(`language.${s.stale}`) })}</li>
                  ))}
                </ul>
              </div>
            ) : null}
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
                    <time dateTime={new Date(r.publishedAt).toISOString()}>{formatDateTime(r.publishedAt, language)}</time> · {r.publishedByName}
                  </p>
                </div>
                <p className="mt-1 text-xs text-slate-600">
                  {t("authoring.counts", r.counts)}
                </p>
                <div className="mt-2">
                  <ChangeList summary={r.summary} />
                </div>
                {r.staleTranslations.length > 0 ? (
                  <p className="mt-2 text-sm text-amber-900">{t("authoring.staleRecorded", { count: r.staleTranslations.length })}</p>
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
