import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export function ComingSoon({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <section className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-bold tracking-tight">{t(titleKey)}</h1>
      <p className="mt-1 text-sm font-medium text-indigo-700">{t("comingSoon.title")}</p>
      <p className="mt-3 text-slate-700">{t("comingSoon.body")}</p>
      <Link to="/" className="mt-6 inline-block text-sm font-semibold text-indigo-700 underline">
        {t("comingSoon.back")}
      </Link>
    </section>
  );
}
