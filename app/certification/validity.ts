/**
 * Certificate validity as a property of dates: nothing has to run for a certificate to expire.
 *
 * Dates are counted on the calendar of Asia/Tokyo (the company's time zone, `DISPLAY_TIME_ZONE`):
 * - a certificate passed on Tokyo day D with a validity of N months is valid *through the end of the
 *   Tokyo day* D + N months; when that month is shorter, the last day of the month (31 Jan + 1 month →
 *   28 Feb, or 29 Feb in a leap year);
 * - `validUntil` is stored as the last millisecond of that day (23:59:59.999 JST), so it is inclusive
 *   (`valid` while now ≤ validUntil) and `formatDate(validUntil)` shows the right day;
 * - the recertification window is the last W Tokyo days of validity, the last day included (W = 90 and
 *   validity through 31 March → the window opens at 00:00 JST on 1 January);
 * - recertifying while the certificate is still valid extends it from its old end day (no days are
 *   lost by recertifying early in the window); after it expired or was revoked, it runs from the new
 *   pass day.
 *
 * Japan has kept UTC+9 without daylight saving time since 1951, so the offset is a constant here
 * (tests check it against Intl's Asia/Tokyo).
 */

export const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A day on the Tokyo calendar; month 1–12. */
export type CalendarDate = { year: number; month: number; day: number };

export type CertificateStatus = "valid" | "expired" | "revoked";

export type CertificateDates = { validUntil: Date; revokedAt: Date | null };

export function tokyoDate(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + TOKYO_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** 00:00:00.000 JST of a Tokyo day. */
export function startOfTokyoDay(date: CalendarDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day) - TOKYO_OFFSET_MS);
}

/** 23:59:59.999 JST of a Tokyo day. */
export function endOfTokyoDay(date: CalendarDate): Date {
  return new Date(startOfTokyoDay(date).getTime() + DAY_MS - 1);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds whole months, clamping the day to the end of a shorter month (31 Jan + 1 → 28/29 Feb). */
export function addMonthsClamped(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index - year * 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function checkMonths(validityMonths: number) {
  if (!Number.isInteger(validityMonths) || validityMonths <= 0) {
    throw new RangeError(`validityMonths must be a positive whole number, got ${validityMonths}`);
  }
}

/** The end of validity of a certificate passed at `passedAt`. */
export function validUntilFor(passedAt: Date, validityMonths: number): Date {
  checkMonths(validityMonths);
  return endOfTokyoDay(addMonthsClamped(tokyoDate(passedAt), validityMonths));
}

/** The status at a moment. Revocation wins from the moment it was recorded. */
export function certificateStatus(certificate: CertificateDates, at: Date): CertificateStatus {
  if (certificate.revokedAt && certificate.revokedAt.getTime() <= at.getTime()) return "revoked";
  return at.getTime() <= certificate.validUntil.getTime() ? "valid" : "expired";
}

/** When the recertification window opens: 00:00 JST on the first of the last `windowDays` days of validity. */
export function recertificationOpensAt(validUntil: Date, windowDays: number): Date {
  if (!Number.isInteger(windowDays) || windowDays < 0) {
    throw new RangeError(`windowDays must be a whole number ≥ 0, got ${windowDays}`);
  }
  if (windowDays === 0) return new Date(validUntil.getTime() + 1);
  return startOfTokyoDay(addDays(tokyoDate(validUntil), -(windowDays - 1)));
}

/** Whether the holder is invited to recertify at `at`: the certificate is valid and its window has opened. */
export function isInRecertificationWindow(certificate: CertificateDates, windowDays: number, at: Date): boolean {
  return (
    certificateStatus(certificate, at) === "valid" &&
    at.getTime() >= recertificationOpensAt(certificate.validUntil, windowDays).getTime()
  );
}

export type Award =
  | { kind: "new"; validUntil: Date }
  | { kind: "extended"; validUntil: Date; previousValidUntil: Date };

/**
 * The validity of a pass. With a previous certificate of the same track still valid at `passedAt`, the
 * new validity runs N months from the old end day; otherwise (none, expired, revoked) from the pass day.
 */
export function awardValidity(passedAt: Date, validityMonths: number, previous: CertificateDates | null): Award {
  checkMonths(validityMonths);
  if (previous && certificateStatus(previous, passedAt) === "valid") {
    return {
      kind: "extended",
      validUntil: endOfTokyoDay(addMonthsClamped(tokyoDate(previous.validUntil), validityMonths)),
      previousValidUntil: previous.validUntil,
    };
  }
  return { kind: "new", validUntil: validUntilFor(passedAt, validityMonths) };
}
