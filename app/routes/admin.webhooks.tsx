import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import {
  DELIVERY_FILTERS,
  MAX_WEBHOOK_DESCRIPTION_CHARS,
  MAX_WEBHOOK_URL_CHARS,
  deliveryFilterSearch,
  deliveryStatus,
  newWebhookSchema,
  parseDeliveryFilter,
  webhookHealth,
  webhookUrlErrorKey,
  type DeliveryFilter,
} from "~/access/webhook-admin";
import { listDeliveries, listWebhooksForAdmin, sendTestPing } from "~/access/webhook-admin.server";
import { createWebhook, disableWebhook } from "~/access/webhooks.server";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { getCurrentRelease } from "~/content/release.server";
import { formatDateTime, formatNumber, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const PATH = "/admin/webhooks";
const intentSchema = z.enum(["create", "disable", "ping"]);
const webhookIdSchema = z.object({ webhookId: z.string().min(1).max(100) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:webhooks");
  const params = new URL(request.url).searchParams;
  const filter = parseDeliveryFilter(params);
  const [webhooks, page, release] = await Promise.all([listWebhooksForAdmin(), listDeliveries(filter), getCurrentRelease()]);
  // Tool names in both languages for the tools the listed deliveries name (an id no longer in the release stays an id).
  const toolNames: Record<string, { en: string; ja: string }> = {};
  for (const d of page.deliveries) {
    const tool = release?.tools.get(d.toolId);
    if (tool) toolNames[d.toolId] = tool.name;
  }
  const disableId = params.get("disable");
  return {
    webhooks,
    deliveries: page.deliveries,
    hasNext: page.hasNext,
    filter,
    toolNames,
    disable: webhooks.find((w) => w.id === disableId && !w.disabledAt) ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manage:webhooks");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Bad request", { status: 400 });

  if (intent.data === "disable" || intent.data === "ping") {
    const parsed = webhookIdSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw new Response("Bad request", { status: 400 });
    const webhook = (await listWebhooksForAdmin()).find((w) => w.id === parsed.data.webhookId);
    if (!webhook) throw new Response("Not found", { status: 404 });
    const name = webhook.description;
    if (intent.data === "disable") {
      const result = await disableWebhook({ id: webhook.id, actorId: admin.id });
      if (result === "not-found") throw new Response("Not found", { status: 404 });
      return redirectWithToast(PATH, {
        key: result === "disabled" ? "webhooks.toast.disabled" : "webhooks.toast.alreadyDisabled",
        values: { name },
        kind: result === "disabled" ? "success" : "error",
      });
    }
    const ping = await sendTestPing(webhook.id);
    if (ping.kind === "not-found") throw new Response("Not found", { status: 404 });
    if (ping.kind === "disabled") return redirectWithToast(PATH, { key: "webhooks.toast.pingDisabled", values: { name }, kind: "error" });
    if (ping.kind === "unreachable") return redirectWithToast(PATH, { key: "webhooks.toast.pingUnreachable", values: { name, error: ping.error }, kind: "error" });
    return redirectWithToast(PATH, {
      key: ping.ok ? "webhooks.toast.pingOk" : "webhooks.toast.pingFailed",
      values: { name, status: ping.status },
      kind: ping.ok ? "success" : "error",
    });
  }

  const submission = parseWithZod(formData, { schema: newWebhookSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply() as SubmissionResult<string[]>, created: null }, { status: 400 });
  }
  const created = await createWebhook({ url: submission.value.url, description: submission.value.description, actorId: admin.id });
  if (created.kind === "invalid-url") {
    return data(
      { result: submission.reply({ fieldErrors: { url: [webhookUrlErrorKey(created.reason)] } }) as SubmissionResult<string[]>, created: null },
      { status: 400 },
    );
  }
  // The secret is in this one answer and nowhere else: no redirect, no cookie, no cache.
  return data(
    {
      result: submission.reply({ resetForm: true }) as SubmissionResult<string[]>,
      created: { id: created.id, description: submission.value.description, secret: created.secret },
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

const labelClass = "block text-sm font-medium text-slate-800";
const cardClass = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";
const smallButtonClass = "rounded-md border px-2 py-1 text-xs font-medium";

function NewSecret({ created }: { created: { description: string; secret: string } }) {
  const { t } = useTranslation();
  return (
    <section role="status" aria-labelledby="secret-heading" className="rounded-xl border-2 border-emerald-300 bg-emerald-50 p-6" data-testid="new-webhook">
      <h2 id="secret-heading" className="text-lg font-bold text-emerald-950">
        {t("webhooks.created.title", { name: created.description })}
      </h2>
      <p className="mt-2 text-sm text-emerald-950">{t("webhooks.created.body")}</p>
      <label htmlFor="new-webhook-secret" className={`${labelClass} mt-4`}>
        {t("webhooks.created.secret")}
      </label>
      <input
        id="new-webhook-secret"
        readOnly
        value={created.secret}
        onFocus={(e) => e.currentTarget.select()}
        className={`${inputClass} font-mono text-sm`}
        aria-describedby="new-webhook-hint"
        data-testid="webhook-secret"
      />
      <p id="new-webhook-hint" className="mt-1 text-xs text-emerald-900">
        {t("webhooks.created.copyHint")}
      </p>
      <h3 className="mt-4 font-semibold text-emerald-950">{t("webhooks.created.verifyTitle")}</h3>
      <p className="mt-1 text-sm text-emerald-950">{t("webhooks.created.verifyBody")}</p>
      <p className="mt-1 text-sm text-emerald-950">{t("webhooks.created.verifyMore")}</p>
    </section>
  );
}

function CreateForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "create-webhook",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newWebhookSchema }),
  });
  return (
    <section className={cardClass} aria-labelledby="create-heading">
      <h2 id="create-heading" className="text-lg font-semibold">
        {t("webhooks.create.title")}
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("webhooks.create.intro")}</p>
      <Form method="post" action={PATH} {...getFormProps(form)} className="mt-4 max-w-xl space-y-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <div>
          <label htmlFor={fields.url.id} className={labelClass}>
            {t("webhooks.create.url")}
          </label>
          <input
            {...getInputProps(fields.url, { type: "url" })}
            maxLength={MAX_WEBHOOK_URL_CHARS}
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono text-sm`}
            aria-describedby={`${fields.url.errorId} url-hint`}
          />
          <p id="url-hint" className="mt-1 text-xs text-slate-600">
            {t("webhooks.create.urlHint")}
          </p>
          <FieldErrors id={fields.url.errorId} errors={fields.url.errors} />
        </div>
        <div>
          <label htmlFor={fields.description.id} className={labelClass}>
            {t("webhooks.create.description")}
          </label>
          <input
            {...getInputProps(fields.description, { type: "text" })}
            maxLength={MAX_WEBHOOK_DESCRIPTION_CHARS}
            className={inputClass}
            aria-describedby={`${fields.description.errorId} description-hint`}
          />
          <p id="description-hint" className="mt-1 text-xs text-slate-600">
            {t("webhooks.create.descriptionHint")}
          </p>
          <FieldErrors id={fields.description.errorId} errors={fields.description.errors} />
        </div>
        <button type="submit" className={primaryButtonClass}>
          {t("webhooks.create.submit")}
        </button>
      </Form>
    </section>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type Webhook = Loaded["webhooks"][number];

function DisableConfirmation({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation();
  return (
    <section id="confirm-disable" className="rounded-xl border-2 border-red-300 bg-red-50 p-6" aria-labelledby="disable-heading" data-testid="disable-confirmation">
      <h2 id="disable-heading" className="text-lg font-bold text-red-950">
        {t("webhooks.disable.title", { name: webhook.description })}
      </h2>
      <p className="mt-2 break-words text-sm text-red-950">{t("webhooks.disable.body", { url: webhook.url })}</p>
      <Form method="post" action={PATH} className="mt-4 flex flex-wrap gap-3">
        <CsrfInput />
        <input type="hidden" name="intent" value="disable" />
        <input type="hidden" name="webhookId" value={webhook.id} />
        <button
          type="submit"
          className="inline-flex items-center justify-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700"
        >
          {t("webhooks.disable.submit")}
        </button>
        <Link to={PATH} className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
          {t("webhooks.disable.cancel")}
        </Link>
      </Form>
    </section>
  );
}

const healthClass = { active: "text-emerald-800", failing: "text-red-800", disabled: "text-slate-700" } as const;

function WebhookRow({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const health = webhookHealth(webhook);
  const count = (n: number) => ({ count: n });
  return (
    <tr data-webhook={webhook.id}>
      <td className="min-w-[14rem] px-4 py-3 align-top">
        <span className="font-medium text-slate-900">{webhook.description}</span>
        <code className="block break-all font-mono text-xs text-slate-700">{webhook.url}</code>
      </td>
      <td className="min-w-[9rem] px-4 py-3 align-top text-slate-700">
        {formatDateTime(webhook.createdAt, language)}
        <span className="block text-xs text-slate-600">
          {webhook.creator ? formatPersonName(webhook.creator, language) : (webhook.createdBy ?? t("webhooks.list.unknownCreator"))}
        </span>
      </td>
      <td className="min-w-[10rem] px-4 py-3 align-top">
        <span className={`font-medium ${healthClass[health]}`} data-testid="webhook-health">
          {t(`webhooks.health.${health}`)}
        </span>
        {webhook.disabledAt ? (
          <span className="block text-xs text-slate-600">{t("webhooks.list.disabledOn", { date: formatDateTime(webhook.disabledAt, language) })}</span>
        ) : null}
        {webhook.failing ? (
          <span className="mt-1 block text-xs text-red-900" data-testid="webhook-failing">
            <span className="block">{t("webhooks.list.attempts", count(webhook.failing.attempts))}</span>
            <span className="block break-words">
              {webhook.failing.lastStatus !== null
                ? t("webhooks.list.lastAnswer", { status: webhook.failing.lastStatus })
                : t("webhooks.list.lastError", { error: webhook.failing.lastError ?? "—" })}
            </span>
            {webhook.disabledAt ? null : (
              <span className="block">{t("webhooks.list.nextTry", { date: formatDateTime(webhook.failing.nextAttemptAt, language) })}</span>
            )}
          </span>
        ) : null}
      </td>
      <td className="min-w-[9rem] px-4 py-3 align-top text-slate-700">
        <span className="block">
          {webhook.disabledAt && webhook.pending > 0 ? t("webhooks.list.notSent", count(webhook.pending)) : t("webhooks.list.pending", count(webhook.pending))}
        </span>
        <span className="block">{t("webhooks.list.delivered", count(webhook.delivered))}</span>
        <span className="block text-xs text-slate-600">
          {webhook.lastDeliveredAt ? t("webhooks.list.lastDelivered", { date: formatDateTime(webhook.lastDeliveredAt, language) }) : t("webhooks.list.neverDelivered")}
        </span>
        <Link
          to={`${deliveryFilterSearch({ webhook: webhook.id, state: "all", page: 1 })}#deliveries-heading`}
          className="mt-1 inline-block text-xs font-medium text-indigo-700 underline"
          aria-label={t("webhooks.list.showDeliveriesFor", { name: webhook.description })}
        >
          {t("webhooks.list.showDeliveries")}
        </Link>
      </td>
      <td className="px-4 py-3 align-top">
        {webhook.disabledAt ? null : (
          <span className="flex flex-wrap items-center gap-2">
            <Form method="post" action={PATH}>
              <CsrfInput />
              <input type="hidden" name="intent" value="ping" />
              <input type="hidden" name="webhookId" value={webhook.id} />
              <button
                type="submit"
                className={`${smallButtonClass} border-slate-300 bg-white text-slate-800 hover:bg-slate-100`}
                aria-label={t("webhooks.list.pingFor", { name: webhook.description })}
              >
                {t("webhooks.list.ping")}
              </button>
            </Form>
            <Link
              to={`?disable=${encodeURIComponent(webhook.id)}#confirm-disable`}
              className={`${smallButtonClass} border-red-300 text-red-800 hover:bg-red-50`}
              aria-label={t("webhooks.list.disableFor", { name: webhook.description })}
            >
              {t("webhooks.list.disable")}
            </Link>
          </span>
        )}
      </td>
    </tr>
  );
}

