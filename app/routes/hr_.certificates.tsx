import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { CertificateStatusBadge } from "~/certification/certificate-status";
import { parsePassDate } from "~/certification/certificate-views";
import { certificatesOf, grantCourseExemption, recordExternalCertificate, revokeCertificate } from "~/certification/certificates.server";
import { exemptionsOf, personForHr } from "~/certification/hr.server";
import { getCurrentRelease, requireRelease } from "~/content/release.server";
import { formatDate, formatPersonName } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { listPeople } from "~/org/people.server";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const REASON_MAX = 500;
const EVIDENCE_MAX = 1000;

const text = (required: string, tooLong: string, max: number) =>
  z
    .string({ required_error: required })
    .trim()
    .min(1, required)
    .max(max, tooLong);

const revokeSchema = z.object({
  intent: z.literal("revoke"),
  userId: z.string().min(1),
  certificateId: z.string().min(1),
  reason: text("hrCertificates.errors.reasonRequired", "hrCertificates.errors.reasonTooLong", REASON_MAX),
});

const recordSchema = z.object({
  intent: z.literal("recordExternal"),
  userId: z.string().min(1),
  trackId: z.string({ required_error: "hrCertificates.errors.trackRequired" }).min(1, "hrCertificates.errors.trackRequired"),
  passedOn: z
    .string({ required_error: "hrCertificates.errors.dateRequired" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "hrCertificates.errors.dateInvalid"),
  evidence: text("hrCertificates.errors.evidenceRequired", "hrCertificates.errors.evidenceTooLong", EVIDENCE_MAX),
});

const exemptSchema = z.object({
  intent: z.literal("exempt"),
  userId: z.string().min(1),
  trackId: z.string({ required_error: "hrCertificates.errors.trackRequired" }).min(1, "hrCertificates.errors.trackRequired"),
  reason: text("hrCertificates.errors.reasonRequired", "hrCertificates.errors.reasonTooLong", REASON_MAX),
});

const intentSchema = z.enum(["revoke", "recordExternal", "exempt"]);
type Intent = z.infer<typeof intentSchema>;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:certificates");
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim() ?? "";
  const personId = url.searchParams.get("person");
  const [people, release, person] = await Promise.all([
    q ? listPeople(q, 50) : Promise.resolve([]),
    getCurrentRelease(),
    personId ? personForHr(personId) : Promise.resolve(null),
  ]);
  if (personId && !person) throw new Response("Not found", { status: 404 });
  const [certificates, exemptions] = person ? await Promise.all([certificatesOf(person.id), exemptionsOf(person.id)]) : [[], []];
  const revokeId = url.searchParams.get("revoke");
  return {
    q,
    people: people.map((p) => ({
      id: p.id,
      email: p.email,
      familyName: p.familyName,
      givenName: p.givenName,
      departmentNameJa: p.departmentNameJa,
      departmentNameEn: p.departmentNameEn,
      active: p.active,
    })),
    person,
    certificates: certificates.map((c) => ({
      id: c.id,
      number: c.number,
      trackId: c.trackId,
      trackTitle: c.trackTitle,
      source: c.source,
      status: c.status,
      passedAt: c.passedAt.toISOString(),
      validUntil: c.validUntil.toISOString(),
      revokedAt: c.revokedAt?.toISOString() ?? null,
      revokedReason: c.revokedReason,
    })),
    exemptions: exemptions.map((e) => ({ ...e, createdAt: e.createdAt.toISOString(), revokedAt: e.revokedAt?.toISOString() ?? null })),
    revokeId: certificates.some((c) => c.id === revokeId && c.status !== "revoked") ? revokeId : null,
    tracks: [...(release?.tracks.values() ?? [])].map((t) => ({ id: t.id, title: t.title, validityMonths: t.validityMonths })),
  };
}

