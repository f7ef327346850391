import { useTranslation } from "react-i18next";

export function FieldErrors({
  id,
  errors,
  values,
}: {
  id: string;
  errors?: string[];
  values?: Record<string, string | number>;
}) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} className="mt-1 text-sm text-red-700">
      {errors.map((e) => (
        <p key={e}>{t(e, values)}</p>
      ))}
    </div>
  );
}

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600/30 aria-[invalid=true]:border-red-600";

export const primaryButtonClass =
  "inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60";

export function Alert({ children, tone = "error", id }: { children: React.ReactNode; tone?: "error" | "info"; id?: string }) {
  const cls = tone === "error" ? "border-red-200 bg-red-50 text-red-900" : "border-sky-200 bg-sky-50 text-sky-900";
  return (
    <div id={id} role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-4 py-3 text-sm ${cls}`}>
      {children}
    </div>
  );
}
