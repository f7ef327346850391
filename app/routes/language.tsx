import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { readForm } from "~/auth/csrf.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { getOptionalUser } from "~/auth/session.server";
import { supportedLanguages } from "~/i18n/settings";
import { languageCookie } from "~/i18n/i18next.server";
import { setPreferredLanguage } from "~/org/people.server";
import { ErrorPage } from "~/ui/error-page";

const schema = z.object({ language: z.enum(supportedLanguages), redirectTo: z.string().optional() });

export async function loader() {
  return redirect("/");
}

/** Remembers the chosen language: in a cookie for everyone, and as the preference of a signed-in person. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const user = await getOptionalUser(request);
  if (user) await setPreferredLanguage(user.id, parsed.data.language);
  return redirect(safeRedirect(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await languageCookie().serialize(parsed.data.language) },
  });
}

// A page route (not a resource route) so that a refused post still shows a proper error page.
export default function Language() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
