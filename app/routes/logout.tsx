import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "~/auth/csrf.server";
import { destroySession } from "~/auth/session.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  return redirect("/login?signedOut=1", { headers: { "Set-Cookie": await destroySession(request) } });
}

// A page route (not a resource route) so that a refused post still shows a proper error page.
export default function Logout() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
