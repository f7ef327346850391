import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission } from "~/auth/session.server";
import { env } from "~/env.server";
import { formatDateTime, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { getOutboxMessage, listOutbox } from "~/mail/outbox.server";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

const querySchema = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  id: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:mail");
  const params = new URL(request.url).searchParams;
  const query = querySchema.parse({ page: params.get("page") ?? undefined, id: params.get("id") ?? undefined });
  const config = env();
  const transport = config.SMTP_URL || config.SMTP_HOST ? { kind: "smtp" as const, where: null } : { kind: "file" as const, where: config.mailDir };
  if (query.id !== undefined) {
    const message = await getOutboxMessage(query.id);
    if (!message) throw new Response("Not found", { status: 404 });
    return { transport, message: { ...message, htmlBody: undefined }, list: null };
  }
  return { transport, message: null, list: { ...(await listOutbox(query.page)), page: query.page } };
}

const STATUS_CLASS: Record<string, string> = {
  pending: "bg-amber-100 text-amber-900",
  sent: "bg-emerald-100 text-emerald-900",
  skipped: "bg-slate-200 text-slate-800",
  failed: "bg-red-100 text-red-900",
};

function Status({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${STATUS_CLASS[status] ?? ""}`}>{t(`mail.status.${status}`)}</span>;
}

export default function MailOutbox() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { transport, message, list } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link to={message ? "/admin/mail" : "/admin"} className="font-medium text-indigo-700 underline">
            {message ? t("mail.admin.backToList") : t("mail.admin.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("mail.admin.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          {transport.kind === "smtp" ? t("mail.admin.transportSmtp") : t("mail.admin.transportFile", { dir: transport.where })}
        </p>
      </div>

      {message ? (
        <article className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="mail-message" lang={message.language}>
          <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-semibold">{t("mail.admin.columns.recipient")}</dt>
            <dd>
              {formatPersonName(message.recipient, language)} &lt;{message.toAddress}&gt;
            </dd>
            <dt className="font-semibold">{t("mail.admin.columns.kind")}</dt>
            <dd>{t(`mail.kinds.${message.kind}`, { defaultValue: message.kind })}</dd>
            <dt className="font-semibold">{t("mail.admin.columns.status")}</dt>
            <dd>
              <Status status={message.status} />
              {message.lastError ? <span className="ml-2 text-slate-700">{message.lastError}</span> : null}
            </dd>
            <dt className="font-semibold">{t("mail.admin.columns.time")}</dt>
            <dd>{formatDateTime(message.sentAt ?? message.createdAt, language)}</dd>
            <dt className="font-semibold">Message-ID</dt>
            <dd className="break-all font-mono text-xs">&lt;{message.messageId}&gt;</dd>
            <dt className="font-semibold">{t("mail.admin.columns.subject")}</dt>
            <dd>{message.subject}</dd>
          </dl>
          <pre className="whitespace-pre-wrap break-words rounded-md bg-slate-50 p-4 font-sans text-sm">{message.textBody}</pre>
        </article>
      ) : list ? (
        <>
          <p className="text-sm text-slate-700" data-testid="mail-counts">
            {t("mail.admin.counts", list.counts)}
          </p>
          {list.entries.length === 0 ? (
            <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700">{t("mail.admin.empty")}</p>
          ) : (
            <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="mail-outbox">
                <caption className="sr-only">{t("mail.admin.title")}</caption>
                <thead className="bg-slate-50 text-left">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-semibold">{t("mail.admin.columns.time")}</th>
                    <th scope="col" className="px-4 py-2 font-semibold">{t("mail.admin.columns.recipient")}</th>
                    <th scope="col" className="px-4 py-2 font-semibold">{t("mail.admin.columns.kind")}</th>
                    <th scope="col" className="px-4 py-2 font-semibold">{t("mail.admin.columns.subject")}</th>
                    <th scope="col" className="px-4 py-2 font-semibold">{t("mail.admin.columns.status")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {list.entries.map((m) => (
                    <tr key={m.id} data-kind={m.kind} data-status={m.status}>
                      <td className="whitespace-nowrap px-4 py-2">{formatDateTime(m.sentAt ?? m.createdAt, language)}</td>
                      <td className="px-4 py-2">
                        {formatPersonName(m.recipient, language)}
                        <span className="block break-all text-xs text-slate-600">{m.toAddress}</span>
                      </td>
                      <td className="px-4 py-2">{t(`mail.kinds.${m.kind}`, { defaultValue: m.kind })}</td>
                      <td className="px-4 py-2">
                        <Link to={`/admin/mail?id=${m.id}`} className="text-indigo-700 underline" lang={m.language}>
                          {m.subject}
                        </Link>
                      </td>
                      <td className="px-4 py-2">
                        <Status status={m.status} />
                        {m.status === "pending" && m.attempts > 0 ? (
                          <span className="block text-xs text-slate-600">{t("mail.admin.retry", { count: m.attempts, time: formatDateTime(m.nextAttemptAt, language) })}</span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="flex gap-4 text-sm" aria-label={t("mail.admin.pages")}>
            {list.page > 1 ? (
              <Link to={`/admin/mail?page=${list.page - 1}`} className="text-indigo-700 underline">
                {t("mail.admin.newer")}
              </Link>
            ) : null}
            {list.hasNext ? (
              <Link to={`/admin/mail?page=${list.page + 1}`} className="text-indigo-700 underline">
                {t("mail.admin.older")}
              </Link>
            ) : null}
          </nav>
        </>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "mail.admin.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
