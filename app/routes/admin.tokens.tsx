import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { API_SCOPES } from "#db/schema/access";
import { SCOPE_TEXT_KEYS, newTokenSchema } from "~/access/token-rules";
import { createApiToken, listApiTokens, recentTokenActivity, revokeApiToken } from "~/access/tokens.server";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { formatDate, formatDateTime, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const intentSchema = z.enum(["create", "revoke"]);
const revokeSchema = z.object({ tokenId: z.string().min(1) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:tokens");
  const [tokens, activity] = await Promise.all([listApiTokens(), recentTokenActivity(20)]);
  const revokeId = new URL(request.url).searchParams.get("revoke");
  return {
    tokens,
    activity,
    revoke: tokens.find((t) => t.id === revokeId && !t.revokedAt) ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manage:tokens");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Bad request", { status: 400 });

  if (intent.data === "revoke") {
    const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw new Response("Bad request", { status: 400 });
    const result = await revokeApiToken(parsed.data.tokenId, { id: admin.id, via: "admin" });
    if (result.kind === "not-found") throw new Response("Not found", { status: 404 });
    return redirectWithToast("/admin/tokens", {
      key: result.kind === "revoked" ? "apiTokens.toast.revoked" : "apiTokens.toast.alreadyRevoked",
      values: { name: result.name },
      kind: result.kind === "revoked" ? "success" : "error",
    });
  }

  const submission = parseWithZod(formData, { schema: newTokenSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply() as SubmissionResult<string[]>, created: null }, { status: 400 });
  }
  const token = await createApiToken(submission.value, { id: admin.id, via: "admin" });
  // The secret is in this one answer and nowhere else: no redirect, no cookie, no cache.
  return data(
    { result: submission.reply({ resetForm: true }) as SubmissionResult<string[]>, created: { name: token.name, prefix: token.prefix, scopes: token.scopes, secret: token.secret } },
    { headers: { "Cache-Control": "no-store" } },
  );
}

const labelClass = "block text-sm font-medium text-slate-800";
const cardClass = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";

function NewSecret({ created }: { created: { name: string; prefix: string; secret: string } }) {
  const { t } = useTranslation();
  return (
    <section role="status" aria-labelledby="secret-heading" className="rounded-xl border-2 border-emerald-300 bg-emerald-50 p-6" data-testid="new-token">
      <h2 id="secret-heading" className="text-lg font-bold text-emerald-950">
        {t("apiTokens.created.title", { name: created.name })}
      </h2>
      <p className="mt-2 text-sm text-emerald-950">{t("apiTokens.created.body")}</p>
      <label htmlFor="new-token-secret" className={`${labelClass} mt-4`}>
        {t("apiTokens.created.secret")}
      </label>
      <input
        id="new-token-secret"
        readOnly
        value={created.secret}
        onFocus={(e) => e.currentTarget.select()}
        className={`${inputClass} font-mono text-sm`}
        aria-describedby="new-token-hint"
        data-testid="token-secret"
      />
      <p id="new-token-hint" className="mt-1 text-xs text-emerald-900">
        {t("apiTokens.created.copyHint")}
      </p>
    </section>
  );
}

function CreateForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "create-token",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newTokenSchema }),
  });
  return (
    <section className={cardClass} aria-labelledby="create-heading">
      <h2 id="create-heading" className="text-lg font-semibold">
        {t("apiTokens.create.title")}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t("apiTokens.create.intro")}</p>
      <Form method="post" {...getFormProps(form)} className="mt-4 max-w-lg space-y-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <div>
          <label htmlFor={fields.name.id} className={labelClass}>
            {t("apiTokens.create.name")}
          </label>
          <input {...getInputProps(fields.name, { type: "text" })} maxLength={100} className={inputClass} aria-describedby={`${fields.name.errorId} name-hint`} />
          <p id="name-hint" className="mt-1 text-xs text-slate-600">
            {t("apiTokens.create.nameHint")}
          </p>
          <FieldErrors id={fields.name.errorId} errors={fields.name.errors} />
        </div>
        <fieldset aria-describedby={fields.scopes.errorId}>
          <legend className={labelClass}>{t("apiTokens.create.scopes")}</legend>
          <div className="mt-2 space-y-2">
            {API_SCOPES.map((scope) => (
              <label key={scope} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name={fields.scopes.name} value={scope} className="mt-1" />
                <span>
                  <code className="font-mono text-slate-900">{scope}</code>
                  <span className="block text-slate-600">{t(SCOPE_TEXT_KEYS[scope])}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrors id={fields.scopes.errorId} errors={fields.scopes.errors} />
        </fieldset>
        <button type="submit" className={primaryButtonClass}>
          {t("apiTokens.create.submit")}
        </button>
      </Form>
    </section>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function RevokeConfirmation({ token }: { token: NonNullable<Loaded["revoke"]> }) {
  const { t } = useTranslation();
  return (
    <section id="confirm-revoke" className="rounded-xl border-2 border-red-300 bg-red-50 p-6" aria-labelledby="revoke-heading" data-testid="revoke-confirmation">
      <h2 id="revoke-heading" className="text-lg font-bold text-red-950">
        {t("apiTokens.revoke.title", { name: token.name })}
      </h2>
      <p className="mt-2 text-sm text-red-950">{t("apiTokens.revoke.body", { prefix: token.prefix })}</p>
      <Form method="post" action="/admin/tokens" className="mt-4 flex flex-wrap gap-3">
        <CsrfInput />
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="tokenId" value={token.id} />
        <button
          type="submit"
          className="inline-flex items-center justify-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700"
        >
          {t("apiTokens.revoke.submit")}
        </button>
        <Link to="/admin/tokens" className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
          {t("apiTokens.revoke.cancel")}
        </Link>
      </Form>
    </section>
  );
}

export default function AdminTokens() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { tokens, revoke, activity } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const created = actionData?.created ?? null;
  const when = (d: Date | string | null) => (d ? formatDateTime(d, language) : t("apiTokens.list.never"));
  return (
    <div className="space-y-8">
      <header>
        <p className="text-sm">
          <Link to="/admin" className="text-indigo-700 underline">
            {t("apiTokens.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("apiTokens.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("apiTokens.intro")}</p>
      </header>
      {created ? <NewSecret created={created} /> : null}
      {revoke && searchParams.get("revoke") ? <RevokeConfirmation token={revoke} /> : null}
      <section className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="tokens">
          <caption className="px-4 py-3 text-left text-sm text-slate-600">{t("apiTokens.list.count", { count: tokens.length })}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">{t("apiTokens.list.name")}</th>
              <th scope="col" className="px-4 py-2">{t("apiTokens.list.prefix")}</th>
              <th scope="col" className="px-4 py-2">{t("apiTokens.list.scopes")}</th>
              <th scope="col" className="px-4 py-2">{t("apiTokens.list.created")}</th>
              <th scope="col" className="px-4 py-2">{t("apiTokens.list.lastUsed")}</th>
              <th scope="col" className="px-4 py-2">{t("apiTokens.list.status")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-6 text-center text-slate-600">
                  {t("apiTokens.list.empty")}
                </td>
              </tr>
            ) : (
              tokens.map((token) => (
                <tr key={token.id}>
                  <td className="px-4 py-3 font-medium text-slate-900">{token.name}</td>
                  <td className="px-4 py-3">
                    <code className="font-mono text-xs text-slate-800">{token.prefix}…</code>
                  </td>
                  <td className="px-4 py-3">
                    <code className="font-mono text-xs text-slate-800">{token.scopes.join(", ")}</code>
                  </td>
                  <td className="px-4 py-3 text-slate-700">
                    {formatDateTime(token.createdAt, language)}
                    <span className="block text-xs text-slate-600">
                      {token.createdBy ? formatPersonName(token.createdBy, language) : t("apiTokens.list.commandLine")}
                    </span>
                  </td>
                  <td className="px-4 py-3 text-slate-700">{when(token.lastUsedAt)}</td>
                  <td className="px-4 py-3">
                    {token.revokedAt ? (
                      <span className="text-slate-700">{t("apiTokens.list.revokedOn", { date: formatDateTime(token.revokedAt, language) })}</span>
                    ) : (
                      <span className="flex flex-wrap items-center gap-2">
                        <span className="font-medium text-emerald-800">{t("apiTokens.list.active")}</span>
                        <Link
                          to={`?revoke=${encodeURIComponent(token.id)}#confirm-revoke`}
                          className="rounded-md border border-red-300 px-2 py-1 text-xs font-medium text-red-800 hover:bg-red-50"
                          aria-label={t("apiTokens.list.revokeFor", { name: token.name })}
                        >
                          {t("apiTokens.list.revoke")}
                        </Link>
                      </span>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>
      <CreateForm lastResult={actionData?.result} />
      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading" className="text-lg font-semibold">
          {t("apiTokens.activity.title")}
        </h2>
        {activity.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("apiTokens.activity.empty")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm" data-testid="token-activity">
            {activity.map((entry) => (
              <li key={entry.id} className="flex flex-wrap gap-x-4 px-4 py-2">
                <time dateTime={new Date(entry.createdAt).toISOString()} className="text-slate-600">
                  {formatDateTime(entry.createdAt, language)}
                </time>
                <span className="font-medium">
                  {entry.actor ? formatPersonName(entry.actor, language) : entry.via === "command-line" ? t("apiTokens.list.commandLine") : "—"}
                </span>
                <span className="text-slate-700">
                  {t(`apiTokens.activity.${entry.action === "token.create" ? "created" : entry.action === "token.revoke" ? "revoked" : "used"}`, {
                    name: entry.tokenName ?? "—",
                    day: entry.day ? formatDate(`${entry.day}T12:00:00+09:00`, language) : "",
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

export const meta: MetaFunction = (args) => pageTitle(args, "apiTokens.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
