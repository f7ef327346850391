import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { certificatePdf, siteOrigin } from "~/certification/certificate-documents.server";
import { attachmentDisposition, certificateFileName } from "~/certification/certificate-views";
import { certificateOfHolder } from "~/certification/certificates.server";
import { getCurrentRelease } from "~/content/release.server";
import { isLanguage } from "~/i18n/config";
import { requestLanguage } from "~/i18n/i18next.server";

/** The certificate as a one-page A4 PDF, for its holder only, in the viewer's language or `?lang=ja|en`. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const record = await certificateOfHolder(user.id, params.id ?? "");
  if (!record) throw new Response("Not found", { status: 404 });
  const asked = new URL(request.url).searchParams.get("lang");
  const lang = isLanguage(asked) ? asked : await requestLanguage(request);
  const pdf = await certificatePdf(record, lang, siteOrigin(request), await getCurrentRelease());
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.byteLength),
      "Content-Disposition": attachmentDisposition(certificateFileName(record.number, record.trackTitle[lang], "pdf")),
      "Cache-Control": "private, no-store",
    },
  });
}
