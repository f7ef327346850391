import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { acceptInvitation, lookupInvitation, requestNewInvitation } from "~/auth/invitations.server";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/auth/password-policy";
import { startSession } from "~/auth/session.server";
import { formatPersonName, formatTime } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { Alert, FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { toastSetCookie } from "~/ui/toast.server";
import { useLanguage } from "~/ui/use-viewer";

const intentSchema = z.enum(["setPassword", "resend"]);

const passwordSchema = z
  .object({
    next: z
      .string({ required_error: "auth.password.errors.tooShort" })
      .min(PASSWORD_MIN, "auth.password.errors.tooShort")
      .max(PASSWORD_MAX, "auth.password.errors.tooLong"),
    confirm: z.string({ required_error: "auth.password.errors.confirmRequired" }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "auth.password.errors.mismatch" });

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await lookupInvitation(params.token ?? "");
  if (found.state === "unknown") return data({ state: "unknown" as const, person: null }, { status: 404 });
  // The name only on a live link: it is the person's own page then.
  return { state: found.state, person: found.state === "valid" ? found.person : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Bad request", { status: 400 });
  const hide = ["next", "confirm"];

  if (intent.data === "resend") {
    const outcome = await requestNewInvitation({ token, origin: new URL(request.url).origin });
    if (outcome.kind === "unknown") throw new Response("Not found", { status: 404 });
    return data(
      { result: null, resend: outcome.kind, retryAt: outcome.kind === "throttled" ? outcome.retryAt.toISOString() : null, state: null },
      { status: outcome.kind === "throttled" ? 429 : 200 },
    );
  }

  const submission = parseWithZod(formData, { schema: passwordSchema });
  if (submission.status !== "success") return data({ result: submission.reply({ hideFields: hide }), resend: null, retryAt: null, state: null }, { status: 400 });
  const accepted = await acceptInvitation(token, submission.value.next);
  if (!accepted.ok) {
    if (accepted.state === "unknown") throw new Response("Not found", { status: 404 });
    // Used or expired meanwhile (e.g. the link was opened twice): the page says which.
    return data({ result: submission.reply({ hideFields: hide }), resend: null, retryAt: null, state: accepted.state }, { status: 409 });
  }
  const headers = new Headers();
  for (const cookie of await startSession(request, accepted.userId)) headers.append("Set-Cookie", cookie);
  headers.append("Set-Cookie", await toastSetCookie({ key: "invite.toast.welcome", kind: "success" }));
  return redirect("/", { headers });
}

function ResendForm({ busy }: { busy: boolean }) {
  const { t } = useTranslation();
  return (
    <Form method="post" className="mt-6">
      <CsrfInput />
      <input type="hidden" name="intent" value="resend" />
      <button type="submit" className={primaryButtonClass} disabled={busy}>
        {t("invite.resend.button")}
      </button>
    </Form>
  );
}

export default function Invite() {
  const { t } = useTranslation();
  const language = useLanguage();
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const state = actionData?.state ?? loaded.state;
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordSchema }),
  });

  let body: React.ReactNode;
  if (state === "unknown") {
    body = (
      <>
        <h1 className="text-2xl font-bold tracking-tight">{t("invite.unknown.title")}</h1>
        <p className="mt-2 text-slate-700">{t("invite.unknown.body")}</p>
        <p className="mt-6">
          <Link to="/login" className="font-semibold text-indigo-700 underline">
            {t("invite.signIn")}
          </Link>
        </p>
      </>
    );
  } else if (state === "expired" || state === "used") {
    body = (
      <>
        <h1 className="text-2xl font-bold tracking-tight">{t(`invite.${state}.title`)}</h1>
        <p className="mt-2 text-slate-700">{t(`invite.${state}.body`)}</p>
        {actionData?.resend === "sent" ? (
          <div className="mt-6">
            <Alert tone="info">{t("invite.resend.sent")}</Alert>
          </div>
        ) : actionData?.resend === "throttled" ? (
          <div className="mt-6">
            <Alert>{t("invite.resend.throttled", { time: actionData.retryAt ? formatTime(actionData.retryAt, language) : "" })}</Alert>
          </div>
        ) : (
          <ResendForm busy={busy} />
        )}
        {state === "used" ? (
          <p className="mt-6">
            <Link to="/login" className="font-semibold text-indigo-700 underline">
              {t("invite.signIn")}
            </Link>
          </p>
        ) : null}
      </>
    );
  } else {
    body = (
      <>
        <h1 className="text-2xl font-bold tracking-tight">{t("invite.valid.title")}</h1>
        <p className="mt-2 text-slate-700">
          {t("invite.valid.intro", { name: loaded.person ? formatPersonName(loaded.person, language) : "", min: PASSWORD_MIN })}
        </p>
        <Form method="post" {...getFormProps(form)} className="mt-6 space-y-5">
          <CsrfInput />
          <input type="hidden" name="intent" value="setPassword" />
          {(
            [
              ["next", "auth.password.new"],
              ["confirm", "auth.password.confirm"],
            ] as const
          ).map(([name, label]) => {
            const field = fields[name];
            return (
              <div key={name}>
                <label htmlFor={field.id} className="block text-sm font-medium text-slate-800">
                  {t(label)}
                </label>
                <input {...getInputProps(field, { type: "password" })} autoComplete="new-password" className={inputClass} />
                <FieldErrors id={field.errorId} errors={field.errors} values={{ min: PASSWORD_MIN, max: PASSWORD_MAX }} />
              </div>
            );
          })}
          <button type="submit" className={primaryButtonClass} disabled={busy}>
            {t("invite.valid.submit")}
          </button>
        </Form>
      </>
    );
  }
  return (
    <div className="mx-auto max-w-lg">
      <section className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm" data-testid="invite-page" data-state={state}>
        {body}
      </section>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "invite.pageTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
