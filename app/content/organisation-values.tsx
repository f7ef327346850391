import { useTranslation } from "react-i18next";
import { ORGANISATION_KEYS, type OrganisationValues } from "~/content/organisation";

/** The Authoring page's list of organisation.yaml: each key, what it is for, and its value in both languages. */
export function OrganisationValuesList({ values }: { values: OrganisationValues | null }) {
  const { t } = useTranslation();
  if (!values) return <p className="mt-2 text-sm text-slate-600">{t("authoring.organisation.missing")}</p>;
  return (
    <div className="table-wrap mt-3 overflow-x-auto rounded-lg border border-slate-200">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{t("authoring.organisation.caption")}</caption>
        <thead className="bg-slate-50 text-left text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">{t("authoring.organisation.key")}</th>
            <th scope="col" className="px-3 py-2 font-semibold">{t("language.en")}</th>
            <th scope="col" className="px-3 py-2 font-semibold">{t("language.ja")}</th>
            <th scope="col" className="px-3 py-2 font-semibold">{t("authoring.organisation.link")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {ORGANISATION_KEYS.map((key) => {
            const value = values[key];
            return (
              <tr key={key}>
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  <span className="block">{t(`authoring.organisation.keys.${key}`)}</span>
                  <code className="text-xs text-slate-500">{`<Org value="${key}" />`}</code>
                </th>
                <td className="px-3 py-2">{value.en}</td>
                <td className="px-3 py-2">{value.ja}</td>
                <td className="break-all px-3 py-2">
                  {value.href ? (
                    <a href={value.href} className="text-indigo-700 underline" {...(value.href.startsWith("https://") ? { target: "_blank", rel: "noopener noreferrer" } : {})}>
                      {value.href}
                    </a>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
