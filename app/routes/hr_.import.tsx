import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { requirePermission } from "~/auth/session.server";
import { formatNumber, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { dryRunView, type DryRunView } from "~/org/import/dry-run-view";
import { analyseFile, applyPendingImport, createPendingImport } from "~/org/import/org-import.server";
import { problemMessage } from "~/org/import/problem-message";
import { IMPORT_COLUMNS } from "~/org/import/columns";
import { countPeople } from "~/org/people-export.server";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { Alert, inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const checkSchema = z.object({
  intent: z.literal("check"),
  encoding: z.enum(["auto", "utf-8", "shift_jis"]).default("auto"),
});
const applySchema = z.object({
  intent: z.literal("apply"),
  importId: z.string().min(1).max(100),
  confirm: z.literal("yes").optional(),
});
const intentSchema = z.enum(["check", "apply"]);

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "import:org");
  return { peopleCount: await countPeople() };
}

type ActionData = { kind: "formError"; key: string } | { kind: "checked"; view: DryRunView };

export async function action({ request }: ActionFunctionArgs) {
  const hr = await requirePermission(request, "import:org");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Bad request", { status: 400 });

  if (intent.data === "apply") {
    const parsed = applySchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) throw new Response("Bad request", { status: 400 });
    const outcome = await applyPendingImport({ id: parsed.data.importId, actorId: hr.id, confirmDeactivations: parsed.data.confirm === "yes" });
    if (outcome.kind === "applied") {
      const { created = 0, changed = 0, deactivated = 0 } = outcome.summary;
      return redirectWithToast("/hr/import", { key: "orgImport.toast.applied", values: { created, changed, deactivated }, kind: "success" });
    }
    const key = outcome.kind === "needsConfirmation" ? "confirmRequired" : outcome.kind;
    return redirectWithToast("/hr/import", { key: `orgImport.toast.${key}`, kind: outcome.kind === "alreadyApplied" ? "info" : "error" });
  }

  const parsed = checkSchema.safeParse({ intent: formData.get("intent"), encoding: formData.get("encoding") ?? undefined });
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const file = formData.get("file");
  if (!(file instanceof Blob) || file.size === 0) return data<ActionData>({ kind: "formError", key: "orgImport.noFile" }, { status: 400 });
  const fileName = ((file as File).name || "import.csv").slice(0, 200);
  const encoding = parsed.data.encoding === "auto" ? undefined : parsed.data.encoding;
  const analysis = await analyseFile(new Uint8Array(await file.arrayBuffer()), { encoding, actorId: hr.id });
  const plan = analysis.plan;
  const hasChanges = plan && (plan.created.length || plan.changed.length || plan.deactivated.length || plan.newDepartments.length || plan.renamedDepartments.length);
  const importId =
    plan && hasChanges && analysis.text && analysis.encoding && analysis.hash
      ? await createPendingImport({ actorId: hr.id, fileName, encoding: analysis.encoding, text: analysis.text, plan, hash: analysis.hash })
      : null;
  return data<ActionData>({
    kind: "checked",
    view: dryRunView({
      fileName,
      encoding: analysis.encoding,
      importId,
      problems: analysis.problems,
      errors: analysis.errors,
      warnings: analysis.warnings,
      plan,
    }),
  });
}

const cardClass = "rounded-xl border border-slate-200 bg-white p-6 shadow-sm";
const labelClass = "block text-sm font-medium text-slate-800";
const thClass = "px-3 py-2 text-left text-xs font-semibold text-slate-600";
const tdClass = "px-3 py-2 align-top";

