import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { MyToolsPage } from "~/access/my-tools";
import { myToolsView } from "~/access/views.server";
import { requirePermission } from "~/auth/session.server";
import { requestLanguage } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/meta";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:tools:own");
  const lang = await requestLanguage(request);
  const view = await myToolsView(user.id, lang);
  if (!view) throw new Response("Not found", { status: 404 });
  return view;
}

export default function MyTools() {
  return <MyToolsPage view={useLoaderData<typeof loader>()} />;
}

export const meta: MetaFunction = (args) => pageTitle(args, "tools.title");

export function ErrorBoundary() {
  return <ErrorPage />;
}
