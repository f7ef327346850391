import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseVerificationCode } from "~/certification/certificate-number";

/**
 * A credential's `id` (`/credentials/<verification code>`) leads to the certificate's public
 * verification page, which tells its live status. Malformed codes are refused without a look-up.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const parsed = parseVerificationCode(params.code ?? "");
  if (!parsed.ok) throw new Response("Not found", { status: 404 });
  return redirect(`/verify/${parsed.code}`, 303);
}