function DeliveryFilterForm({ filter, webhooks }: { filter: DeliveryFilter; webhooks: Webhook[] }) {
  const { t } = useTranslation();
  return (
    <Form method="get" action={PATH} className="mt-3 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" aria-label={t("webhooks.deliveries.filterTitle")}>
      <div>
        <label htmlFor="delivery-webhook" className={labelClass}>
          {t("webhooks.deliveries.webhook")}
        </label>
        <select id="delivery-webhook" name="webhook" defaultValue={filter.webhook ?? ""} className={`${inputClass} max-w-xs`}>
          <option value="">{t("webhooks.deliveries.allWebhooks")}</option>
          {webhooks.map((w) => (
            <option key={w.id} value={w.id}>
              {w.description}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="delivery-state" className={labelClass}>
          {t("webhooks.deliveries.state")}
        </label>
        <select id="delivery-state" name="state" defaultValue={filter.state} className={inputClass}>
          {DELIVERY_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`webhooks.deliveries.states.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={primaryButtonClass}>
        {t("webhooks.deliveries.submit")}
      </button>
    </Form>
  );
}

const statusClass = { delivered: "text-emerald-800", queued: "text-slate-700", retrying: "text-red-800", stopped: "text-slate-600" } as const;

function Deliveries() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { deliveries, hasNext, filter, toolNames, webhooks } = useLoaderData<typeof loader>();
  const filtered = filter.webhook !== null || filter.state !== "all";
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading" className="text-lg font-semibold">
        {t("webhooks.deliveries.title")}
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("webhooks.deliveries.intro")}</p>
      <DeliveryFilterForm filter={filter} webhooks={webhooks} />
      {deliveries.length === 0 ? (
        <p className="mt-3 rounded-xl border border-slate-200 bg-white px-4 py-6 text-center text-slate-600">
          {filtered || filter.page > 1 ? t("webhooks.deliveries.noMatch") : t("webhooks.deliveries.empty")}
        </p>
      ) : (
        <div className="mt-3 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="deliveries">
            <caption className="sr-only">{t("webhooks.deliveries.title")}</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">{t("webhooks.deliveries.cursor")}</th>
                <th scope="col" className="px-4 py-2">{t("webhooks.deliveries.event")}</th>
                <th scope="col" className="px-4 py-2">{t("webhooks.deliveries.tool")}</th>
                <th scope="col" className="px-4 py-2">{t("webhooks.deliveries.webhook")}</th>
                <th scope="col" className="px-4 py-2">{t("webhooks.deliveries.state")}</th>
                <th scope="col" className="px-4 py-2 text-right">{t("webhooks.deliveries.attempts")}</th>
                <th scope="col" className="px-4 py-2">{t("webhooks.deliveries.answer")}</th>
                <th scope="col" className="px-4 py-2">{t("webhooks.deliveries.when")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.map((d) => {
                const status = deliveryStatus(d, d.webhookDisabled);
                const tool = toolNames[d.toolId];
                return (
                  <tr key={d.id} data-delivery={d.eventSeq}>
                    <td className="px-4 py-2 align-top">
                      <code className="font-mono text-xs text-slate-800">{d.eventSeq}</code>
                    </td>
                    <td className="px-4 py-2 align-top">
                      {t(`webhooks.kinds.${d.kind}`, { defaultValue: d.kind })}
                      <time dateTime={d.occurredAt} className="block text-xs text-slate-600">
                        {formatDateTime(d.occurredAt, language)}
                      </time>
                    </td>
                    <td className="px-4 py-2 align-top">
                      {tool ? tool[language] : null}
                      <code className="block font-mono text-xs text-slate-600">{d.toolId}</code>
                    </td>
                    <td className="max-w-[16rem] px-4 py-2 align-top">
                      <span className="block">{d.description}</span>
                      <code className="block truncate font-mono text-xs text-slate-600" title={d.url}>
                        {d.url}
                      </code>
                    </td>
                    <td className={`px-4 py-2 align-top font-medium ${statusClass[status]}`}>{t(`webhooks.deliveries.status.${status}`)}</td>
                    <td className="px-4 py-2 text-right align-top tabular-nums">{formatNumber(d.attempts, language)}</td>
                    <td className="max-w-[16rem] break-words px-4 py-2 align-top text-slate-700">
                      {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : (d.lastError ?? "—")}
                    </td>
                    <td className="px-4 py-2 align-top text-slate-700">
                      {d.deliveredAt
                        ? formatDateTime(d.deliveredAt, language)
                        : status === "stopped"
                          ? "—"
                          : t("webhooks.deliveries.nextTry", { date: formatDateTime(d.nextAttemptAt, language) })}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {filter.page > 1 || hasNext ? (
        <nav aria-label={t("webhooks.deliveries.pages")} className="mt-3 flex flex-wrap items-center gap-4 text-sm">
          {filter.page > 1 ? (
            <Link to={`${deliveryFilterSearch({ ...filter, page: filter.page - 1 })}#deliveries-heading`} className="font-medium text-indigo-700 underline">
              {t("webhooks.deliveries.newer")}
            </Link>
          ) : null}
          <span className="text-slate-600">{t("webhooks.deliveries.page", { page: filter.page })}</span>
          {hasNext ? (
            <Link to={`${deliveryFilterSearch({ ...filter, page: filter.page + 1 })}#deliveries-heading`} className="font-medium text-indigo-700 underline">
              {t("webhooks.deliveries.older")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

export default function AdminWebhooks() {
  const { t } = useTranslation();
  const { webhooks, disable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const created = actionData?.created ?? null;
  return (
    <div className="space-y-8">
      <header>
        <p className="flex flex-wrap gap-x-6 text-sm">
          <Link to="/admin" className="text-indigo-700 underline">
            {t("webhooks.back")}
          </Link>
          <Link to="/admin/tokens" className="text-indigo-700 underline">
            {t("webhooks.tokensLink")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("webhooks.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("webhooks.intro")}</p>
      </header>
      {created ? <NewSecret created={created} /> : null}
      {disable && searchParams.get("disable") ? <DisableConfirmation webhook={disable} /> : null}
      <section className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="webhooks">
          <caption className="px-4 py-3 text-left text-sm text-slate-600">{t("webhooks.list.count", { count: webhooks.length })}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">{t("webhooks.list.address")}</th>
              <th scope="col" className="px-4 py-2">{t("webhooks.list.created")}</th>
              <th scope="col" className="px-4 py-2">{t("webhooks.list.status")}</th>
              <th scope="col" className="px-4 py-2">{t("webhooks.list.deliveries")}</th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">{t("webhooks.list.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {webhooks.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-6 text-center text-slate-600">
                  {t("webhooks.list.empty")}
                </td>
              </tr>
            ) : (
              webhooks.map((webhook) => <WebhookRow key={webhook.id} webhook={webhook} />)
            )}
          </tbody>
        </table>
      </section>
      <CreateForm lastResult={actionData?.result} />
      <Deliveries />
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "webhooks.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
