import type { Language } from "./config";

/** Dates and times are shown in the company's time zone, so server and browser agree. */
export const DISPLAY_TIME_ZONE = "Asia/Tokyo";

const intlLocale = (language: Language) => (language === "ja" ? "ja-JP" : "en-GB");

export type PersonName = {
  familyName: string;
  givenName: string;
  /** Reading in kana, used to write a Latin-script name in Japanese (エミリー・クラーク). */
  familyNameKana?: string | null;
  givenNameKana?: string | null;
  /** The name in Latin letters, used in English where it exists. */
  familyNameLatin?: string | null;
  givenNameLatin?: string | null;
};

/** Only the name fields of a person record (for pages that must reveal nothing else). */
export function personNameOf(person: PersonName): Required<PersonName> {
  return {
    familyName: person.familyName,
    givenName: person.givenName,
    familyNameKana: person.familyNameKana ?? null,
    givenNameKana: person.givenNameKana ?? null,
    familyNameLatin: person.familyNameLatin ?? null,
    givenNameLatin: person.givenNameLatin ?? null,
  };
}

/** Kanji, kana and the iteration marks: a name written in Japanese script. */
const JAPANESE_SCRIPT = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u3005\u3006]/;
const join = (...parts: (string | null | undefined)[]) => parts.filter((p): p is string => Boolean(p && p.trim())).join(" ");
const toKatakana = (kana: string) => kana.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

/**
 * A person's name in the reader's language. The order follows the script the name is written in:
 * - a name in kanji or kana is always family name first (山田 花子), in English too, unless the person
 *   has a romanised name, which English shows given name first (Hanako Yamada);
 * - a Latin-script name is given name first (Emily Clark); Japanese shows it from its kana reading as
 *   Japanese writes foreign names (エミリー・クラーク), or as written when there is no reading.
 */
export function formatPersonName(person: PersonName, language: Language): string {
  const japaneseScript = JAPANESE_SCRIPT.test(`${person.familyName}${person.givenName}`);
  if (language === "en") {
    if (person.familyNameLatin || person.givenNameLatin) return join(person.givenNameLatin, person.familyNameLatin);
    return japaneseScript ? join(person.familyName, person.givenName) : join(person.givenName, person.familyName);
  }
  if (japaneseScript) return join(person.familyName, person.givenName);
  if (person.familyNameKana && person.givenNameKana) return `${toKatakana(person.givenNameKana)}・${toKatakana(person.familyNameKana)}`;
  return join(person.givenName, person.familyName);
}

/**
 * Intl formatters are costly to make (a page of the team view formats ~150 dates) and stateless once made,
 * so each kind is made once per language and options and reused. Bounded: the options come from our code.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    if (formatters.size >= 200) formatters.clear();
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}
const dateFormat = (language: Language, options: Intl.DateTimeFormatOptions) =>
  cached(`d|${language}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(intlLocale(language), { ...options, timeZone: DISPLAY_TIME_ZONE }));

export function formatDate(date: Date | string, language: Language, style: "long" | "medium" | "short" = "long"): string {
  return dateFormat(language, { dateStyle: style }).format(new Date(date));
}

/**
 * Times are shown in Japan time. An English page names the zone ("14:30 JST"): its readers include staff
 * abroad and visitors whose own clock differs; a Japanese page shows the time as Japanese pages do, bare.
 */
const zoneSuffix = (language: Language) => (language === "en" ? " JST" : "");

export function formatDateTime(date: Date | string, language: Language): string {
  return dateFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(date)) + zoneSuffix(language);
}

export function formatTime(date: Date | string, language: Language): string {
  return dateFormat(language, { timeStyle: "short" }).format(new Date(date)) + zoneSuffix(language);
}

export function formatNumber(value: number, language: Language, options?: Intl.NumberFormatOptions): string {
  return cached(`n|${language}|${options ? JSON.stringify(options) : ""}`, () => new Intl.NumberFormat(intlLocale(language), options)).format(value);
}