function UploadForm({ error }: { error: string | null }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "check";
  return (
    <section className={cardClass} aria-labelledby="upload-heading">
      <h2 id="upload-heading" className="text-lg font-semibold">
        {t("orgImport.check")}
      </h2>
      <Form method="post" encType="multipart/form-data" className="mt-4 space-y-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="check" />
        <div>
          <label htmlFor="import-file" className={labelClass}>
            {t("orgImport.file")}
          </label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            className={inputClass}
            aria-describedby={error ? "import-file-hint import-file-error" : "import-file-hint"}
            aria-invalid={error ? true : undefined}
          />
          <p id="import-file-hint" className="mt-1 text-xs text-slate-600">
            {t("orgImport.fileHint")}
          </p>
          {error ? (
            <p id="import-file-error" className="mt-1 text-sm text-red-700">
              {t(error)}
            </p>
          ) : null}
        </div>
        <div className="max-w-sm">
          <label htmlFor="import-encoding" className={labelClass}>
            {t("orgImport.encoding")}
          </label>
          <select id="import-encoding" name="encoding" defaultValue="auto" className={inputClass}>
            <option value="auto">{t("orgImport.encodingAuto")}</option>
            <option value="utf-8">{t("orgImport.encodingUtf8")}</option>
            <option value="shift_jis">{t("orgImport.encodingShiftJis")}</option>
          </select>
        </div>
        <button type="submit" className={primaryButtonClass} disabled={busy}>
          {t("orgImport.check")}
        </button>
      </Form>
      <details className="mt-4 text-sm text-slate-700">
        <summary className="cursor-pointer font-medium text-slate-800">{t("orgImport.columnsTitle")}</summary>
        <p className="mt-2">{t("orgImport.columnsHelp")}</p>
        <p className="mt-2 break-words font-mono text-xs text-slate-800">{IMPORT_COLUMNS.join(",")}</p>
      </details>
    </section>
  );
}

