import en from "./locales/en.json";
import ja from "./locales/ja.json";

import { LANGUAGES, type Language } from "./languages";

export type { Language };
export const supportedLanguages = LANGUAGES;
export const fallbackLanguage: Language = "ja";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (supportedLanguages as readonly string[]).includes(value);
}

export const resources = { en: { common: en }, ja: { common: ja } } as const;

export const i18nConfig = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: "common",
  ns: ["common"],
  resources,
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};
