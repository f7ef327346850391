import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { issuerInfo, siteOrigin, verifyUrl } from "~/certification/certificate-documents.server";
import { CertificateSheet } from "~/certification/certificate-sheet";
import { CertificateStatusBadge } from "~/certification/certificate-status";
import { recertificationInvitations } from "~/certification/certificate-views";
import { certificateOfHolder, certificatesOf } from "~/certification/certificates.server";
import { qrSvg } from "~/certification/qr";
import { getCurrentRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";
import { formatDate, personNameOf } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { primaryButtonClass } from "~/ui/form";
import { useLanguage } from "~/ui/use-viewer";

const QR_LABEL = { en: en.certificate.qrLabel, ja: ja.certificate.qrLabel };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  // Anyone but the holder gets the same 404 as for a certificate that does not exist.
  const record = await certificateOfHolder(user.id, params.id ?? "", now);
  if (!record) throw new Response("Not found", { status: 404 });
  const [lang, release, mine] = await Promise.all([requestLanguage(request), getCurrentRelease(), certificatesOf(user.id, now)]);
  const windows = new Map([...(release?.tracks.values() ?? [])].map((t) => [t.id, t.recertificationWindowDays]));
  const recertify = recertificationInvitations(mine, windows, now).some((c) => c.id === record.id);
  const base = siteOrigin(request);
  const url = verifyUrl(base, record.verificationCode);
  return {
    certificate: {
      id: record.id,
      number: record.number,
      trackId: record.trackId,
      trackTitle: record.trackTitle,
      source: record.source,
      status: record.status,
      passedAt: record.passedAt.toISOString(),
      validUntil: record.validUntil.toISOString(),
      revokedAt: record.revokedAt?.toISOString() ?? null,
      revokedReason: record.revokedReason,
      holder: personNameOf(record.holder),
      issuerName: issuerInfo(base, lang, release).name,
      verifyUrl: url,
      qrSvg: qrSvg(url, { label: QR_LABEL[lang] }),
    },
    recertify,
  };
}

const linkButtonClass =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

export default function CertificatePage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { certificate: c, recertify } = useLoaderData<typeof loader>();
  const title = c.trackTitle[language];
  return (
    <div className="certificate-page space-y-6">
      <div className="space-y-4 print:hidden">
        <p>
          <Link to="/certificates" className="text-sm font-medium text-indigo-700 hover:underline">
            ← {t("certificate.back")}
          </Link>
        </p>
        <header className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 className="text-2xl font-bold tracking-tight">{t("certificate.pageTitle", { track: title })}</h1>
            <p className="mt-2 flex flex-wrap items-center gap-3 text-sm text-slate-700">
              <CertificateStatusBadge status={c.status} />
              <span className="font-mono">{c.number}</span>
              {c.source === "external" ? <span>{t("certificate.sourceExternal")}</span> : null}
            </p>
          </div>
          <div className="flex flex-wrap gap-2" role="group" aria-label={t("certificate.actions")}>
            <button type="button" className={primaryButtonClass} onClick={() => window.print()}>
              {t("certificate.print")}
            </button>
            <a href={`/certificates/${c.id}/pdf?lang=${language}`} className={linkButtonClass} download>
              {t("certificate.downloadPdf")}
            </a>
            {c.status !== "revoked" ? (
              <a href={`/certificates/${c.id}/badge?lang=${language}`} className={linkButtonClass} download>
                {t("certificate.downloadBadge")}
              </a>
            ) : null}
          </div>
        </header>
        {c.status === "expired" ? (
          <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950">
            {t("certificate.expiredNote", { date: formatDate(c.validUntil, language) })}{" "}
            <Link to={`/tracks/${c.trackId}`} className="font-semibold underline">
              {t("certificate.recertifyLink")}
            </Link>
          </p>
        ) : null}
        {c.status === "revoked" && c.revokedAt ? (
          <p role="status" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
            {t("certificate.revokedNote", { date: formatDate(c.revokedAt, language) })}
            {c.revokedReason ? ` ${t("certificate.revokedReason", { reason: c.revokedReason })}` : ""}
          </p>
        ) : null}
        {recertify ? (
          <p role="status" className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-950">
            {t("certificate.recertifyNotice", { track: title, date: formatDate(c.validUntil, language) })}{" "}
            <Link to={`/tracks/${c.trackId}`} className="font-semibold underline">
              {t("certificate.recertifyLink")}
            </Link>
          </p>
        ) : null}
        {c.status !== "revoked" ? <p className="max-w-3xl text-sm text-slate-600">{t("certificate.badgeHelp")}</p> : null}
      </div>
      <CertificateSheet
        language={language}
        data={{
          number: c.number,
          holder: c.holder,
          trackTitle: c.trackTitle,
          passedAt: c.passedAt,
          validUntil: c.validUntil,
          status: c.status,
          issuerName: c.issuerName,
          verifyUrl: c.verifyUrl,
          qrSvg: c.qrSvg,
        }}
      />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, "certificate.pageTitleShort");

export function ErrorBoundary() {
  return <ErrorPage />;
}
