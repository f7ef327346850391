import type { Language } from "./config";

/** Dates and times are shown in the company's time zone, so server and browser agree. */
export const DISPLAY_TIME_ZONE = "Asia/Tokyo";

const intlLocale = (language: Language) => (language === "ja" ? "ja-JP" : "en-GB");

export type PersonName = { familyName: string; givenName: string };

/** 山田 太郎 in Japanese (family name first); Taro Yamada in English. */
export function formatPersonName(person: PersonName, language: Language): string {
  const parts = language === "ja" ? [person.familyName, person.givenName] : [person.givenName, person.familyName];
  return parts.filter(Boolean).join(" ");
}

export function formatDate(date: Date | string, language: Language, style: "long" | "medium" | "short" = "long"): string {
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: style, timeZone: DISPLAY_TIME_ZONE }).format(
    new Date(date),
  );
}

export function formatDateTime(date: Date | string, language: Language): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: DISPLAY_TIME_ZONE,
  }).format(new Date(date));
}

export function formatTime(date: Date | string, language: Language): string {
  return new Intl.DateTimeFormat(intlLocale(language), { timeStyle: "short", timeZone: DISPLAY_TIME_ZONE }).format(
    new Date(date),
  );
}

export function formatNumber(value: number, language: Language, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale(language), options).format(value);
}
