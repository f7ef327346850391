import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/session.server";
import { pageTitle } from "~/i18n/meta";
import { ComingSoon } from "~/ui/coming-soon";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "read:report:company");
  return null;
}

export default function Page() {
  const { t } = useTranslation();
  return (
    <div className="space-y-6">
      <ComingSoon titleKey="nav.hr" />
      <p className="text-center">
        <Link to="/hr/certificates" className="font-semibold text-indigo-700 underline">
          {t("hrCertificates.link")}
        </Link>
      </p>
      <p className="text-center">
        <Link to="/hr/import" className="font-semibold text-indigo-700 underline">
          {t("orgImport.link")}
        </Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, "nav.hr");

export function ErrorBoundary() {
  return <ErrorPage />;
}
