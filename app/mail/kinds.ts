/**
 * The kinds of mail Manabi sends, and the dedupe keys that make enqueueing each of them idempotent:
 * the same key is never enqueued twice (mail_outbox.dedupe_key is unique), however often the
 * scheduler runs or however many app processes run it.
 */
export const REMINDER_KINDS = ["cert-expiring", "recert-open", "assignment-due-soon", "assignment-overdue"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** "manager-reminder": a manager's Remind on /team (app/team/); throttled there, once per manager, person, track and day. */
export const MAIL_KINDS = ["invitation", ...REMINDER_KINDS, "manager-reminder"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export function isReminderKind(kind: string): kind is ReminderKind {
  return (REMINDER_KINDS as readonly string[]).includes(kind);
}

/** One mail per invitation (a new invitation is a new link, so a new mail). */
export const invitationDedupeKey = (invitationId: string) => `invitation:${invitationId}`;

/**
 * Certificate reminders: one per certificate and end date. A certificate whose end date changes
 * (recertified, extended) gets its reminders again for the new date.
 */
export const certificateDedupeKey = (kind: "cert-expiring" | "recert-open", certificateId: string, validUntil: Date) =>
  `${kind}:${certificateId}:${validUntil.toISOString()}`;

/** Assignment reminders: one per person, track and due day (a new due day is a new reminder). */
export const assignmentDedupeKey = (kind: "assignment-due-soon" | "assignment-overdue", userId: string, trackId: string, dueOn: string) =>
  `${kind}:${userId}:${trackId}:${dueOn}`;

/** A manager's reminder: one per manager, person, track and Tokyo day (a second Remind that day is refused). */
export const managerReminderDedupeKey = (managerId: string, userId: string, trackId: string, day: string) =>
  `manager-reminder:${managerId}:${userId}:${trackId}:${day}`;