function reply(intent: Intent, result: SubmissionResult<string[]>, status = 400) {
  return data({ intent, result }, { status });
}

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requirePermission(request, "manage:certificates");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Bad request", { status: 400 });
  const userId = String(formData.get("userId") ?? "");
  const person = await personForHr(userId);
  if (!person) throw new Response("Not found", { status: 404 });
  const back = `/hr/certificates?person=${encodeURIComponent(person.id)}`;
  const name = { familyName: person.familyName, givenName: person.givenName };

  if (intent.data === "revoke") {
    const submission = parseWithZod(formData, { schema: revokeSchema });
    if (submission.status !== "success") return reply("revoke", submission.reply());
    // Only a certificate of the person on the page: a stale or edited form cannot reach another one.
    const owned = (await certificatesOf(person.id)).find((c) => c.id === submission.value.certificateId);
    if (!owned) throw new Response("Not found", { status: 404 });
    const result = await revokeCertificate({ certificateId: owned.id, reason: submission.value.reason, actorId: hr.id });
    if (result.kind === "not-found") throw new Response("Not found", { status: 404 });
    if (result.kind === "already-revoked") {
      return redirectWithToast(back, { key: "hrCertificates.toast.alreadyRevoked", values: { number: owned.number }, kind: "error" });
    }
    return redirectWithToast(back, { key: "hrCertificates.toast.revoked", values: { number: owned.number, name }, kind: "success" });
  }

  const release = await requireRelease();
  if (intent.data === "recordExternal") {
    const now = new Date();
    const submission = parseWithZod(formData, {
      schema: recordSchema.superRefine((value, ctx) => {
        if (!release.tracks.has(value.trackId)) ctx.addIssue({ code: "custom", path: ["trackId"], message: "hrCertificates.errors.trackRequired" });
        const date = parsePassDate(value.passedOn, now);
        if (!date.ok) ctx.addIssue({ code: "custom", path: ["passedOn"], message: `hrCertificates.errors.date.${date.problem}` });
      }),
    });
    if (submission.status !== "success") return reply("recordExternal", submission.reply());
    const track = release.tracks.get(submission.value.trackId)!;
    const date = parsePassDate(submission.value.passedOn, now);
    if (!date.ok) throw new Response("Bad request", { status: 400 });
    const recorded = await recordExternalCertificate({
      userId: person.id,
      track,
      passedAt: date.passedAt,
      evidence: submission.value.evidence,
      actorId: hr.id,
    });
    return redirectWithToast(back, { key: "hrCertificates.toast.recorded", values: { number: recorded.number, name }, kind: "success" });
  }

  const submission = parseWithZod(formData, {
    schema: exemptSchema.superRefine((value, ctx) => {
      if (!release.tracks.has(value.trackId)) ctx.addIssue({ code: "custom", path: ["trackId"], message: "hrCertificates.errors.trackRequired" });
    }),
  });
  if (submission.status !== "success") return reply("exempt", submission.reply());
  const track = release.tracks.get(submission.value.trackId)!;
  await grantCourseExemption({ userId: person.id, trackId: track.id, reason: submission.value.reason, actorId: hr.id });
  return redirectWithToast(back, {
    key: "hrCertificates.toast.exempted",
    values: { name, track: track.title[await requestLanguage(request)] },
    kind: "success",
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function useIntentResult(intent: Intent) {
  const actionData = useActionData<typeof action>();
  return actionData && actionData.intent === intent ? actionData.result : undefined;
}

const labelClass = "block text-sm font-medium text-slate-800";
const cardClass = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";

function PersonSearch({ q, people }: { q: string; people: LoaderData["people"] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="space-y-4">
      <Form method="get" className="flex max-w-lg items-end gap-2" role="search">
        <div className="flex-1">
          <label htmlFor="q" className={labelClass}>
            {t("hrCertificates.search")}
          </label>
          <input id="q" name="q" type="search" defaultValue={q} className={inputClass} aria-describedby="q-hint" />
          <p id="q-hint" className="mt-1 text-xs text-slate-600">
            {t("hrCertificates.searchHint")}
          </p>
        </div>
        <button type="submit" className={`${primaryButtonClass} mb-5`}>
          {t("hrCertificates.searchSubmit")}
        </button>
      </Form>
      {q ? (
        people.length === 0 ? (
          <p className="text-sm text-slate-700">{t("hrCertificates.noResults")}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm" data-testid="people">
            {people.map((p) => {
              const name = formatPersonName(p, language);
              return (
                <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                  <span>
                    <span className="font-medium text-slate-900">{name}</span>
                    <span className="block text-xs text-slate-600">
                      {p.email}
                      {(language === "ja" ? p.departmentNameJa : p.departmentNameEn) ? ` · ${language === "ja" ? p.departmentNameJa : p.departmentNameEn}` : ""}
                    </span>
                  </span>
                  <Link
                    to={`?q=${encodeURIComponent(q)}&person=${encodeURIComponent(p.id)}`}
                    className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
                    aria-label={t("hrCertificates.manageFor", { name })}
                  >
                    {t("hrCertificates.manage")}
                  </Link>
                </li>
              );
            })}
          </ul>
        )
      ) : null}
    </div>
  );
}

function RevokeConfirmation({ data: d }: { data: LoaderData }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [searchParams] = useSearchParams();
  const certificate = d.certificates.find((c) => c.id === d.revokeId)!;
  const person = d.person!;
  const [form, fields] = useForm({
    id: "revoke",
    lastResult: useIntentResult("revoke"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: revokeSchema }),
  });
  const cancel = new URLSearchParams(searchParams);
  cancel.delete("revoke");
  return (
    <section id="confirm-revoke" className="rounded-xl border-2 border-red-300 bg-red-50 p-6" aria-labelledby="revoke-heading" data-testid="revoke-confirmation">
      <h3 id="revoke-heading" className="text-lg font-bold text-red-950">
        {t("hrCertificates.revokeTitle", { number: certificate.number })}
      </h3>
      <p className="mt-2 text-sm text-red-950">
        {t("hrCertificates.revokeBody", { track: certificate.trackTitle[language], name: formatPersonName(person, language) })}
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="userId" value={person.id} />
        <input type="hidden" name="certificateId" value={certificate.id} />
        <div>
          <label htmlFor={fields.reason.id} className={labelClass}>
            {t("hrCertificates.reason")}
          </label>
          <textarea {...getTextareaProps(fields.reason)} rows={3} maxLength={REASON_MAX} className={inputClass} />
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} values={{ max: REASON_MAX }} />
        </div>
        <div className="flex flex-wrap gap-3">
          <button type="submit" className="inline-flex items-center justify-center rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700">
            {t("hrCertificates.revokeSubmit")}
          </button>
          <Link to={`?${cancel.toString()}`} className="inline-flex items-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
            {t("hrCertificates.cancel")}
          </Link>
        </div>
      </Form>
    </section>
  );
}

