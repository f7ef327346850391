import type { i18n as I18n } from "i18next";
import enUrl from "./locales/en.json?url";
import jaUrl from "./locales/ja.json?url";
import { supportedLanguages, type Language } from "./settings";

/**
 * The texts of each language as a separate, hashed JSON file (served pre-compressed with a year's
 * cache): a page loads its own language's texts (the root preloads them, entry.client.tsx waits for
 * them before hydrating) instead of both languages inside every page's script.
 */
export const LOCALE_URLS: Record<Language, string> = { en: enUrl, ja: jaUrl };

/** What a route's `handle` sets when its page shows parts in every language (the author's side-by-side preview). */
export type LanguagesHandle = { languages?: "page" | "all" };

/**
 * The languages whose texts a page needs, its own first: only its own, unless a matched route's
 * handle asks for all of them (`handle = { languages: "all" }`).
 */
export function languagesOfPage(language: Language, handles: readonly unknown[]): Language[] {
  const all = handles.some((h) => !!h && typeof h === "object" && (h as LanguagesHandle).languages === "all");
  return all ? [language, ...supportedLanguages.filter((l) => l !== language)] : [language];
}

/** Fetches one language's texts. */
export async function loadLocale(lang: Language): Promise<Record<string, unknown>> {
  const response = await fetch(LOCALE_URLS[lang]);
  if (!response.ok) throw new Error(`Could not load the ${lang} texts (${response.status})`);
  return (await response.json()) as Record<string, unknown>;
}

/** Loads under way, per i18next instance and language: asking twice at once fetches once. */
const loading = new WeakMap<I18n, Map<Language, Promise<void>>>();

/** Adds the texts of `languages` that `i18n` does not hold yet (a failed load is tried again next time). */
export async function ensureLanguages(i18n: I18n, languages: readonly Language[]): Promise<void> {
  let mine = loading.get(i18n);
  if (!mine) loading.set(i18n, (mine = new Map()));
  const under = mine;
  await Promise.all(
    languages
      .filter((l) => !i18n.hasResourceBundle(l, "common"))
      .map((l) => {
        let load = under.get(l);
        if (!load) {
          load = loadLocale(l)
            .then((texts) => {
              if (!i18n.hasResourceBundle(l, "common")) i18n.addResourceBundle(l, "common", texts);
            })
            .finally(() => under.delete(l));
          under.set(l, load);
        }
        return load;
      }),
  );
}

/** Switches i18next to `lang`, loading its texts first: the page never shows keys or a half-switched language. */
export async function switchLanguage(i18n: I18n, lang: Language): Promise<void> {
  await ensureLanguages(i18n, [lang]);
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
}
