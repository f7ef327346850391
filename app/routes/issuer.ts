import type { LoaderFunctionArgs } from "@remix-run/node";
import { issuerProfileDocument, siteOrigin } from "~/certification/certificate-documents.server";
import { getCurrentRelease } from "~/content/release.server";
import { requestLanguage } from "~/i18n/i18next.server";

/** The Open Badges issuer Profile that every credential's `issuer.id` points to. Public. */
export async function loader({ request }: LoaderFunctionArgs) {
  const profile = issuerProfileDocument(siteOrigin(request), await requestLanguage(request), await getCurrentRelease());
  return new Response(JSON.stringify(profile, null, 2), {
    headers: { "Content-Type": "application/ld+json; charset=utf-8", "Cache-Control": "public, max-age=3600", Vary: "Accept-Language, Cookie" },
  });
}
