import en from "./locales/en.json";
import ja from "./locales/ja.json";
import { fallbackLanguage, i18nOptions, isLanguage, supportedLanguages, type Language } from "./settings";

// The server (and tests) hold both languages' texts; browsers load one (settings.ts, client-locale.ts).
export { fallbackLanguage, isLanguage, supportedLanguages, type Language };

export const resources = { en: { common: en }, ja: { common: ja } } as const;

export const i18nConfig = { ...i18nOptions, resources };
