import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { currentSessionId, destroyOtherSessions, requirePermission } from "~/auth/session.server";
import { changePassword } from "~/auth/sign-in.server";
import { pageTitle } from "~/i18n/meta";
import { CsrfInput } from "~/ui/csrf-input";
import { ErrorPage } from "~/ui/error-page";
import { FieldErrors, inputClass, primaryButtonClass } from "~/ui/form";
import { redirectWithToast } from "~/ui/toast.server";

const PASSWORD_MIN = 10;
const PASSWORD_MAX = 200;

const schema = z
  .object({
    current: z.string({ required_error: "auth.password.errors.currentRequired" }),
    next: z
      .string({ required_error: "auth.password.errors.tooShort" })
      .min(PASSWORD_MIN, "auth.password.errors.tooShort")
      .max(PASSWORD_MAX, "auth.password.errors.tooLong"),
    confirm: z.string({ required_error: "auth.password.errors.mismatch" }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "auth.password.errors.mismatch" });

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "update:account:own");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "update:account:own");
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema });
  const hide = ["current", "next", "confirm"];
  if (submission.status !== "success") return data(submission.reply({ hideFields: hide }), { status: 400 });
  const result = await changePassword(user.id, submission.value.current, submission.value.next);
  if (!result.ok) {
    const fieldErrors: Record<string, string[]> =
      result.reason === "wrongCurrent"
        ? { current: ["auth.password.errors.wrongCurrent"] }
        : { next: ["auth.password.errors.sameAsCurrent"] };
    return data(submission.reply({ hideFields: hide, fieldErrors }), { status: 400 });
  }
  await destroyOtherSessions(user.id, currentSessionId(request));
  return redirectWithToast("/", { key: "auth.password.changed", kind: "success" });
}

export default function ChangePassword() {
  const { t } = useTranslation();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const labels: [keyof typeof fields, string, string][] = [
    ["current", "auth.password.current", "current-password"],
    ["next", "auth.password.new", "new-password"],
    ["confirm", "auth.password.confirm", "new-password"],
  ];
  return (
    <section className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-bold tracking-tight">{t("auth.password.title")}</h1>
      <p className="mt-2 text-slate-700">{t("auth.password.intro", { min: PASSWORD_MIN })}</p>
      <Form method="post" {...getFormProps(form)} className="mt-6 space-y-5">
        <CsrfInput />
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
        <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
          {t("auth.password.submit")}
        </button>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "auth.password.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
