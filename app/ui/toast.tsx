import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatPersonName } from "~/i18n/format";
import type { Toast as ToastData, ToastValue } from "./toast.server";
import { useLanguage } from "./use-viewer";

export function Toast({ toast }: { toast: ToastData }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [open, setOpen] = useState(true);
  const resolve = (v: ToastValue) =>
    typeof v === "object" ? formatPersonName(v, language) : typeof v === "string" && v.startsWith("$t:") ? t(v.slice(3)) : v;
  const values = Object.fromEntries(Object.entries(toast.values ?? {}).map(([k, v]) => [k, resolve(v)]));
  if (!open) return null;
  const tone =
    toast.kind === "error"
      ? "border-red-200 bg-red-50 text-red-900"
      : toast.kind === "info"
        ? "border-sky-200 bg-sky-50 text-sky-900"
        : "border-emerald-200 bg-emerald-50 text-emerald-900";
  return (
    <div className="mx-auto mt-4 w-full max-w-6xl px-4">
      <div role="status" className={`flex items-start justify-between gap-4 rounded-lg border px-4 py-3 text-sm ${tone}`}>
        <p>{t(toast.key, values)}</p>
        <button type="button" onClick={() => setOpen(false)} className="text-current underline" aria-label={t("common.dismiss")}>
          ×
        </button>
      </div>
    </div>
  );
}
