import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { safeRedirect } from "~/auth/safe-redirect";
import { getOptionalUser } from "~/auth/session.server";
import { SsoFailurePage } from "~/auth/sso-failure-page";
import { failureStatus } from "~/auth/sso-rules";
import { ssoContact, ssoDisplayName, ssoEnabled, startSsoSignIn } from "~/auth/sso.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";

/** Starts a single sign-on: a GET (a link on the sign-in page and on every failure page) sends the browser to the provider. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!ssoEnabled()) throw new Response("Not Found", { status: 404 });
  const returnTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getOptionalUser(request)) throw redirect(returnTo);
  const started = await startSsoSignIn(request, returnTo);
  if (started.ok)
    throw redirect(started.url, {
      headers: { "Set-Cookie": started.setCookie, "Cache-Control": "no-store" },
    });
  const language = await requestLanguage(request);
  return data(
    {
      reason: started.reason,
      providerName: ssoDisplayName(language)!,
      contact: ssoContact(language),
      retryTo: returnTo,
    },
    {
      status: failureStatus(started.reason),
      headers: { "Cache-Control": "no-store" },
    }
  );
}

export default function SsoStart() {
  const failure = useLoaderData<typeof loader>();
  return <SsoFailurePage {...failure} shown={null} />;
}

export const meta: MetaFunction = (args) => pageTitle(args, "sso.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
