/**
 * Rules of assignments, pure (no database, no framework): when a person's assignment is due and
 * where they stand on it. `assignments.server.ts` computes the same in SQL for whole organisations;
 * an integration test checks the two agree.
 *
 * Dates are Tokyo calendar days written `YYYY-MM-DD` (a due date is a day, not an instant: due on
 * 2027-03-31 means "by the end of 31 March in Tokyo").
 */

export type AssignmentStatus = "certified" | "in-progress" | "not-started" | "overdue";

/** Statuses from the most to the least urgent (for legends and ties). */
export const STATUS_ORDER: readonly AssignmentStatus[] = ["overdue", "not-started", "in-progress", "certified"];

export type DueRule = { dueOn: string | null; newHireDays: number | null; createdOn: string };

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The Tokyo calendar day of an instant, `YYYY-MM-DD`. */
export function tokyoDay(instant: Date): string {
  return new Date(instant.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** Adds days to a `YYYY-MM-DD` day. */
export function addDaysTo(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The day a person must be certified by under one assignment:
 * - people who joined after the assignment was made, when it says "within N days of joining": the day
 *   they joined + N;
 * - otherwise the fixed due day when there is one;
 * - otherwise (only "within N days") the day the assignment was made + N, for people already there.
 */
export function dueDateFor(rule: DueRule, joinedOn: string, joinedAfterAssignment: boolean): string {
  if (rule.newHireDays !== null && joinedAfterAssignment) return addDaysTo(joinedOn, rule.newHireDays);
  if (rule.dueOn !== null) return rule.dueOn;
  return addDaysTo(rule.createdOn, rule.newHireDays ?? 0);
}

/** Several assignments of the same track to one person: the earliest due day counts. */
export function earliest(days: readonly string[]): string | null {
  return days.length === 0 ? null : days.reduce((a, b) => (b < a ? b : a));
}

export type StandingInput = {
  dueOn: string;
  /** The end of the person's valid certificate for the track, if they hold one now. */
  certifiedUntil: Date | null;
  /** Any lesson of the track's courses opened, or an exam attempt of the track started. */
  started: boolean;
};

/** Certified wins; otherwise overdue once the due day is over; otherwise started or not. */
export function assignmentStatus(input: StandingInput, today: string): AssignmentStatus {
  if (input.certifiedUntil) return "certified";
  if (input.dueOn < today) return "overdue";
  return input.started ? "in-progress" : "not-started";
}

export type Urgent = { status: AssignmentStatus; dueOn: string };

const RANK: Record<AssignmentStatus, number> = { overdue: 0, "not-started": 1, "in-progress": 1, certified: 2 };

/**
 * Most urgent first: overdue, then what is still to do by due day (earliest first; on the same day
 * not started before in progress), certified last.
 */
export function byUrgency<T extends Urgent>(a: T, b: T): number {
  const rank = RANK[a.status] - RANK[b.status];
  if (rank !== 0) return rank;
  if (a.dueOn !== b.dueOn) return a.dueOn < b.dueOn ? -1 : 1;
  return STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status);
}
