import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { assignmentFormSchema, MAX_LISTED_PEOPLE, MAX_NEW_HIRE_DAYS, parsePeopleList } from "~/assignments/assignment-form";
import { tokyoDay } from "~/assignments/assignment-status";
import { createAssignment, listAssignments, resolvePeople, withdrawAssignment } from "~/assignments/assignments.server";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { getCurrentRelease } from "~/content/release.server";
import { formatDate, formatNumber, formatPersonName } from "~/i18n/format";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { departmentOutline } from "~/org/departments.server";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { Alert, FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const intentSchema = z.enum(["create", "withdraw"]);
const withdrawSchema = z.object({ assignmentId: z.string().min(1) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manage:assignments");
  const [release, list, departments] = await Promise.all([getCurrentRelease(), listAssignments(), departmentOutline()]);
  const withdrawId = new URL(request.url).searchParams.get("withdraw");
  return {
    today: tokyoDay(new Date()),
    tracks: [...(release?.tracks.values() ?? [])].map((t) => ({ id: t.id, title: t.title })),
    departments,
    withdrawId: list.some((a) => a.id === withdrawId) ? withdrawId : null,
    assignments: list.map((a) => ({
      ...a,
      createdAt: a.createdAt.toISOString(),
      trackTitle: release?.tracks.get(a.trackId)?.title ?? null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requirePermission(request, "manage:assignments");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Bad request", { status: 400 });

  if (intent.data === "withdraw") {
    const parsed = withdrawSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw new Response("Bad request", { status: 400 });
    const done = await withdrawAssignment(hr.id, parsed.data.assignmentId);
    return redirectWithToast("/hr/assignments", done ? { key: "assignments.toast.withdrawn", kind: "success" } : { key: "assignments.toast.alreadyWithdrawn", kind: "error" });
  }

  const [release, departments] = await Promise.all([getCurrentRelease(), departmentOutline()]);
  const knownDepartments = new Set(departments.map((d) => d.id));
  const listed = parsePeopleList(String(formData.get("people") ?? ""));
  const scope = formData.get("scope");
  const resolved = scope === "people" && listed.length <= MAX_LISTED_PEOPLE ? await resolvePeople(listed) : null;
  const submission = parseWithZod(formData, {
    schema: assignmentFormSchema(tokyoDay(new Date())).superRefine((value, ctx) => {
      if (!release?.tracks.has(value.trackId)) ctx.addIssue({ code: "custom", path: ["trackId"], message: "assignments.errors.trackRequired" });
      if (value.scope === "departments" && value.departmentIds.some((id) => !knownDepartments.has(id))) {
        ctx.addIssue({ code: "custom", path: ["departmentIds"], message: "assignments.errors.departmentsRequired" });
      }
      if (resolved && resolved.unknown.length > 0) ctx.addIssue({ code: "custom", path: ["people"], message: "assignments.errors.peopleUnknown" });
    }),
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply(), unknown: resolved?.unknown.slice(0, 50) ?? [], unknownCount: resolved?.unknown.length ?? 0 }, { status: 400 });
  }
  const value = submission.value;
  await createAssignment(hr.id, {
    trackId: value.trackId,
    scope: value.scope,
    departmentIds: value.scope === "departments" ? value.departmentIds : [],
    userIds: value.scope === "people" ? (resolved?.userIds ?? []) : [],
    dueOn: value.dueOn ?? null,
    newHireDays: value.newHireDays ?? null,
  });
  const language = await requestLanguage(request);
  return redirectWithToast("/hr/assignments", {
    key: "assignments.toast.created",
    values: { track: release!.tracks.get(value.trackId)!.title[language] },
    kind: "success",
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

const labelClass = "block text-sm font-medium text-slate-800";
/** Indentation by depth in the org chart (classes, not inline styles: the CSP forbids those). */
const INDENT = ["ps-0", "ps-5", "ps-10", "ps-14", "ps-20", "ps-24"];
const cardClass = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";

function NewAssignment() {
  const { t } = useTranslation();
  const language = useLanguage();
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "new-assignment",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { scope: "everyone" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: assignmentFormSchema(d.today) }),
  });
  const [scope, setScope] = useState<string>(String(fields.scope.initialValue ?? "everyone"));
  const selectedDepartments = new Set((fields.departmentIds.initialValue as string[] | undefined) ?? []);
  return (
    <section className={cardClass} aria-labelledby="new-heading">
      <h2 id="new-heading" className="text-lg font-semibold text-slate-900">
        {t("assignments.newHeading")}
      </h2>
      <Form method="post" {...getFormProps(form)} className="mt-4 space-y-6">
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <div>
          <label htmlFor={fields.trackId.id} className={labelClass}>
            {t("assignments.track")}
          </label>
          <select {...getSelectProps(fields.trackId)} className={inputClass}>
            <option value="">{t("assignments.chooseTrack")}</option>
            {d.tracks.map((track) => (
              <option key={track.id} value={track.id}>
                {track.title[language]}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.trackId.errorId} errors={fields.trackId.errors} />
        </div>

        <fieldset aria-describedby={fields.scope.errorId}>
          <legend className={labelClass}>{t("assignments.who")}</legend>
          <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
            {(["everyone", "departments", "people"] as const).map((value) => (
              <label key={value} className="inline-flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="radio"
                  name={fields.scope.name}
                  value={value}
                  defaultChecked={scope === value}
                  onChange={() => setScope(value)}
                  className="h-4 w-4 border-slate-400 text-indigo-600"
                />
                {t(`assignments.scope.${value}`)}
              </label>
            ))}
          </div>
          <FieldErrors id={fields.scope.errorId} errors={fields.scope.errors} />
        </fieldset>

        <fieldset hidden={scope !== "departments"} aria-describedby={`${fields.departmentIds.errorId} departments-hint`}>
          <legend className={labelClass}>{t("assignments.departments")}</legend>
          <p id="departments-hint" className="mt-1 text-xs text-slate-600">
            {t("assignments.departmentsHint")}
          </p>
          {d.departments.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">{t("assignments.noDepartments")}</p>
          ) : (
            <div className="mt-2 max-h-64 overflow-y-auto rounded-md border border-slate-200 p-3">
              {d.departments.map((dept) => (
                <label key={dept.id} className={`flex items-center gap-2 py-1 text-sm text-slate-800 ${INDENT[Math.min(dept.depth, INDENT.length - 1)]}`}>
                  <input type="checkbox" name={fields.departmentIds.name} value={dept.id} defaultChecked={selectedDepartments.has(dept.id)} className="h-4 w-4 rounded border-slate-400 text-indigo-600" />
                  {language === "ja" ? dept.nameJa : dept.nameEn} <span className="text-xs text-slate-500">{dept.code}</span>
                </label>
              ))}
            </div>
          )}
          <FieldErrors id={fields.departmentIds.errorId} errors={fields.departmentIds.errors} />
        </fieldset>

        <div hidden={scope !== "people"}>
          <label htmlFor={fields.people.id} className={labelClass}>
            {t("assignments.people")}
          </label>
          <p id="people-hint" className="mt-1 text-xs text-slate-600">
            {t("assignments.peopleHint", { max: formatNumber(MAX_LISTED_PEOPLE, language) })}
          </p>
          <textarea {...getTextareaProps(fields.people)} rows={5} className={`${inputClass} font-mono`} aria-describedby={`people-hint ${fields.people.errorId}`} />
          <FieldErrors id={fields.people.errorId} errors={fields.people.errors} values={{ max: formatNumber(MAX_LISTED_PEOPLE, language) }} />
          {actionData && actionData.unknownCount > 0 ? (
            <p className="mt-1 text-sm text-red-700" data-testid="unknown-people">
              {t("assignments.unknownList", { count: actionData.unknownCount, list: actionData.unknown.join(", ") })}
            </p>
          ) : null}
        </div>

        <fieldset>
          <legend className={labelClass}>{t("assignments.when")}</legend>
          <p className="mt-1 text-xs text-slate-600">{t("assignments.whenHint")}</p>
          <div className="mt-2 grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor={fields.dueOn.id} className="block text-sm text-slate-800">
                {t("assignments.dueOn")}
              </label>
              <input {...getInputProps(fields.dueOn, { type: "date" })} min={d.today} className={inputClass} />
              <FieldErrors id={fields.dueOn.errorId} errors={fields.dueOn.errors} />
            </div>
            <div>
              <label htmlFor={fields.newHireDays.id} className="block text-sm text-slate-800">
                {t("assignments.newHireDays")}
              </label>
              <input {...getInputProps(fields.newHireDays, { type: "number" })} min={1} max={MAX_NEW_HIRE_DAYS} inputMode="numeric" className={inputClass} />
              <FieldErrors id={fields.newHireDays.errorId} errors={fields.newHireDays.errors} values={{ max: MAX_NEW_HIRE_DAYS }} />
            </div>
          </div>
        </fieldset>

        <button type="submit" className={primaryButtonClass} disabled={busy}>
          {busy ? t("assignments.creating") : t("assignments.create")}
        </button>
      </Form>
    </section>
  );
}

function who(a: LoaderData["assignments"][number], t: ReturnType<typeof useTranslation>["t"], language: "ja" | "en"): string {
  if (a.scope === "everyone") return t("assignments.scope.everyone");
  if (a.scope === "people") return t("assignments.listedPeople", { count: a.people });
  return a.departments.map((dept) => (language === "ja" ? dept.nameJa : dept.nameEn)).join(language === "ja" ? "、" : ", ");
}

function when(a: LoaderData["assignments"][number], t: ReturnType<typeof useTranslation>["t"], language: "ja" | "en"): string {
  const parts: string[] = [];
  if (a.dueOn) parts.push(t("assignments.dueBy", { date: formatDate(a.dueOn, language) }));
  if (a.newHireDays) parts.push(t("assignments.withinDays", { count: a.newHireDays }));
  return parts.join(language === "ja" ? "／" : " · ");
}

function AssignmentList() {
  const { t } = useTranslation();
  const language = useLanguage();
  const d = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  if (d.assignments.length === 0) {
    return <p className="text-sm text-slate-600">{t("assignments.empty")}</p>;
  }
  const cancel = new URLSearchParams(searchParams);
  cancel.delete("withdraw");
  return (
    <ul className="space-y-3" aria-label={t("assignments.listHeading")}>
      {d.assignments.map((a) => (
        <li key={a.id} className={cardClass} data-testid="assignment">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div>
              <p className="font-semibold text-slate-900">{a.trackTitle?.[language] ?? t("assignments.unknownTrack", { id: a.trackId })}</p>
              <p className="text-sm text-slate-700">{who(a, t, language)}</p>
              <p className="text-sm text-slate-700">{when(a, t, language)}</p>
              <p className="mt-1 text-xs text-slate-600">
                {t("assignments.reach", { count: a.reach, n: formatNumber(a.reach, language) })} ·{" "}
                {t("assignments.createdBy", { name: a.createdBy ? formatPersonName(a.createdBy, language) : "—", date: formatDate(a.createdAt, language) })}
              </p>
            </div>
            {d.withdrawId === a.id ? null : (
              <Link to={`?withdraw=${encodeURIComponent(a.id)}`} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
                {t("assignments.withdraw")}
              </Link>
            )}
          </div>
          {d.withdrawId === a.id ? (
            <Form method="post" className="mt-4 rounded-md border-2 border-red-300 bg-red-50 p-4" data-testid="withdraw-confirmation">
              <CsrfInput />
              <input type="hidden" name="intent" value="withdraw" />
              <input type="hidden" name="assignmentId" value={a.id} />
              <p className="text-sm text-red-950">{t("assignments.withdrawConfirm", { count: a.reach, n: formatNumber(a.reach, language) })}</p>
              <div className="mt-3 flex flex-wrap gap-3">
                <button type="submit" className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800">
                  {t("assignments.withdrawSubmit")}
                </button>
                <Link to={`?${cancel.toString()}`} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
                  {t("assignments.cancel")}
                </Link>
              </div>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export default function Page() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/hr" className="text-indigo-700 underline">
            {t("nav.hr")}
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-bold text-slate-900">{t("assignments.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("assignments.intro")}</p>
      </div>
      {/* A new key after each assignment made, so the form starts empty again. */}
      {d.tracks.length === 0 ? <Alert tone="info">{t("assignments.noRelease")}</Alert> : <NewAssignment key={d.assignments[0]?.id ?? "none"} />}
      <section aria-labelledby="list-heading" className="space-y-3">
        <h2 id="list-heading" className="text-lg font-semibold text-slate-900">
          {t("assignments.listHeading")}
        </h2>
        <AssignmentList />
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "assignments.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
