import type { LoaderFunctionArgs } from "@remix-run/node";
import { siteOrigin } from "~/certification/certificate-documents.server";
import { publishedJwks } from "~/certification/signing-keys.server";

/** The public keys that verify Open Badges credentials signed by this site (RFC 7517 JWK Set). Public. */
export async function loader({ request }: LoaderFunctionArgs) {
  const jwks = await publishedJwks(siteOrigin(request));
  return new Response(JSON.stringify(jwks, null, 2), {
    headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=600" },
  });
}
