import { useTranslation } from "react-i18next";

/** Progress as a native <progress> element (no inline styles, so the strict CSP holds). */
export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  return (
    <progress
      className="progress h-2 w-full overflow-hidden rounded-full"
      value={value}
      max={Math.max(max, 1)}
      aria-label={label}
    >
      {Math.round((value / Math.max(max, 1)) * 100)}%
    </progress>
  );
}

export function StatusBadge({ status }: { status: "not-started" | "in-progress" | "complete" }) {
  const { t } = useTranslation();
  const cls =
    status === "complete"
      ? "bg-emerald-100 text-emerald-800"
      : status === "in-progress"
        ? "bg-amber-100 text-amber-900"
        : "bg-slate-100 text-slate-700";
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${cls}`}>{t(`learning.status.${status}`)}</span>;
}
