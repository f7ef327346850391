import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { publisherKey } from "~/content/publisher";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/session.server";
import { formatDateTime, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { AUDIT_KINDS, auditFilterSearch, auditKindOf, parseAuditFilter } from "~/org/audit-filter";
import { listAuditEntries, type AuditEntryView } from "~/org/audit-log.server";
import { ErrorPage } from "~/ui/error-page";
import { FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { useLanguage } from "~/ui/use-viewer";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:audit");
  const { filter, errors } = parseAuditFilter(new URL(request.url).searchParams);
  const { entries, hasNext } = await listAuditEntries(filter);
  return { filter, errors, entries, hasNext };
}

const KNOWN_ACTIONS = new Set([
  "content.publish",
  "role.grant",
  "role.remove",
  "token.create",
  "token.revoke",
  "token.use",
  "user.create",
  "certificate.revoke",
  "certificate.record-external",
  "exemption.grant",
  "org.import",
  "webhook.create",
  "webhook.disable",
  "export.people",
  "export.tool-roster",
  "export.team",
  "team.remind",
  "sso.link",
]);

function useDescribe() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (entry: Omit<AuditEntryView, "createdAt"> & { createdAt: string | Date }) => {
    const d = entry.details;
    const key = KNOWN_ACTIONS.has(entry.action) ? entry.action : entry.action.startsWith("export.") ? "export" : "other";
    return t(`admin.auditLog.actions.${key}`, {
      action: entry.action,
      role: d.role ? t(`roles.${d.role}`) : "—",
      target: entry.target ? formatPersonName(entry.target, language) : "—",
      number: d.number ?? "—",
      name: d.tokenName ?? "—",
      prefix: d.prefix ?? "—",
      email: d.email ?? "—",
      track: d.trackId ?? "—",
      url: d.url ?? "—",
      tool: d.toolId ?? "—",
      count: Number(d.rows ?? 0),
    });
  };
}

export default function AuditLogPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { filter, errors, entries, hasNext } = useLoaderData<typeof loader>();
  const describe = useDescribe();
  const filtered = Boolean(filter.kind || filter.person || filter.from || filter.to);
  return (
    <div className="space-y-6">
      <nav aria-label={t("learning.breadcrumb")} className="flex flex-wrap gap-1 text-sm text-slate-600">
        <Link to="/admin" className="text-indigo-700 hover:underline">
          {t("admin.people.title")}
        </Link>
        <span aria-hidden="true">›</span>
        <span>{t("admin.auditLog.title")}</span>
      </nav>
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("admin.auditLog.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("admin.auditLog.intro")}</p>
      </header>

      <Form method="get" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby="audit-filter">
        <h2 id="audit-filter" className="text-base font-semibold">
          {t("admin.auditLog.filter.legend")}
        </h2>
        <div className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <label htmlFor="audit-kind" className="block text-sm font-medium text-slate-800">
              {t("admin.auditLog.filter.kind")}
            </label>
            <select id="audit-kind" name="kind" defaultValue={filter.kind ?? ""} className={inputClass}>
              <option value="">{t("admin.auditLog.filter.allKinds")}</option>
              {AUDIT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`admin.auditLog.kinds.${kind}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="audit-person" className="block text-sm font-medium text-slate-800">
              {t("admin.auditLog.filter.person")}
            </label>
            <input id="audit-person" name="person" type="search" defaultValue={filter.person ?? ""} className={inputClass} />
          </div>
          <div>
            <label htmlFor="audit-from" className="block text-sm font-medium text-slate-800">
              {t("admin.auditLog.filter.from")}
            </label>
            <input
              id="audit-from"
              name="from"
              type="date"
              defaultValue={filter.from ?? ""}
              aria-invalid={errors.from ? true : undefined}
              aria-describedby={errors.from ? "audit-from-error" : undefined}
              className={inputClass}
            />
            <FieldErrors id="audit-from-error" errors={errors.from ? [errors.from] : undefined} />
          </div>
          <div>
            <label htmlFor="audit-to" className="block text-sm font-medium text-slate-800">
              {t("admin.auditLog.filter.to")}
            </label>
            <input
              id="audit-to"
              name="to"
              type="date"
              defaultValue={filter.to ?? ""}
              aria-invalid={errors.to ? true : undefined}
              aria-describedby={errors.to ? "audit-to-error" : undefined}
              className={inputClass}
            />
            <FieldErrors id="audit-to-error" errors={errors.to ? [errors.to] : undefined} />
          </div>
        </div>
        <div className="mt-4 flex flex-wrap items-center gap-4">
          <button type="submit" className={primaryButtonClass}>
            {t("admin.auditLog.filter.submit")}
          </button>
          {filtered ? (
            <Link to="/admin/audit" className="text-sm font-medium text-indigo-700 underline">
              {t("admin.auditLog.filter.clear")}
            </Link>
          ) : null}
        </div>
      </Form>

      <section aria-labelledby="audit-entries">
        <h2 id="audit-entries" className="sr-only">
          {t("admin.auditLog.title")}
        </h2>
        {entries.length === 0 ? (
          <p className="rounded-xl border border-slate-200 bg-white px-4 py-6 text-center text-slate-600">
            {filtered || filter.page > 1 ? t("admin.auditLog.empty") : t("admin.audit.empty")}
          </p>
        ) : (
          <ol className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm" data-testid="audit-entries">
            {entries.map((entry) => (
              <li key={entry.id} className="grid gap-x-4 gap-y-1 px-4 py-3 sm:grid-cols-[11rem_minmax(0,12rem)_minmax(0,1fr)]" data-action={entry.action}>
                <time dateTime={new Date(entry.createdAt).toISOString()} className="text-slate-600">
                  {formatDateTime(entry.createdAt, language)}
                </time>
                <span className="font-medium text-slate-900">
                  {entry.actor
                    ? formatPersonName(entry.actor, language)
                    : entry.actorLabel === "cli"
                      ? t("admin.auditLog.viaCli")
                      : publisherKey(entry.actorLabel)
                        ? t(publisherKey(entry.actorLabel)!)
                        : entry.actorLabel ?? t("admin.auditLog.system")}
                </span>
                <span className="text-slate-800">
                  {auditKindOf(entry.action) ? (
                    <span className="mr-2 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                      {t(`admin.auditLog.kinds.${auditKindOf(entry.action)}`)}
                    </span>
                  ) : null}
                  {describe(entry)}
                </span>
              </li>
            ))}
          </ol>
        )}
        <nav aria-label={t("admin.auditLog.pager")} className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
          {filter.page > 1 ? (
            <Link to={`/admin/audit${auditFilterSearch(filter, filter.page - 1)}`} rel="prev" className="font-medium text-indigo-700 underline">
              ← {t("admin.auditLog.newer")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-slate-600">{t("admin.auditLog.page", { page: filter.page })}</span>
          {hasNext ? (
            <Link to={`/admin/audit${auditFilterSearch(filter, filter.page + 1)}`} rel="next" className="font-medium text-indigo-700 underline">
              {t("admin.auditLog.older")} →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "admin.auditLog.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
