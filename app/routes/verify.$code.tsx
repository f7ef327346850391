import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { issuerInfo, siteOrigin } from "~/certification/certificate-documents.server";
import { CertificateStatusIcon } from "~/certification/certificate-status";
import { verificationView } from "~/certification/certificate-views";
import { certificateByCode } from "~/certification/certificates.server";
import { getCurrentRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { formatDate, formatDateTime, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

const NO_INDEX = { "X-Robots-Tag": "noindex", "Cache-Control": "no-store" };

/**
 * The public verification page the QR code leads to: no sign-in, and only the holder's name, the
 * track, the status and the dates. A malformed code is refused before any database look-up
 * (certificateByCode); malformed and unknown codes get the same plain 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date();
  const record = await certificateByCode(params.code ?? "", now);
  if (!record) throw new Response("Not found", { status: 404, headers: NO_INDEX });
  const lang = await requestLanguage(request);
  return data(
    {
      verification: verificationView(record, now),
      issuerName: issuerInfo(siteOrigin(request), lang, await getCurrentRelease()).name,
      checkedAt: now.toISOString(),
    },
    { headers: NO_INDEX },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

const TONE = {
  valid: "border-emerald-300 bg-emerald-50 text-emerald-950",
  expired: "border-amber-300 bg-amber-50 text-amber-950",
  revoked: "border-red-300 bg-red-50 text-red-950",
} as const;

const ICON_TONE = { valid: "bg-emerald-600", expired: "bg-amber-600", revoked: "bg-red-700" } as const;

export default function VerifyCertificate() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { verification: v, issuerName, checkedAt } = useLoaderData<typeof loader>();
  const rows: Array<[string, string, string | null]> = [
    [t("verify.holder"), formatPersonName(v.holder, language), null],
    [t("verify.track"), v.trackTitle[language], null],
    [t("verify.passedOn"), formatDate(v.passedAt, language), v.passedAt],
    [t("verify.validUntil"), formatDate(v.validUntil, language), v.validUntil],
    ...(v.revokedAt ? [[t("verify.revokedOn"), formatDate(v.revokedAt, language), v.revokedAt] as [string, string, string]] : []),
  ];
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("verify.title")}</h1>
        <p className="auto-phrase mt-2 text-slate-700">{t("verify.intro", { issuer: issuerName })}</p>
      </header>
      <section className={`flex items-start gap-4 rounded-xl border p-6 ${TONE[v.status]}`} data-testid="verify-status" data-status={v.status}>
        <span className={`flex h-12 w-12 shrink-0 items-center justify-center rounded-full text-white ${ICON_TONE[v.status]}`}>
          <CertificateStatusIcon status={v.status} className="h-7 w-7" />
        </span>
        <div>
          <h2 className="text-xl font-bold">{t(`certificate.status.${v.status}`)}</h2>
          <p className="mt-1">{t(`verify.statusBody.${v.status}`)}</p>
        </div>
      </section>
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby="verify-details">
        <h2 id="verify-details" className="sr-only">
          {t("verify.details")}
        </h2>
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[auto_1fr]">
          {rows.map(([label, value, iso]) => (
            <div key={label} className="contents">
              <dt className="text-sm font-medium text-slate-600">{label}</dt>
              <dd className="text-slate-900">{iso ? <time dateTime={iso}>{value}</time> : value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <p className="text-sm text-slate-600">{t("verify.checkedAt", { date: formatDateTime(checkedAt, language) })}</p>
    </div>
  );
}

export const meta: MetaFunction = (args) => [...pageTitle(args, "verify.title"), { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <ErrorPage />;
}
