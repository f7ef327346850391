import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/session.server";
import { getCurrentRelease } from "~/content/release.server";
import { LANGUAGES } from "~/i18n/languages";
import { pageTitle } from "~/i18n/meta";
import { mailBaseUrl } from "~/mail/links.server";
import { ASSIGNMENT_DUE_SOON_DAYS, CERT_EXPIRING_DAYS, tokyoDay } from "~/mail/reminder-rules";
import { renderMail, TEMPLATE_KINDS, type MailData } from "~/mail/templates";
import { REMINDER_DAILY_LIMIT } from "~/mail/throttle";
import { ErrorPage } from "~/ui/error-page";

/** A made-up person and dates, so HR sees every mail as it will read, in both languages. */
const SAMPLE_PERSON = { familyName: "山田", givenName: "花子", familyNameKana: "やまだ", givenNameKana: "はなこ", familyNameLatin: "Yamada", givenNameLatin: "Hanako" };
const SAMPLE_MANAGER = { familyName: "佐藤", givenName: "健", familyNameKana: "さとう", givenNameKana: "けん", familyNameLatin: "Sato", givenNameLatin: "Ken" };
const DAY_MS = 86_400_000;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:report:company");
  const release = await getCurrentRelease();
  const track = release ? [...release.tracks.values()][0] : undefined;
  const trackTitle = track?.title ?? { ja: "生成AI活用の基礎", en: "Generative AI foundations" };
  const trackId = track?.id ?? "sample";
  const base = mailBaseUrl(new URL(request.url).origin);
  const now = new Date();
  const link = `${base}/tracks/${encodeURIComponent(trackId)}`;
  const samples: MailData[] = TEMPLATE_KINDS.map((kind): MailData => {
    switch (kind) {
      case "invitation":
        return { kind, person: SAMPLE_PERSON, link: `${base}/invite/…`, expiresAt: new Date(now.getTime() + 7 * DAY_MS) };
      case "cert-expiring":
      case "recert-open":
        return { kind, person: SAMPLE_PERSON, trackTitle, link, validUntil: new Date(now.getTime() + CERT_EXPIRING_DAYS * DAY_MS) };
      case "assignment-due-soon":
        return { kind, person: SAMPLE_PERSON, trackTitle, link, dueOn: tokyoDay(new Date(now.getTime() + ASSIGNMENT_DUE_SOON_DAYS * DAY_MS)) };
      case "manager-reminder":
        return { kind, person: SAMPLE_PERSON, manager: SAMPLE_MANAGER, trackTitle, link, dueOn: tokyoDay(new Date(now.getTime() + ASSIGNMENT_DUE_SOON_DAYS * DAY_MS)), overdue: false };
      default:
        return { kind: "assignment-overdue", person: SAMPLE_PERSON, trackTitle, link, dueOn: tokyoDay(new Date(now.getTime() - DAY_MS)) };
    }
  });
  return {
    previews: samples.map((sample) => ({
      kind: sample.kind,
      mails: LANGUAGES.map((lang) => ({ lang, ...renderMail(sample, lang) })).map(({ lang, subject, text }) => ({ lang, subject, text })),
    })),
  };
}

export default function ReminderPreview() {
  const { t } = useTranslation();
  const { previews } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link to="/hr" className="font-medium text-indigo-700 underline">
            {t("reminderPreview.back")}
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{t("reminderPreview.title")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">
          {t("reminderPreview.intro", { days: CERT_EXPIRING_DAYS, dueDays: ASSIGNMENT_DUE_SOON_DAYS, limit: REMINDER_DAILY_LIMIT })}
        </p>
      </div>
      {previews.map((preview) => (
        <section key={preview.kind} aria-labelledby={`kind-${preview.kind}`} className="space-y-3" data-kind={preview.kind}>
          <h2 id={`kind-${preview.kind}`} className="text-lg font-semibold">
            {t(`mail.kinds.${preview.kind}`)}
          </h2>
          <p className="text-slate-700">{t(`reminderPreview.when.${preview.kind}`, { days: CERT_EXPIRING_DAYS, dueDays: ASSIGNMENT_DUE_SOON_DAYS })}</p>
          <div className="grid gap-4 lg:grid-cols-2">
            {preview.mails.map((mail) => (
              <article key={mail.lang} lang={mail.lang} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-lang={mail.lang}>
                <p className="text-xs font-semibold uppercase text-slate-600">{t(`language.${mail.lang}`)}</p>
                <h3 className="mt-1 font-semibold">{mail.subject}</h3>
                <pre className="mt-3 whitespace-pre-wrap break-words font-sans text-sm text-slate-800">{mail.text}</pre>
              </article>
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "reminderPreview.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
