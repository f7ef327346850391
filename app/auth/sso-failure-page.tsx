import { useTranslation } from "react-i18next";
import type { SsoFailure } from "./sso-rules";

/**
 * The page a failed single sign-on shows: what happened in the reader's language, whom to contact when
 * Manabi does not know the person, and a retry link (a new sign-in, back to where the person was going).
 */
export function SsoFailurePage(props: {
  reason: SsoFailure;
  providerName: string;
  contact: string | null;
  shown: string | null;
  retryTo: string;
}) {
  const { t } = useTranslation();
  const contact = props.contact ?? t("sso.defaultContact");
  const retryHref = `/auth/sso?${new URLSearchParams({
    redirectTo: props.retryTo,
  })}`;
  return (
    <section
      className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-8 shadow-sm"
      data-testid="sso-failure"
      data-reason={props.reason}
    >
      <h1 className="text-2xl font-bold tracking-tight text-slate-900">{t(`sso.failure.${props.reason}.title`)}</h1>
      <p className="mt-3 text-slate-700">
        {t(`sso.failure.${props.reason}.body`, {
          name: props.providerName,
          contact,
        })}
      </p>
      {props.shown ? <p className="mt-3 text-sm text-slate-600">{t("sso.signedInAs", { value: props.shown })}</p> : null}
      <div className="mt-6 flex flex-wrap gap-3">
        <a
          href={retryHref}
          className="inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700"
        >
          {t("sso.retry")}
        </a>
        <a
          href="/login"
          className="inline-block rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
        >
          {t("sso.backToSignIn")}
        </a>
      </div>
    </section>
  );
}
