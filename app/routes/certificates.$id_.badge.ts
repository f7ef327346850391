import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { certificateBadgeJwt, certificateCredential, siteOrigin } from "~/certification/certificate-documents.server";
import { attachmentDisposition, certificateFileName } from "~/certification/certificate-views";
import { certificateOfHolder } from "~/certification/certificates.server";
import { getCurrentRelease } from "~/content/release.server";
import { isLanguage } from "~/i18n/config";
import { requestLanguage } from "~/i18n/i18next.server";

/**
 * The certificate as an Open Badges 3.0 OpenBadgeCredential, for its holder only: signed as a VC-JWT
 * (`application/vc+jwt`, a `.jwt` download), or with `?format=json` the unsigned credential to read.
 * A revoked certificate has no badge (409): a badge is a claim that it holds.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const record = await certificateOfHolder(user.id, params.id ?? "");
  if (!record) throw new Response("Not found", { status: 404 });
  if (record.status === "revoked") throw new Response("Revoked certificates have no badge", { status: 409 });
  const search = new URL(request.url).searchParams;
  const asked = search.get("lang");
  const lang = isLanguage(asked) ? asked : await requestLanguage(request);
  const base = siteOrigin(request);
  const release = await getCurrentRelease();
  const headers = { "Cache-Control": "private, no-store" };
  if (search.get("format") === "json") {
    const credential = await certificateCredential(record, lang, base, release);
    return new Response(JSON.stringify(credential, null, 2), {
      headers: {
        ...headers,
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": attachmentDisposition(certificateFileName(record.number, record.trackTitle[lang], "json")),
      },
    });
  }
  const jwt = await certificateBadgeJwt(record, lang, base, release);
  return new Response(jwt, {
    headers: {
      ...headers,
      "Content-Type": "application/vc+jwt",
      "Content-Disposition": attachmentDisposition(certificateFileName(record.number, record.trackTitle[lang], "jwt")),
    },
  });
}
