import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useViewer } from "~/ui/use-viewer";

/** The Authoring page's way into item analysis, for those allowed to read it. */
export function ItemAnalysisLink() {
  const { t } = useTranslation();
  const viewer = useViewer();
  if (!viewer?.permissions.includes("read:item-analysis")) return null;
  return (
    <section aria-labelledby="item-analysis-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="item-analysis-heading" className="text-lg font-semibold">
        {t("itemAnalysis.link.title")}
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">{t("itemAnalysis.link.intro")}</p>
      <p className="mt-3">
        <Link to="/authoring/items" className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
          {t("itemAnalysis.link.open")}
        </Link>
      </p>
    </section>
  );
}
