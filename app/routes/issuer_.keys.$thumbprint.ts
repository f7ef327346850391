import type { LoaderFunctionArgs } from "@remix-run/node";
import { siteOrigin } from "~/certification/certificate-documents.server";
import { publishedKeyByThumbprint } from "~/certification/signing-keys.server";

/** One public signing key, at the URL a VC-JWT names as its `kid`. Public. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const key = await publishedKeyByThumbprint(siteOrigin(request), params.thumbprint ?? "");
  if (!key) throw new Response("Not found", { status: 404 });
  return new Response(JSON.stringify(key, null, 2), {
    headers: { "Content-Type": "application/jwk+json", "Cache-Control": "public, max-age=3600" },
  });
}
