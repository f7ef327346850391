/**
 * Rules about reading a lesson, free of the database: how soon after a lesson was shown "read to the
 * end" may count, and when a knowledge check reveals its key.
 */

/** A wrong answer reveals the key and the explanation from this try on; before it, only a hint. */
export const KEY_REVEALED_FROM_ATTEMPT = 2;

/** Share of the lesson's estimated minutes a reader must have had the page open before "read" counts. */
const MINIMUM_SHARE = 0.25;
const FLOOR_SECONDS = 20;
const CEILING_SECONDS = 180;

/**
 * The least time between showing a lesson and counting it as read: a quarter of its estimated reading
 * time, at least 20 s and at most 3 min. Generous to fast readers, impossible for a script that posts
 * "read" right after fetching the page.
 */
export function minimumReadingSeconds(minutes: number, factor = 1): number {
  const seconds = Math.round(Math.max(0, minutes) * 60 * MINIMUM_SHARE);
  const base = Math.min(CEILING_SECONDS, Math.max(FLOOR_SECONDS, seconds));
  // `factor` (MANABI_READING_TIME_FACTOR) shortens it for demos and automated browser tests only.
  return Math.round(base * Math.min(1, Math.max(0, factor)) * 10) / 10;
}

export type ReadingCheck = { ok: true } | { ok: false; readableAt: Date };

/** Whether a lesson shown at `shownAt` may count as read at `now`. */
export function readingCheck(minutes: number, shownAt: Date, now: Date, factor = 1): ReadingCheck {
  const readableAt = new Date(shownAt.getTime() + minimumReadingSeconds(minutes, factor) * 1000);
  return now.getTime() >= readableAt.getTime() ? { ok: true } : { ok: false, readableAt };
}
