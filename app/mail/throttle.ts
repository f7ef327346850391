/**
 * When a mail may go. Pure rules, tested directly:
 * - reminders (every kind in REMINDER_KINDS) are limited per person: at most REMINDER_DAILY_LIMIT in
 *   any 24 hours; one over the limit waits (it is not dropped) until the oldest of them is 24 hours old;
 * - invitations are not counted against that limit: they are throttled where they are created (one per
 *   person per INVITATION_RESEND_MINUTES, whoever asks), so a reminder never delays someone's first sign-in;
 * - a failed send is retried with exponential backoff, at most MAX_ATTEMPTS times.
 */

export const REMINDER_DAILY_LIMIT = 3;
export const REMINDER_WINDOW_MS = 24 * 60 * 60 * 1000;
export const INVITATION_RESEND_MINUTES = 10;
export const MAX_ATTEMPTS = 10;

/**
 * When the next reminder to a person may be sent, given when their earlier reminders were sent:
 * `now` when under the limit, else the moment the oldest one counted leaves the 24-hour window.
 */
export function reminderAllowedAt(sentAt: readonly Date[], now: Date): Date {
  const windowStart = now.getTime() - REMINDER_WINDOW_MS;
  const inWindow = sentAt
    .map((d) => d.getTime())
    .filter((t) => t > windowStart && t <= now.getTime())
    .sort((a, b) => a - b);
  if (inWindow.length < REMINDER_DAILY_LIMIT) return now;
  // With k in the window, k - limit + 1 of them must leave before one more fits.
  return new Date(inWindow[inWindow.length - REMINDER_DAILY_LIMIT]! + REMINDER_WINDOW_MS);
}

/** When a person may be sent a new invitation, given when their last one was created; null = now. */
export function invitationResendAllowedAt(lastCreatedAt: Date | null, now: Date): Date | null {
  if (!lastCreatedAt) return null;
  const allowed = new Date(lastCreatedAt.getTime() + INVITATION_RESEND_MINUTES * 60_000);
  return allowed > now ? allowed : null;
}

/** Seconds to wait before try number `attempts + 1`, after `attempts` failed tries (30 s, 1 min, 2 min, … up to 1 h). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}
