import { createHmac, timingSafeEqual } from "node:crypto";
import { signingSecret } from "~/auth/secrets.server";

/**
 * A reading token: proof, signed by the server, that a lesson page was shown to this person at a given
 * time. The lesson page carries it and sends it back with "read to the end", so the server can tell how
 * long the page was open without writing anything when the page is only fetched (GET stays read-only).
 * Format: `<shownAt ms, base 36>.<HMAC-SHA256 of purpose, person, lesson and time, base64url>`.
 */
const PURPOSE = "lesson-read:v1";
const TOKEN_PATTERN = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;

function mac(userId: string, lessonId: string, shownAt: number): string {
  return createHmac("sha256", signingSecret())
    .update(`${PURPOSE}\n${userId}\n${lessonId}\n${shownAt}`)
    .digest("base64url");
}

export function createReadingToken(subject: { userId: string; lessonId: string }, shownAt = new Date()): string {
  const ms = shownAt.getTime();
  return `${ms.toString(36)}.${mac(subject.userId, subject.lessonId, ms)}`;
}

/** When the page was shown, or null for a missing, malformed or forged token, or one of another person or lesson. */
export function verifyReadingToken(token: string, subject: { userId: string; lessonId: string }): Date | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const ms = parseInt(match[1]!, 36);
  if (!Number.isSafeInteger(ms)) return null;
  const expected = Buffer.from(mac(subject.userId, subject.lessonId, ms));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return new Date(ms);
}
