import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import {
  countOtherSessions,
  currentSessionId,
  renewAllSessions,
  requirePermission,
  sessionLifetimes,
  signOutOtherSessions,
} from "~/auth/session.server";
import { changePassword } from "~/auth/sign-in.server";
import { formatTime } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { Alert, FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const PASSWORD_MIN = 10;
const PASSWORD_MAX = 200;

const intentSchema = z.enum(["changePassword", "signOutOthers"]);

const schema = z
  .object({
    current: z.string({ required_error: "auth.password.errors.currentRequired" }).max(1024),
    next: z
      .string({ required_error: "auth.password.errors.tooShort" })
      .min(PASSWORD_MIN, "auth.password.errors.tooShort")
      .max(PASSWORD_MAX, "auth.password.errors.tooLong"),
    confirm: z.string({ required_error: "auth.password.errors.confirmRequired" }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "auth.password.errors.mismatch" });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "update:account:own");
  return {
    otherSessions: await countOtherSessions(user.id, currentSessionId(request)),
    lifetimes: sessionLifetimes(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:account:own");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent") ?? "changePassword");
  if (!intent.success) throw new Response("Bad request", { status: 400 });

  if (intent.data === "signOutOthers") {
    const ended = await signOutOtherSessions(user.id, currentSessionId(request));
    const key = ended === 0 ? "signedOutNone" : ended === 1 ? "signedOutOne" : "signedOutMany";
    return redirectWithToast("/account/password", { key: `auth.sessions.${key}`, values: { count: ended }, kind: "success" });
  }

  const submission = parseWithZod(formData, { schema });
  const hide = ["current", "next", "confirm"];
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: hide }), retryAt: null }, { status: 400 });
  const result = await changePassword(user.id, submission.value.current, submission.value.next, context.clientIp ?? "unknown");
  if (!result.ok) {
    if (result.reason === "rateLimited") {
      return data(
        {
          result: submission.reply({ hideFields: hide, formErrors: ["auth.password.errors.rateLimited"] }),
          retryAt: result.retryAt.toISOString(),
        },
        { status: 429 },
      );
    }
    const fieldErrors: Record<string, string[]> =
      result.reason === "wrongCurrent"
        ? { current: ["auth.password.errors.wrongCurrent"] }
        : { next: ["auth.password.errors.sameAsCurrent"] };
    return data({ result: submission.reply({ hideFields: hide, fieldErrors }), retryAt: null }, { status: 400 });
  }
  // Every session ends (a thief's too); this browser continues in a new one.
  const cookie = await renewAllSessions(user.id);
  return redirectWithToast("/", { key: "auth.password.changed", kind: "success" }, { headers: { "Set-Cookie": cookie } });
}

export default function AccountSecurity() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { otherSessions, lifetimes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const labels: [keyof typeof fields, string, string][] = [
    ["current", "auth.password.current", "current-password"],
    ["next", "auth.password.new", "new-password"],
    ["confirm", "auth.password.confirm", "new-password"],
  ];
  const submittingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const formError = form.errors?.[0];
  return (
    <div className="mx-auto max-w-lg space-y-8">
      <section className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-bold tracking-tight">{t("auth.password.title")}</h1>
        <p className="mt-2 text-slate-700">{t("auth.password.intro", { min: PASSWORD_MIN })}</p>
        {formError ? (
          <div className="mt-6">
            <Alert>{t(formError, { time: actionData?.retryAt ? formatTime(actionData.retryAt, language) : "" })}</Alert>
          </div>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="mt-6 space-y-5">
          <CsrfInput />
          <input type="hidden" name="intent" value="changePassword" />
          {labels.map(([name, label, autoComplete]) => {
            const field = fields[name];
            return (
              <div key={name}>
                <label htmlFor={field.id} className="block text-sm font-medium text-slate-800">
                  {t(label)}
                </label>
                <input {...getInputProps(field, { type: "password" })} autoComplete={autoComplete} className={inputClass} />
                <FieldErrors id={field.errorId} errors={field.errors} values={{ min: PASSWORD_MIN, max: PASSWORD_MAX }} />
              </div>
            );
          })}
          <button type="submit" className={primaryButtonClass} disabled={submittingIntent === "changePassword"}>
            {t("auth.password.submit")}
          </button>
        </Form>
      </section>

      <section className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" className="text-xl font-bold tracking-tight">
          {t("auth.sessions.title")}
        </h2>
        <p className="mt-2 text-slate-700">{t("auth.sessions.intro", lifetimes)}</p>
        <p className="mt-4 text-slate-900" data-testid="other-sessions">
          {otherSessions === 0
            ? t("auth.sessions.none")
            : otherSessions === 1
              ? t("auth.sessions.one")
              : t("auth.sessions.many", { count: otherSessions })}
        </p>
        <Form method="post" className="mt-6">
          <CsrfInput />
          <input type="hidden" name="intent" value="signOutOthers" />
          <button type="submit" className={primaryButtonClass} disabled={submittingIntent === "signOutOthers"}>
            {t("auth.sessions.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "auth.password.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
