import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { CertificateStatusBadge } from "~/certification/certificate-status";
import { recertificationInvitations } from "~/certification/certificate-views";
import { certificatesOf } from "~/certification/certificates.server";
import { getCurrentRelease } from "~/content/release.server";
import { formatDate } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";
import { useLanguage } from "~/ui/use-viewer";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  const [records, release] = await Promise.all([certificatesOf(user.id, now), getCurrentRelease()]);
  const windows = new Map([...(release?.tracks.values() ?? [])].map((t) => [t.id, t.recertificationWindowDays]));
  const invited = new Set(recertificationInvitations(records, windows, now).map((c) => c.id));
  return {
    certificates: records.map((c) => ({
      id: c.id,
      number: c.number,
      trackId: c.trackId,
      trackTitle: c.trackTitle,
      status: c.status,
      validUntil: c.validUntil.toISOString(),
      recertify: invited.has(c.id),
    })),
  };
}

export default function MyCertificates() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { certificates } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">{t("certificate.listTitle")}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{t("certificate.listIntro")}</p>
      </header>
      {certificates.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-6 text-slate-700 shadow-sm">{t("certificate.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="certificates">
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">{t("certificate.columns.track")}</th>
                <th scope="col" className="px-4 py-2">{t("certificate.columns.number")}</th>
                <th scope="col" className="px-4 py-2">{t("certificate.columns.status")}</th>
                <th scope="col" className="px-4 py-2">{t("certificate.columns.validUntil")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {certificates.map((c) => (
                <tr key={c.id}>
                  <td className="px-4 py-3">
                    <Link to={`/certificates/${c.id}`} className="font-medium text-indigo-700 underline-offset-2 hover:underline">
                      {c.trackTitle[language]}
                    </Link>
                    {c.recertify ? (
                      <p className="mt-1 text-xs text-amber-900">
                        {t("certificate.recertifyShort")}{" "}
                        <Link to={`/tracks/${c.trackId}`} className="font-semibold underline">
                          {t("certificate.recertifyLink")}
                        </Link>
                      </p>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 font-mono text-slate-700">{c.number}</td>
                  <td className="px-4 py-3">
                    <CertificateStatusBadge status={c.status} />
                  </td>
                  <td className="whitespace-nowrap px-4 py-3 text-slate-700">
                    <time dateTime={c.validUntil}>{formatDate(c.validUntil, language)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "certificate.listTitle");

export function ErrorBoundary() {
  return <ErrorPage />;
}
