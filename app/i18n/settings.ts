import { LANGUAGES, type Language } from "./languages";

/**
 * The i18next settings without the texts: browsers import this module, and load the texts of the page's
 * one language on their own (client-locale.ts) instead of both languages' files in every page's script.
 */
export type { Language };
export const supportedLanguages = LANGUAGES;
export const fallbackLanguage: Language = "ja";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (supportedLanguages as readonly string[]).includes(value);
}

export const i18nOptions = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: "common",
  ns: ["common"],
  interpolation: { escapeValue: false },
  // A language's texts added after start (client-locale.ts) re-render the components using them.
  react: { useSuspense: false, bindI18nStore: "added" },
};
