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

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:roles");
  const q = new URL(request.url).searchParams.get("q");
  const [people, changes] = await Promise.all([listPeople(q), recentRoleChanges(15)]);
  return { people, changes };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manage:roles");
  const formData = await readForm(request);
  const parsed = roleChangeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const { intent, userId, role } = parsed.data;
  const result = await changeRole({ actorId: admin.id, targetId: userId, role, grant: intent === "grant" });
  const back = new URL(request.url);
  const to = `/admin${back.search}`;
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

function RoleButtons({ userId, roles, name }: { userId: string; roles: string[]; name: string }) {
  const { t } = useTranslation();
  return (
    <div className="flex flex-wrap gap-1" role="group" aria-label={t("admin.people.actionsFor", { name })}>
      {GRANTED_ROLES.map((role) => {
        const has = roles.includes(role);
        const label = t(has ? "admin.people.remove" : "admin.people.grant", { role: t(`roles.${role}`) });
        return (
          <Form method="post" key={role} preventScrollReset>
            <CsrfInput />
            <input type="hidden" name="userId" value={userId} />
            <input type="hidden" name="role" value={role} />
            <button
              type="submit"
              name="intent"
              value={has ? "remove" : "grant"}
              aria-label={`${label}: ${name}`}
              className={`rounded-md border px-2 py-1 text-xs font-medium ${
                has
                  ? "border-indigo-600 bg-indigo-600 text-white hover:bg-indigo-700"
                  : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100"
              }`}
            >
              {has ? "✓ " : "+ "}
              {t(`roles.${role}`)}
            </button>
          </Form>
        );
      })}
    </div>
  );
}

export default function AdminPeople() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { people, changes } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("admin.people.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("admin.people.intro")}</p>
        <p className="mt-3 text-sm">
          <Link to="/admin/tokens" className="font-medium text-indigo-700 underline">
            {t("apiTokens.adminLink")}
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
      <section className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="px-4 py-3 text-left text-sm text-slate-600">
            {t("admin.people.count", { count: people.length })}
          </caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">{t("admin.people.name")}</th>
              <th scope="col" className="px-4 py-2">{t("admin.people.department")}</th>
              <th scope="col" className="px-4 py-2">{t("admin.people.status")}</th>
              <th scope="col" className="px-4 py-2">{t("admin.people.roles")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {people.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-4 py-6 text-center text-slate-600">
                  {t("admin.people.noResults")}
                </td>
              </tr>
            ) : (
              people.map((p) => {
                const name = formatPersonName(p, language);
                return (
                  <tr key={p.id}>
                    <td className="px-4 py-3">
                      <span className="font-medium text-slate-900">{name}</span>
                      <span className="block text-xs text-slate-600">{p.email}</span>
                    </td>
                    <td className="px-4 py-3 text-slate-700">
                      {(language === "ja" ? p.departmentNameJa : p.departmentNameEn) ?? "—"}
                    </td>
                    <td className="px-4 py-3 text-slate-700">
                      {p.active ? t("admin.people.active") : t("admin.people.inactive")}
                    </td>
                    <td className="px-4 py-3">
                      <RoleButtons userId={p.id} roles={p.roles} name={name} />
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading" className="text-lg font-semibold">
          {t("admin.audit.title")}
        </h2>
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
