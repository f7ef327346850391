import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { demoAccounts } from "~/auth/demo.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { requireAnonymous, startSession } from "~/auth/session.server";
import { signIn } from "~/auth/sign-in.server";
import { endSessionUrl, passwordSignInAllowed, passwordsOn, ssoDisplayName } from "~/auth/sso.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { formatTime } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { Alert, FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { useLanguage } from "~/ui/use-viewer";

const signInSchema = z.object({
  email: z
    .string({ required_error: "auth.signIn.errors.emailRequired" })
    .trim()
    // No address is longer (RFC 5321); refusing before the password check keeps the failure countable.
    .max(254, "auth.signIn.errors.emailInvalid")
    .email("auth.signIn.errors.emailInvalid"),
  password: z.string({ required_error: "auth.signIn.errors.passwordRequired" }).max(1024),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const language = await requestLanguage(request);
  const idpSignedOut = new URL(request.url).searchParams.get("idp") === "1";
  return {
    demo: demoAccounts(),
    sso: ssoDisplayName(language),
    passwords: passwordsOn(),
    // After signing out of Manabi, the provider's own sign-out (RP-initiated logout), where it publishes one.
    idpSignOutUrl: idpSignedOut ? await endSessionUrl(request) : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: signInSchema });
  if (submission.status !== "success") {
    // Never echo an over-long field back into the page.
    const email = formData.get("email");
    const hideFields = ["password", "redirectTo", ...(typeof email === "string" && email.length > 254 ? ["email"] : [])];
    return data({ result: submission.reply({ hideFields }), retryAt: null }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  if (!passwordSignInAllowed(email)) {
    // AUTH_PASSWORD=off: only the break-glass admins may use a password; no password is even checked.
    return data(
      {
        result: submission.reply({
          hideFields: ["password"],
          formErrors: ["sso.passwordNotAllowed"],
        }),
        retryAt: null,
      },
      { status: 403 }
    );
  }
  const outcome = await signIn(email, password, context.clientIp ?? "unknown");
  if (!outcome.ok) {
    const rateLimited = outcome.reason === "rateLimited";
    return data(
      {
        result: submission.reply({
          hideFields: ["password"],
          formErrors: [rateLimited ? "auth.signIn.errors.rateLimited" : "auth.signIn.errors.invalidCredentials"],
        }),
        retryAt: rateLimited ? outcome.retryAt.toISOString() : null,
      },
      { status: rateLimited ? 429 : 401 }
    );
  }
  // A new session id (any earlier one ends) and with it a new CSRF token.
  const headers = new Headers();
  for (const cookie of await startSession(request, outcome.userId)) headers.append("Set-Cookie", cookie);
  return redirect(safeRedirect(redirectTo), { headers });
}

export default function SignIn() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { demo, sso, passwords, idpSignOutUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signInSchema }),
  });
  const submitting = navigation.state !== "idle" && navigation.formAction?.startsWith("/login");
  const formError = form.errors?.[0];
  // A wrong password is an error of the password field: it is marked and named by the message above the form.
  const wrongPassword = formError === "auth.signIn.errors.invalidCredentials" ? { "aria-invalid": true, "aria-describedby": form.errorId } : {};
  const passwordForm = (
    <Form method="post" {...getFormProps(form)} className="mt-6 space-y-5">
      <CsrfInput />
      <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
      <div>
        <label htmlFor={fields.email.id} className="block text-sm font-medium text-slate-800">
          {t("auth.signIn.email")}
        </label>
        <input {...getInputProps(fields.email, { type: "email" })} autoComplete="username" autoFocus className={inputClass} />
        <FieldErrors id={fields.email.errorId} errors={fields.email.errors} />
      </div>
      <div>
        <label htmlFor={fields.password.id} className="block text-sm font-medium text-slate-800">
          {t("auth.signIn.password")}
        </label>
        <input {...getInputProps(fields.password, { type: "password" })} {...wrongPassword} autoComplete="current-password" className={inputClass} />
        <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
      </div>
      <button type="submit" className={`${primaryButtonClass} w-full`} disabled={submitting}>
        {submitting ? t("auth.signIn.submitting") : t("auth.signIn.submit")}
      </button>
    </Form>
  );
  return (
    <div className="mx-auto grid max-w-4xl gap-8 md:grid-cols-[1fr_18rem]">
      <section className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-bold tracking-tight">{t("auth.signIn.heading")}</h1>
        <p className="mt-2 text-slate-700">{t("auth.signIn.intro")}</p>
        <div className="mt-6 space-y-4">
          {searchParams.get("expired") ? <Alert tone="info">{t("auth.signIn.expired")}</Alert> : null}
          {searchParams.get("signedOut") ? <Alert tone="info">{t("auth.signIn.signedOut")}</Alert> : null}
          {formError ? (
            <Alert id={form.errorId}>
              {t(formError, {
                time: actionData?.retryAt ? formatTime(actionData.retryAt, language) : "",
                name: sso ?? "",
              })}
            </Alert>
          ) : null}
          {idpSignOutUrl && sso ? (
            <Alert tone="info">
              {t("sso.idpSignOut", { name: sso })}{" "}
              <a href={idpSignOutUrl} className="font-semibold text-indigo-700 underline" data-testid="idp-sign-out">
                {t("sso.idpSignOutLink", { name: sso })}
              </a>
            </Alert>
          ) : null}
        </div>
        {sso ? (
          <div className="mt-6">
            {passwords ? null : <p className="mb-4 text-slate-700">{t("sso.passwordOff")}</p>}
            <a
              href={`/auth/sso?${new URLSearchParams({
                redirectTo: searchParams.get("redirectTo") ?? "/",
              })}`}
              className={`${primaryButtonClass} block w-full text-center`}
              data-testid="sso-sign-in"
            >
              {t("sso.button", { name: sso })}
            </a>
            {passwords ? <p className="mt-6 text-center text-sm text-slate-600">{t("sso.or")}</p> : null}
          </div>
        ) : null}
        {passwords || !sso ? (
          passwordForm
        ) : (
          <details className="mt-8 text-sm" open={Boolean(formError)}>
            <summary className="cursor-pointer text-slate-700">{t("sso.breakGlassSummary")}</summary>
            <p className="mt-2 text-slate-600">{t("sso.breakGlassIntro")}</p>
            {passwordForm}
          </details>
        )}
      </section>
      {demo ? (
        <aside className="rounded-xl border border-dashed border-indigo-300 bg-indigo-50/60 p-6 text-sm" aria-labelledby="demo-heading">
          <h2 id="demo-heading" className="font-semibold text-indigo-900">
            {t("auth.signIn.demoHeading")}
          </h2>
          <p className="mt-2 text-indigo-900">{t("auth.signIn.demoIntro", { password: demo.password })}</p>
          <ul className="mt-3 space-y-2">
            {demo.accounts.map((a) => (
              <li key={a.email}>
                <span className="block text-xs font-medium text-indigo-800">{t(`roles.${a.role}`)}</span>
                <code className="text-indigo-950">{a.email}</code>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "auth.signIn.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
