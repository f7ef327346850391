import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { GRANTED_ROLES } from "#db/schema/org";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { formatDateTime, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { changeRole, listPeople, recentRoleChanges } from "~/org/people.server";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const roleChangeSchema = z.object({
  intent: z.enum(["grant", "remove"]),
  userId: z.string().min(1),
  role: z.enum(GRANTED_ROLES),
});
const removalSchema = z.object({ userId: z.string().min(1).max(100), role: z.enum(GRANTED_ROLES) });

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "manage:roles");
  const params = new URL(request.url).searchParams;
  const [people, changes] = await Promise.all([listPeople(params.get("q")), recentRoleChanges(10)]);
  // A removal waits for a confirmation step (a page state, so it works without JavaScript).
  const remove = removalSchema.safeParse({ userId: params.get("remove"), role: params.get("role") });
  const person = remove.success ? people.find((p) => p.id === remove.data.userId) : undefined;
  const confirm =
    remove.success && person && person.roles.includes(remove.data.role) && !(person.id === admin.id && remove.data.role === "admin")
      ? { userId: person.id, role: remove.data.role }
      : null;
  return { people, changes, me: admin.id, confirm };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manage:roles");
  const formData = await readForm(request);
  const parsed = roleChangeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const { intent, userId, role } = parsed.data;
  const result = await changeRole({ actorId: admin.id, targetId: userId, role, grant: intent === "grant" });
  // Back to the same list (search kept), without the confirmation step.
  const back = new URL(request.url).searchParams;
  back.delete("remove");
  back.delete("role");
  const to = back.size ? `/admin?${back}` : "/admin";
  if (!result.ok) {
    if (result.reason === "notFound") throw new Response("Not found", { status: 404 });
    return redirectWithToast(to, { key: "admin.people.cannotRemoveOwnAdmin", kind: "error" });
  }
  return redirectWithToast(to, {
    key: intent === "grant" ? "admin.people.granted" : "admin.people.removed",
    values: { role: `$t:roles.${role}`, name: result.target },
    kind: "success",
  });
}

