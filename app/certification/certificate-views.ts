/**
 * What the certificate pages show, decided without the database or the framework: which certificate
 * invites its holder to recertify, what the public verification page may reveal, and how downloads
 * are named.
 */
import { personNameOf, type PersonName } from "~/i18n/format";
import { certificateStatus, isInRecertificationWindow, startOfTokyoDay, tokyoDate, type CalendarDate, type CertificateStatus } from "./validity";

type Dated = { trackId: string; validUntil: Date; revokedAt: Date | null };

/**
 * The certificates whose holder is invited to recertify now: per track, the certificate valid longest
 * (not revoked), when it is inside its track's recertification window. A certificate already extended
 * by an early recertification is not the one valid longest, so it invites nobody. Tracks no longer
 * published (absent from `windowDays`) invite nobody: there is no exam to take.
 */
export function recertificationInvitations<T extends Dated>(certificates: readonly T[], windowDays: ReadonlyMap<string, number>, now: Date): T[] {
  const longest = new Map<string, T>();
  for (const c of certificates) {
    if (c.revokedAt && c.revokedAt.getTime() <= now.getTime()) continue;
    const best = longest.get(c.trackId);
    if (!best || c.validUntil.getTime() > best.validUntil.getTime()) longest.set(c.trackId, c);
  }
  return [...longest.values()]
    .filter((c) => {
      const days = windowDays.get(c.trackId);
      return days !== undefined && isInRecertificationWindow(c, days, now);
    })
    .sort((a, b) => a.validUntil.getTime() - b.validUntil.getTime());
}

/** Everything the public verification page may show: the name, the track, the status and the dates. */
export type VerificationView = {
  holder: PersonName;
  trackTitle: { en: string; ja: string };
  status: CertificateStatus;
  passedAt: string;
  validUntil: string;
  revokedAt: string | null;
};

type VerifiableRecord = {
  holder: PersonName;
  trackTitle: { en: string; ja: string };
  passedAt: Date;
  validUntil: Date;
  revokedAt: Date | null;
};

/**
 * Picks the allowed fields from a certificate (never its email, number, ids, reason or evidence). The
 * revocation date is shown only once the certificate is revoked; the reason is HR's, not the public's.
 */
export function verificationView(record: VerifiableRecord, now: Date): VerificationView {
  const status = certificateStatus(record, now);
  return {
    holder: personNameOf(record.holder),
    trackTitle: { en: record.trackTitle.en, ja: record.trackTitle.ja },
    status,
    passedAt: record.passedAt.toISOString(),
    validUntil: record.validUntil.toISOString(),
    revokedAt: status === "revoked" && record.revokedAt ? record.revokedAt.toISOString() : null,
  };
}

const RFC5987_EXTRA = /['()*]/g;

/** Percent-encodes for RFC 5987 `ext-value` (UTF-8''…): encodeURIComponent plus ' ( ) *. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(RFC5987_EXTRA, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An ASCII stand-in for a file name: letters, digits, dot, dash and underscore; others become "_". */
export function asciiFileName(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[_.]+|_+(?=\.[A-Za-z0-9]+$)|_+$/g, "");
  return ascii || "download";
}

/**
 * `Content-Disposition: attachment` with a plain ASCII `filename` for old clients and the exact name as
 * RFC 5987 UTF-8 `filename*` (RFC 6266), which every current browser prefers.
 */
export function attachmentDisposition(fileName: string): string {
  const fallback = asciiFileName(fileName);
  if (fallback === fileName) return `attachment; filename="${fallback}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}

/** `MNB-2026-000123_AI安全利用 基礎.pdf`: the number first, so the files of one person sort by it. */
export function certificateFileName(number: string, trackTitle: string, extension: "pdf" | "jwt" | "json"): string {
  const title = trackTitle.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return `${number}_${title}.${extension}`;
}

export type PassDateProblem = "invalid" | "future" | "tooOld";

/**
 * A pass date typed by HR (`YYYY-MM-DD`, a day on the Tokyo calendar) as the instant 00:00 JST of that
 * day, or why it cannot be one: not a real day, later than today in Tokyo, or before 2000.
 */
export function parsePassDate(input: string, now: Date): { ok: true; passedAt: Date } | { ok: false; problem: PassDateProblem } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim());
  if (!match) return { ok: false, problem: "invalid" };
  const day: CalendarDate = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const passedAt = startOfTokyoDay(day);
  const back = tokyoDate(passedAt);
  if (back.year !== day.year || back.month !== day.month || back.day !== day.day) return { ok: false, problem: "invalid" };
  if (day.year < 2000) return { ok: false, problem: "tooOld" };
  const today = tokyoDate(now);
  if (passedAt.getTime() > startOfTokyoDay(today).getTime()) return { ok: false, problem: "future" };
  return { ok: true, passedAt };
}
