import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { listInvitees, sendInvitations } from "~/auth/invitations.server";
import { requirePermission } from "~/auth/session.server";
import { ssoEnabled } from "~/auth/sso.server";
import { formatDateTime, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { INVITATION_RESEND_MINUTES, invitationResendAllowedAt } from "~/mail/throttle";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { Alert, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const MAX_IDS = 5000;
const idsSchema = z.array(z.string().min(1).max(100)).max(MAX_IDS);
const sendSchema = z.object({ intent: z.enum(["sendAll", "sendSelected"]), ids: idsSchema });
const confirmSchema = z.object({ confirm: z.enum(["all", "selected"]), ids: idsSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:invitations");
  const now = new Date();
  const invitees = await listInvitees(now);
  const params = new URL(request.url).searchParams;
  // "Send?" is a page state (works without JavaScript): how many go now, how many wait for the throttle.
  const asked = confirmSchema.safeParse({ confirm: params.get("confirm"), ids: params.getAll("id") });
  let confirm: { mode: "all" | "selected"; ids: string[]; sendNow: number; throttled: number } | null = null;
  if (asked.success) {
    const chosen = asked.data.confirm === "all" ? invitees.filter((p) => p.status === "not-invited") : invitees.filter((p) => asked.data.ids.includes(p.id));
    const throttled = chosen.filter((p) => invitationResendAllowedAt(p.invitedAt, now)).length;
    confirm = { mode: asked.data.confirm, ids: chosen.map((p) => p.id), sendNow: chosen.length - throttled, throttled };
  }
  return {
    sso: ssoEnabled(),
    confirm,
    invitees: invitees.map((p) => ({
      id: p.id,
      email: p.email,
      employeeNumber: p.employeeNumber,
      familyName: p.familyName,
      givenName: p.givenName,
      familyNameKana: p.familyNameKana,
      givenNameKana: p.givenNameKana,
      familyNameLatin: p.familyNameLatin,
      givenNameLatin: p.givenNameLatin,
      status: p.status,
      invitedAt: p.invitedAt?.toISOString() ?? null,
      expiresAt: p.expiresAt?.toISOString() ?? null,
      resendAt: invitationResendAllowedAt(p.invitedAt, now)?.toISOString() ?? null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requirePermission(request, "manage:invitations");
  const formData = await readForm(request);
  const parsed = sendSchema.safeParse({ intent: formData.get("intent"), ids: formData.getAll("id") });
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const now = new Date();
  const ids =
    parsed.data.intent === "sendAll" ? (await listInvitees(now)).filter((p) => p.status === "not-invited").map((p) => p.id) : parsed.data.ids;
  if (ids.length === 0) return redirectWithToast("/hr/invitations", { key: "invitations.toast.noneChosen", kind: "error" });
  const result = await sendInvitations({ actorId: hr.id, userIds: ids, origin: new URL(request.url).origin, now });
  return redirectWithToast("/hr/invitations", {
    key: result.throttled > 0 ? "invitations.toast.sentSomeThrottled" : "invitations.toast.sent",
    values: { sent: result.sent, throttled: result.throttled, minutes: INVITATION_RESEND_MINUTES },
    kind: result.sent > 0 ? "success" : "info",
  });
}

export default function Invitations() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { invitees, confirm, sso } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const uninvited = invitees.filter((p) => p.status === "not-invited").length;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link to="/hr" className="font-medium text-indigo-700 underline">
            {t("invitations.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("invitations.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("invitations.intro", { minutes: INVITATION_RESEND_MINUTES })}</p>
        {sso ? <p className="mt-2 max-w-3xl text-slate-700" data-testid="sso-note">{t("sso.invitationsNote")}</p> : null}
      </div>

      {confirm ? (
        <section className="rounded-xl border border-indigo-200 bg-indigo-50 p-6" aria-labelledby="confirm-heading" data-testid="invite-confirm">
          <h2 id="confirm-heading" className="text-lg font-semibold">
            {t("invitations.confirm.title")}
          </h2>
          <p className="mt-2">{t("invitations.confirm.count", { count: confirm.sendNow })}</p>
          {confirm.throttled > 0 ? <p className="mt-1 text-slate-700">{t("invitations.confirm.throttled", { count: confirm.throttled, minutes: INVITATION_RESEND_MINUTES })}</p> : null}
          <div className="mt-4 flex flex-wrap gap-3">
            {confirm.sendNow > 0 ? (
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value={confirm.mode === "all" ? "sendAll" : "sendSelected"} />
                {confirm.mode === "selected" ? confirm.ids.map((id) => <input key={id} type="hidden" name="id" value={id} />) : null}
                <button type="submit" className={primaryButtonClass} disabled={busy}>
                  {t("invitations.confirm.send", { count: confirm.sendNow })}
                </button>
              </Form>
            ) : null}
            <Link to="/hr/invitations" className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold">
              {t("invitations.confirm.cancel")}
            </Link>
          </div>
        </section>
      ) : null}

      {invitees.length === 0 ? (
        <Alert tone="info">{t("invitations.empty")}</Alert>
      ) : (
        <Form method="get" className="space-y-4">
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" name="confirm" value="all" className={primaryButtonClass} disabled={uninvited === 0}>
              {t("invitations.inviteAll", { count: uninvited })}
            </button>
            <button type="submit" name="confirm" value="selected" className="inline-flex items-center rounded-md border border-indigo-600 bg-white px-4 py-2 text-sm font-semibold text-indigo-700">
              {t("invitations.inviteSelected")}
            </button>
          </div>
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="invitees">
              <caption className="sr-only">{t("invitations.tableCaption")}</caption>
              <thead className="bg-slate-50 text-left">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    <span className="sr-only">{t("invitations.columns.select")}</span>
                  </th>
                  <th scope="col" className="px-4 py-2 font-semibold">{t("invitations.columns.name")}</th>
                  <th scope="col" className="px-4 py-2 font-semibold">{t("invitations.columns.email")}</th>
                  <th scope="col" className="px-4 py-2 font-semibold">{t("invitations.columns.status")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {invitees.map((p) => {
                  const name = formatPersonName(p, language);
                  return (
                    <tr key={p.id} data-person={p.email} data-status={p.status}>
                      <td className="px-4 py-2">
                        <input
                          type="checkbox"
                          name="id"
                          value={p.id}
                          id={`invite-${p.id}`}
                          defaultChecked={confirm?.mode === "selected" && confirm.ids.includes(p.id)}
                          className="h-4 w-4"
                        />
                      </td>
                      <td className="px-4 py-2">
                        <label htmlFor={`invite-${p.id}`}>{name}</label>
                      </td>
                      <td className="px-4 py-2 break-all">{p.email}</td>
                      <td className="px-4 py-2">
                        {p.status === "not-invited"
                          ? t("invitations.status.notInvited")
                          : p.status === "invited"
                            ? t("invitations.status.invited", { sent: formatDateTime(p.invitedAt!, language), expires: formatDateTime(p.expiresAt!, language) })
                            : t("invitations.status.expired", { expired: formatDateTime(p.expiresAt!, language) })}
                        {p.resendAt ? <span className="block text-slate-600">{t("invitations.status.resendAt", { time: formatDateTime(p.resendAt, language) })}</span> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Form>
      )}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "invitations.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