function ProblemsTable({ view }: { view: DryRunView }) {
  const { t } = useTranslation();
  const tr = (key: string, values?: Record<string, unknown>) => t(key, values) as string;
  return (
    <section aria-labelledby="problems-heading" className="space-y-2">
      <h3 id="problems-heading" className="text-lg font-semibold">
        {t("orgImport.problemsTitle")}
      </h3>
      {view.problems.length === 0 ? (
        <p className="text-sm text-emerald-800">✓ {t("orgImport.noProblems")}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="import-problems">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={thClass}>{t("orgImport.columns.row")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.severity")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.problem")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.problems.map((p, i) => (
                <tr key={i}>
                  <td className={`${tdClass} whitespace-nowrap font-medium`}>{t("orgImport.row", { row: p.row })}</td>
                  <td className={tdClass}>
                    <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${p.severity === "error" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}>
                      {t(`orgImport.severity.${p.severity}`)}
                    </span>
                  </td>
                  <td className={`${tdClass} text-slate-900`}>{problemMessage(tr, p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.moreProblems > 0 ? <p className="text-sm text-slate-700">{t("orgImport.moreRows", { count: view.moreProblems })}</p> : null}
    </section>
  );
}

function More({ shown, total }: { shown: number; total: number }) {
  const { t } = useTranslation();
  return total > shown ? <p className="px-3 py-2 text-sm text-slate-700">{t("orgImport.moreRows", { count: total - shown })}</p> : null;
}

function PlanLists({ view }: { view: DryRunView }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const counts = view.counts!;
  const value = (v: string | null) => (v === null ? t("orgImport.emptyValue") : v);
  return (
    <div className="space-y-6">
      {view.created.length ? (
        <section aria-labelledby="created-heading" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <h3 id="created-heading" className="px-3 pt-3 font-semibold">{t("orgImport.createdTitle")}</h3>
          <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="import-created">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={thClass}>{t("orgImport.columns.row")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.employeeNumber")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.name")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.email")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.created.map((p) => (
                <tr key={p.row}>
                  <td className={tdClass}>{p.row}</td>
                  <td className={`${tdClass} font-mono`}>{p.employeeNumber}</td>
                  <td className={tdClass}>{formatPersonName(p, language)}</td>
                  <td className={tdClass}>{p.email}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <More shown={view.created.length} total={counts.created} />
        </section>
      ) : null}
      {view.changed.length ? (
        <section aria-labelledby="changed-heading" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <h3 id="changed-heading" className="px-3 pt-3 font-semibold">{t("orgImport.changedTitle")}</h3>
          <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="import-changed">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={thClass}>{t("orgImport.columns.row")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.employeeNumber")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.name")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.changes")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.changed.map((p) => (
                <tr key={p.row}>
                  <td className={tdClass}>{p.row}</td>
                  <td className={`${tdClass} font-mono`}>{p.employeeNumber}</td>
                  <td className={tdClass}>{formatPersonName(p, language)}</td>
                  <td className={tdClass}>
                    <ul>
                      {p.changes.map((c) => (
                        <li key={c.field}>{t("orgImport.change", { field: t(`orgImport.fields.${c.field}`), from: value(c.from), to: value(c.to) })}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <More shown={view.changed.length} total={counts.changed} />
        </section>
      ) : null}
      {view.deactivated.length ? (
        <section aria-labelledby="deactivated-heading" className="overflow-x-auto rounded-xl border border-amber-300 bg-white">
          <h3 id="deactivated-heading" className="px-3 pt-3 font-semibold">{t("orgImport.deactivatedTitle")}</h3>
          <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="import-deactivated">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={thClass}>{t("orgImport.columns.employeeNumber")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.name")}</th>
                <th scope="col" className={thClass}>{t("orgImport.columns.email")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.deactivated.map((p) => (
                <tr key={p.email}>
                  <td className={`${tdClass} font-mono`}>{p.employeeNumber ?? "—"}</td>
                  <td className={tdClass}>{formatPersonName(p, language)}</td>
                  <td className={tdClass}>{p.email}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <More shown={view.deactivated.length} total={counts.deactivated} />
        </section>
      ) : null}
      {view.newDepartments.length ? (
        <section aria-labelledby="departments-heading" className={cardClass}>
          <h3 id="departments-heading" className="font-semibold">{t("orgImport.newDepartmentsTitle")}</h3>
          <ul className="mt-2 text-sm">
            {view.newDepartments.map((d) => (
              <li key={d.code}>
                <span className="font-mono">{d.code}</span> {d.name}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function ApplyForm({ view }: { view: DryRunView }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === "apply";
  if (!view.importId) return <Alert tone="info">{t("orgImport.nothingToApply")}</Alert>;
  return (
    <Form method="post" className="space-y-3" data-testid="apply-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="apply" />
      <input type="hidden" name="importId" value={view.importId} />
      {view.needsConfirmation ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          <p>{t("orgImport.confirmNeeded")}</p>
          <label className="mt-2 flex items-start gap-2">
            <input type="checkbox" name="confirm" value="yes" required className="mt-1" />
            <span>{t("orgImport.confirmDeactivations", { deactivations: formatNumber(view.deactivations, language), active: formatNumber(view.activeBefore, language) })}</span>
          </label>
        </div>
      ) : null}
      <button type="submit" className={primaryButtonClass} disabled={busy}>
        {t("orgImport.apply")}
      </button>
    </Form>
  );
}

function DryRun({ view }: { view: DryRunView }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <section className="space-y-6" aria-labelledby="dry-run-heading" data-testid="dry-run">
      <div>
        <h2 id="dry-run-heading" className="text-xl font-bold tracking-tight">
          {t("orgImport.resultTitle", { file: view.fileName })}
        </h2>
        {view.encoding ? (
          <p className="text-sm text-slate-600">{t("orgImport.detectedEncoding", { encoding: view.encoding === "utf-8" ? "UTF-8" : "Shift_JIS (CP932)" })}</p>
        ) : null}
      </div>
      {view.errors ? <Alert>{t("orgImport.hasErrors", { count: view.errors })}</Alert> : null}
      {view.counts ? (
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="import-counts">
          {(["created", "changed", "unchanged", "deactivated", "newDepartments"] as const).map((k) => (
            <div key={k} className="rounded-lg border border-slate-200 bg-white p-3">
              <dt className="text-xs text-slate-600">{t(`orgImport.counts.${k}`)}</dt>
              <dd className="text-2xl font-bold tabular-nums" data-testid={`count-${k}`}>
                {formatNumber(view.counts![k], language)}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      <ProblemsTable view={view} />
      {view.counts ? (
        <>
          <PlanLists view={view} />
          <ApplyForm view={view} />
        </>
      ) : null}
    </section>
  );
}

export default function HrImport() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { peopleCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  return (
    <div className="space-y-8">
      <header>
        <p>
          <Link to="/hr" className="text-sm font-medium text-indigo-700 hover:underline">
            ← {t("nav.hr")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("orgImport.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("orgImport.intro")}</p>
      </header>
      <UploadForm error={actionData?.kind === "formError" ? actionData.key : null} />
      {actionData?.kind === "checked" ? <DryRun key={actionData.view.importId ?? actionData.view.fileName} view={actionData.view} /> : null}
      <section className={cardClass} aria-labelledby="export-heading">
        <h2 id="export-heading" className="text-lg font-semibold">
          {t("orgImport.exportTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t("orgImport.exportIntro", { count: peopleCount, formatted: formatNumber(peopleCount, language) })}</p>
        <p className="mt-3">
          <a href="/hr/people.csv" download className="font-semibold text-indigo-700 underline">
            {t("orgImport.exportLink")}
          </a>
        </p>
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "orgImport.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
