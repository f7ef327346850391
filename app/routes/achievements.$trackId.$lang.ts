import type { LoaderFunctionArgs } from "@remix-run/node";
import { achievementDocument, siteOrigin } from "~/certification/certificate-documents.server";
import { getCurrentRelease } from "~/content/release.server";
import { isLanguage } from "~/i18n/config";

/** A track as an Open Badges Achievement in one language, served at the id credentials give it. Public. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isLanguage(params.lang)) throw new Response("Not found", { status: 404 });
  const achievement = achievementDocument(siteOrigin(request), params.trackId ?? "", params.lang, await getCurrentRelease());
  if (!achievement) throw new Response("Not found", { status: 404 });
  return new Response(JSON.stringify(achievement, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=600" },
  });
}