function TrackSelect({ field, tracks, label }: { field: Parameters<typeof getSelectProps>[0]; tracks: LoaderData["tracks"]; label: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div>
      <label htmlFor={field.id} className={labelClass}>
        {label}
      </label>
      <select {...getSelectProps(field)} className={inputClass}>
        <option value="">{t("hrCertificates.chooseTrack")}</option>
        {tracks.map((track) => (
          <option key={track.id} value={track.id}>
            {track.title[language]}
          </option>
        ))}
      </select>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

function RecordExternalForm({ data: d }: { data: LoaderData }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "record-external",
    lastResult: useIntentResult("recordExternal"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: recordSchema }),
  });
  return (
    <section className={cardClass} aria-labelledby="record-heading">
      <h3 id="record-heading" className="text-lg font-semibold">
        {t("hrCertificates.recordTitle")}
      </h3>
      <p className="mt-1 text-sm text-slate-700">{t("hrCertificates.recordIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="recordExternal" />
        <input type="hidden" name="userId" value={d.person!.id} />
        <TrackSelect field={fields.trackId} tracks={d.tracks} label={t("hrCertificates.track")} />
        <div>
          <label htmlFor={fields.passedOn.id} className={labelClass}>
            {t("hrCertificates.passedOn")}
          </label>
          <input {...getInputProps(fields.passedOn, { type: "date" })} className={inputClass} />
          <FieldErrors id={fields.passedOn.errorId} errors={fields.passedOn.errors} />
        </div>
        <div>
          <label htmlFor={fields.evidence.id} className={labelClass}>
            {t("hrCertificates.evidence")}
          </label>
          <textarea {...getTextareaProps(fields.evidence)} rows={3} maxLength={EVIDENCE_MAX} className={inputClass} placeholder={t("hrCertificates.evidencePlaceholder")} />
          <FieldErrors id={fields.evidence.errorId} errors={fields.evidence.errors} values={{ max: EVIDENCE_MAX }} />
        </div>
        <p className="text-xs text-slate-600">{t("hrCertificates.recordValidity")}</p>
        <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
          {t("hrCertificates.recordSubmit")}
        </button>
      </Form>
    </section>
  );
}

function ExemptionForm({ data: d }: { data: LoaderData }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "exempt",
    lastResult: useIntentResult("exempt"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: exemptSchema }),
  });
  return (
    <section className={cardClass} aria-labelledby="exempt-heading">
      <h3 id="exempt-heading" className="text-lg font-semibold">
        {t("hrCertificates.exemptTitle")}
      </h3>
      <p className="mt-1 text-sm text-slate-700">{t("hrCertificates.exemptIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="exempt" />
        <input type="hidden" name="userId" value={d.person!.id} />
        <TrackSelect field={fields.trackId} tracks={d.tracks} label={t("hrCertificates.track")} />
        <div>
          <label htmlFor={fields.reason.id} className={labelClass}>
            {t("hrCertificates.reason")}
          </label>
          <textarea {...getTextareaProps(fields.reason)} rows={3} maxLength={REASON_MAX} className={inputClass} />
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} values={{ max: REASON_MAX }} />
        </div>
        <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
          {t("hrCertificates.exemptSubmit")}
        </button>
      </Form>
    </section>
  );
}