/** The list's own query (search) with a removal to confirm, or without one. */
function listSearch(searchParams: URLSearchParams, removal?: { userId: string; role: string }): string {
  const params = new URLSearchParams();
  const q = searchParams.get("q");
  if (q) params.set("q", q);
  if (removal) {
    params.set("remove", removal.userId);
    params.set("role", removal.role);
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

const chip = "inline-flex min-h-9 items-center rounded-md border px-3 py-1.5 text-sm font-medium";

function RoleButtons({ userId, roles, name, isMe }: { userId: string; roles: string[]; name: string; isMe: boolean }) {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label={t("admin.people.actionsFor", { name })}>
      {GRANTED_ROLES.map((role) => {
        const has = roles.includes(role);
        const roleName = t(`roles.${role}`);
        if (has && isMe && role === "admin") {
          // Not a button: an admin cannot remove their own admin role (the note below says why).
          return (
            <span key={role} className={`${chip} border-dashed border-indigo-300 bg-indigo-50 text-indigo-900`} data-testid="own-admin">
              ✓ {t("admin.people.ownAdmin")}
            </span>
          );
        }
        if (has) {
          return (
            <Link
              key={role}
              to={`${listSearch(searchParams, { userId, role })}#confirm-remove`}
              preventScrollReset
              aria-label={`${t("admin.people.remove", { role: roleName })}: ${name}`}
              className={`${chip} border-indigo-600 bg-indigo-600 text-white hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600`}
            >
              ✓ {roleName}
            </Link>
          );
        }
        return (
          <Form method="post" key={role} preventScrollReset>
            <CsrfInput />
            <input type="hidden" name="userId" value={userId} />
            <input type="hidden" name="role" value={role} />
            <button
              type="submit"
              name="intent"
              value="grant"
              aria-label={`${t("admin.people.grant", { role: roleName })}: ${name}`}
              className={`${chip} border-slate-300 bg-white text-slate-700 hover:bg-slate-100`}
            >
              + {roleName}
            </button>
          </Form>
        );
      })}
    </div>
  );
}

function RemoveConfirmation({ userId, role, name }: { userId: string; role: string; name: string }) {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const roleName = t(`roles.${role}`);
  return (
    <section
      id="confirm-remove"
      className="mt-3 rounded-lg border-2 border-red-300 bg-red-50 p-4"
      aria-labelledby="confirm-remove-heading"
      data-testid="remove-confirmation"
    >
      <h2 id="confirm-remove-heading" className="font-bold text-red-950">
        {t("admin.people.confirmRemove.title", { role: roleName, name })}
      </h2>
      <p className="mt-1 text-sm text-red-950">{t("admin.people.confirmRemove.body", { role: roleName, name })}</p>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Form method="post" action={`/admin${listSearch(searchParams)}`} preventScrollReset>
          <CsrfInput />
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="userId" value={userId} />
          <input type="hidden" name="role" value={role} />
          <button type="submit" className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800">
            {t("admin.people.confirmRemove.submit", { role: roleName })}
          </button>
        </Form>
        <Link to={`/admin${listSearch(searchParams)}`} preventScrollReset className="text-sm font-medium text-slate-800 underline">
          {t("admin.people.confirmRemove.cancel")}
        </Link>
      </div>
    </section>
  );
}

export default function AdminPeople() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { people, changes, me, confirm } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("admin.people.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("admin.people.intro")}</p>
        <p className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          <Link to="/admin/audit" className="font-medium text-indigo-700 underline">
            {t("admin.people.auditLink")}
          </Link>
          <Link to="/admin/tokens" className="font-medium text-indigo-700 underline">
            {t("apiTokens.adminLink")}
          </Link>
          <Link to="/admin/webhooks" className="font-medium text-indigo-700 underline">
            {t("webhooks.adminLink")}
          </Link>
          <Link to="/admin/mail" className="font-medium text-indigo-700 underline">
            {t("mail.admin.link")}
          </Link>
        </p>
      </header>
      <Form method="get" className="flex max-w-lg items-end gap-2" role="search">
        <div className="flex-1">
          <label htmlFor="q" className="block text-sm font-medium text-slate-800">
            {t("admin.people.search")}
          </label>
          <input id="q" name="q" type="search" defaultValue={searchParams.get("q") ?? ""} className={inputClass} />
        </div>
        <button type="submit" className={primaryButtonClass}>
          {t("admin.people.searchSubmit")}
        </button>
      </Form>
      <section aria-labelledby="people-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="people-heading" className="text-lg font-semibold">
            {t("admin.people.listTitle")}
          </h2>
          <p className="text-sm text-slate-600">{t("admin.people.count", { count: people.length })}</p>
        </div>
        <p className="mt-1 text-sm text-slate-700" data-testid="roles-hint">
          {t("admin.people.hint")}
        </p>
        {people.length === 0 ? (
          <p className="mt-3 rounded-xl border border-slate-200 bg-white px-4 py-6 text-center text-slate-600">{t("admin.people.noResults")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="people">
            {people.map((p) => {
              const name = formatPersonName(p, language);
              const isMe = p.id === me;
              const department = (language === "ja" ? p.departmentNameJa : p.departmentNameEn) ?? "—";
              return (
                <li key={p.id} className="px-4 py-3" data-person={p.email}>
                  <div className="grid gap-3 md:grid-cols-[minmax(0,2fr)_minmax(0,1.5fr)_minmax(0,3fr)] md:items-start">
                    <div className="min-w-0">
                      <span className="font-medium text-slate-900">{name}</span>
                      {isMe ? <span className="ml-2 text-xs text-slate-600">{t("admin.people.you")}</span> : null}
                      <span className="block break-all text-xs text-slate-600">{p.email}</span>
                    </div>
                    <div className="text-sm text-slate-700">
                      <span className="sr-only">{t("admin.people.department")}: </span>
                      {department}
                      {p.active ? null : (
                        <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-800">{t("admin.people.inactive")}</span>
                      )}
                    </div>
                    <div>
                      <RoleButtons userId={p.id} roles={p.roles} name={name} isMe={isMe} />
                      {isMe && p.roles.includes("admin") ? <p className="mt-2 text-xs text-slate-600">{t("admin.people.ownAdminNote")}</p> : null}
                    </div>
                  </div>
                  {confirm && confirm.userId === p.id ? <RemoveConfirmation userId={p.id} role={confirm.role} name={name} /> : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="audit-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="audit-heading" className="text-lg font-semibold">
            {t("admin.audit.title")}
          </h2>
          <Link to="/admin/audit?kind=roles" className="text-sm font-medium text-indigo-700 underline">
            {t("admin.people.auditLink")}
          </Link>
        </div>
        {changes.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("admin.audit.empty")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm">
            {changes.map((c) => (
              <li key={c.id} className="flex flex-wrap gap-x-4 px-4 py-2">
                <time dateTime={new Date(c.createdAt).toISOString()} className="text-slate-600">
                  {formatDateTime(c.createdAt, language)}
                </time>
                <span className="font-medium">{c.actor ? formatPersonName(c.actor, language) : "—"}</span>
                <span className="text-slate-700">
                  {t(`admin.audit.actions.${c.action}`, {
                    role: t(`roles.${String(c.details.role ?? "")}`),
                    target: c.target ? formatPersonName(c.target, language) : "—",
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "admin.people.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
