import { useTranslation } from "react-i18next";
import type { Problem } from "~/content/types";

/** The content check's problems, as the command prints them, for authors in the browser. */
export function ProblemList({ problems }: { problems: Problem[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return <p className="text-sm text-emerald-800">✓ {t("authoring.noProblems")}</p>;
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm" data-testid="problems">
      {problems.map((p, i) => (
        <li key={i} className="px-4 py-3">
          <p>
            <span className={`mr-2 rounded px-1.5 py-0.5 text-xs font-semibold ${p.severity === "error" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}>
              {t(`authoring.severity.${p.severity}`)}
            </span>
            <code className="text-slate-700">
              {p.file}:{p.line}:{p.column}
            </code>
          </p>
          <p className="mt-1 text-slate-900" lang="en">
            {p.message}
          </p>
          <p className="mt-0.5 text-slate-600" lang="en">
            {p.hint}
          </p>
        </li>
      ))}
    </ul>
  );
}
