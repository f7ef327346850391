import Negotiator from "negotiator";
import { LANGUAGES, type Language } from "./languages";
import { isLanguage } from "./settings";

/**
 * The language Manabi speaks that a browser's Accept-Language prefers most, or null for none: ranges by
 * q-value, ties in the order given, `q=0` refuses, a range matches by its primary subtag in any case
 * ("en-GB" and "EN" are English), `*` stands for the languages not named (negotiator, as Express uses).
 * Unlike remix-i18next's detection, which looked at the browser's first language only, "fr-FR,en;q=0.5"
 * gives English: French is not offered, English is.
 */
export function languageFromAcceptLanguage(header: string | null | undefined): Language | null {
  if (!header) return null;
  const language = new Negotiator({ headers: { "accept-language": header } }).language([...LANGUAGES]);
  return isLanguage(language) ? language : null;
}
