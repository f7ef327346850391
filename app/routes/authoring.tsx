import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { pageTitle } from "~/i18n/meta";
import { ComingSoon } from "~/ui/coming-soon";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "preview:content");
  return null;
}

export default function Page() {
  return <ComingSoon titleKey="nav.authoring" />;
}

export const meta: MetaFunction = (args) => pageTitle(args, "nav.authoring");

export function ErrorBoundary() {
  return <ErrorPage />;
}
