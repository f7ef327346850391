import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "~/auth/csrf.server";
import { destroySession, getOptionalUser } from "~/auth/session.server";
import { hasLinkedIdentity, ssoEnabled } from "~/auth/sso.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  const user = await getOptionalUser(request);
  // Someone who signed in through the company's provider is offered its sign-out too (RP-initiated logout).
  const viaIdp = Boolean(user && ssoEnabled() && (await hasLinkedIdentity(user.id)));
  return redirect(`/login?signedOut=1${viaIdp ? "&idp=1" : ""}`, { headers: { "Set-Cookie": await destroySession(request) } });
}

// A page route (not a resource route) so that a refused post still shows a proper error page.
export default function Logout() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
