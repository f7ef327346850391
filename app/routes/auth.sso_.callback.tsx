import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { startSession } from "~/auth/session.server";
import { SsoFailurePage } from "~/auth/sso-failure-page";
import { failureStatus } from "~/auth/sso-rules";
import { finishSsoSignIn, ssoContact, ssoDisplayName, ssoEnabled } from "~/auth/sso.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";

/**
 * Where the provider sends the browser back: the sign-in's state is consumed (once), the code is
 * exchanged and the ID token checked, the person is found, and a Manabi session starts.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!ssoEnabled()) throw new Response("Not Found", { status: 404 });
  const outcome = await finishSsoSignIn(request);
  if (outcome.ok) {
    const headers = new Headers({ "Cache-Control": "no-store" });
    for (const cookie of await startSession(request, outcome.userId)) headers.append("Set-Cookie", cookie);
    throw redirect(outcome.returnTo, { headers });
  }
  const language = await requestLanguage(request);
  return data(
    {
      reason: outcome.reason,
      providerName: ssoDisplayName(language)!,
      contact: ssoContact(language),
      shown: outcome.shown ?? null,
      retryTo: outcome.returnTo ?? "/",
    },
    {
      status: failureStatus(outcome.reason),
      headers: { "Cache-Control": "no-store" },
    }
  );
}

export default function SsoCallback() {
  const failure = useLoaderData<typeof loader>();
  return <SsoFailurePage {...failure} />;
}

export const meta: MetaFunction = (args) => pageTitle(args, "sso.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