function PersonPanel({ data: d }: { data: LoaderData }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [searchParams] = useSearchParams();
  const person = d.person!;
  const name = formatPersonName(person, language);
  const titleOf = (trackId: string) => d.tracks.find((tr) => tr.id === trackId)?.title[language] ?? trackId;
  const revokeLink = (id: string) => {
    const params = new URLSearchParams(searchParams);
    params.set("revoke", id);
    return `?${params.toString()}#confirm-revoke`;
  };
  return (
    <section className="space-y-6" aria-labelledby="person-heading" data-testid="person">
      <div>
        <h2 id="person-heading" className="text-xl font-bold tracking-tight">
          {name}
        </h2>
        <p className="text-sm text-slate-600">
          {person.email}
          {(language === "ja" ? person.departmentNameJa : person.departmentNameEn) ? ` · ${language === "ja" ? person.departmentNameJa : person.departmentNameEn}` : ""}
        </p>
      </div>
      <section className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm" aria-labelledby="certs-heading">
        <h3 id="certs-heading" className="px-4 pt-4 text-lg font-semibold">
          {t("hrCertificates.certificates")}
        </h3>
        {d.certificates.length === 0 ? (
          <p className="px-4 py-4 text-sm text-slate-600">{t("hrCertificates.noCertificates")}</p>
        ) : (
          <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">{t("certificate.columns.track")}</th>
                <th scope="col" className="px-4 py-2">{t("certificate.columns.number")}</th>
                <th scope="col" className="px-4 py-2">{t("certificate.columns.status")}</th>
                <th scope="col" className="px-4 py-2">{t("hrCertificates.dates")}</th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">{t("hrCertificates.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {d.certificates.map((c) => (
                <tr key={c.id}>
                  <td className="px-4 py-3">
                    <span className="font-medium text-slate-900">{c.trackTitle[language]}</span>
                    <span className="block text-xs text-slate-600">{t(`hrCertificates.source.${c.source}`)}</span>
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 font-mono text-slate-700">{c.number}</td>
                  <td className="px-4 py-3">
                    <CertificateStatusBadge status={c.status} />
                    {c.revokedReason ? <span className="mt-1 block text-xs text-slate-600">{t("certificate.revokedReason", { reason: c.revokedReason })}</span> : null}
                  </td>
                  <td className="px-4 py-3 text-slate-700">
                    {t("hrCertificates.passedValid", { passed: formatDate(c.passedAt, language, "medium"), until: formatDate(c.validUntil, language, "medium") })}
                    {c.revokedAt ? <span className="block text-xs">{t("hrCertificates.revokedOn", { date: formatDate(c.revokedAt, language, "medium") })}</span> : null}
                  </td>
                  <td className="px-4 py-3 text-right">
                    {c.status !== "revoked" ? (
                      <Link
                        to={revokeLink(c.id)}
                        className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50"
                        aria-label={t("hrCertificates.revokeFor", { number: c.number })}
                      >
                        {t("hrCertificates.revoke")}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {d.revokeId ? <RevokeConfirmation data={d} /> : null}
      <section className={cardClass} aria-labelledby="exemptions-heading">
        <h3 id="exemptions-heading" className="text-lg font-semibold">
          {t("hrCertificates.exemptions")}
        </h3>
        {d.exemptions.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("hrCertificates.noExemptions")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="exemptions">
            {d.exemptions.map((e) => (
              <li key={e.id} className="py-2">
                <span className="font-medium">{titleOf(e.trackId)}</span>{" "}
                <span className="text-slate-600">· {formatDate(e.createdAt, language, "medium")}</span>
                <span className="block text-slate-700">{e.reason}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <RecordExternalForm key={`record-${d.certificates.length}`} data={d} />
        <ExemptionForm key={`exempt-${d.exemptions.length}`} data={d} />
      </div>
    </section>
  );
}

export default function HrCertificates() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <header>
        <p>
          <Link to="/hr" className="text-sm font-medium text-indigo-700 hover:underline">
            ← {t("nav.hr")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("hrCertificates.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("hrCertificates.intro")}</p>
      </header>
      <PersonSearch q={d.q} people={d.people} />
      {d.person ? <PersonPanel data={d} /> : null}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "hrCertificates.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
