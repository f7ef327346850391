import { tokyoDate } from "~/certification/validity";

/**
 * When an assignment earns a reminder (pure; the scheduler applies it):
 * - "due soon": from ASSIGNMENT_DUE_SOON_DAYS days before the due day through the due day itself,
 *   while the person is not certified;
 * - "overdue": from the day after the due day, while the assignment is overdue.
 * Days are Tokyo calendar days (YYYY-MM-DD), as assignments store them. Each is sent once per due day
 * (its dedupe key holds the day), so a person is not reminded daily.
 */

export const ASSIGNMENT_DUE_SOON_DAYS = 7;

/** Days before the end of a certificate's validity when "expires soon" is sent (the scheduler's rule). */
export const CERT_EXPIRING_DAYS = 30;

export type AssignmentForReminder = {
  userId: string;
  trackId: string;
  /** YYYY-MM-DD, Tokyo. */
  dueOn: string;
  status: "certified" | "in-progress" | "not-started" | "overdue";
};

const DAY_MS = 86_400_000;

/** Whole days from a to b (both YYYY-MM-DD). */
function daysFrom(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function tokyoDay(at: Date): string {
  const d = tokyoDate(at);
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

export function reminderDue(assignment: AssignmentForReminder, now: Date): "assignment-due-soon" | "assignment-overdue" | null {
  if (assignment.status === "certified") return null;
  const daysLeft = daysFrom(tokyoDay(now), assignment.dueOn);
  if (daysLeft < 0) return "assignment-overdue";
  if (daysLeft <= ASSIGNMENT_DUE_SOON_DAYS) return "assignment-due-soon";
  return null;
}
