/**
 * The wording printed on certificates and written into Open Badges credentials, from the locale files
 * (`certificateDocument.*`), for modules that render outside React (PDF, VC-JWT).
 */
import type { Language } from "~/i18n/config";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";

export type CertificateTextKey = keyof typeof en.certificateDocument;

const texts: Record<Language, Record<CertificateTextKey, string>> = {
  en: en.certificateDocument,
  ja: ja.certificateDocument,
};

/** `certificateDocument.<key>` in `lang`, with `{{placeholders}}` filled in. */
export function certificateText(lang: Language, key: CertificateTextKey, values: Record<string, string> = {}): string {
  return texts[lang][key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`certificateDocument.${key} needs {{${name}}}`);
    return value;
  });
}
