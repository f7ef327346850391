/** The languages Manabi speaks: one list and one type (`Language`) for the UI, content and database. */
export const LANGUAGES = ["ja", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
