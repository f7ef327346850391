/**
 * A manager's Remind on /team: a mail to one person of their reporting line, in the person's
 * language, about their most urgent open assignment (overdue first, then the earliest due day).
 *
 * - only people in the manager's reporting line ("outside" otherwise — the route answers 403), only
 *   active people;
 * - at most once per manager, person, track and Tokyo day: the outbox's dedupe key holds the day, so
 *   a second Remind (even two at once) enqueues nothing and says so;
 * - the mail and the audit entry (`team.remind`) are written in one transaction.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { auditLog, mailOutbox, users } from "#db/schema";
import { tokyoDay } from "~/assignments/assignment-status";
import { assignmentRows } from "~/assignments/assignments.server";
import { getCurrentRelease } from "~/content/release.server";
import { personNameOf, type PersonName } from "~/i18n/format";
import { LANGUAGES, type Language } from "~/i18n/languages";
import { managerReminderDedupeKey } from "~/mail/kinds";
import { mailBaseUrl } from "~/mail/links.server";
import { enqueueMail } from "~/mail/outbox.server";
import { renderMail } from "~/mail/templates";
import { inReportingLineOfAmong } from "~/org/reports.server";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { reminderTarget } from "./team-view";

type Localized = { en: string; ja: string };

export type RemindResult =
  | { kind: "outside" }
  | { kind: "inactive"; person: PersonNameFields }
  | { kind: "nothing-open"; person: PersonNameFields }
  | { kind: "sent" | "throttled"; person: PersonNameFields; trackId: string; trackTitle: Localized };

export async function remindPerson(input: {
  manager: PersonName & { id: string };
  personId: string;
  now?: Date;
  requestOrigin?: string;
}): Promise<RemindResult> {
  const now = input.now ?? new Date();
  const { manager, personId } = input;
  if (personId === manager.id) return { kind: "outside" };
  // In the line (active or not), read with JIT off: see team.server.ts.
  const [person] = await getDb().transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return tx
      .select({ id: users.id, email: users.email, active: users.active, preferredLanguage: users.preferredLanguage, ...personNameColumns })
      .from(users)
      .where(and(eq(users.id, personId), inReportingLineOfAmong(manager.id, [personId])));
  });
  if (!person) return { kind: "outside" };
  const name = personNameOf(person);
  if (!person.active) return { kind: "inactive", person: name };
  const release = await getCurrentRelease();
  const rows = (await assignmentRows(release, { kind: "person", userId: personId }, now)).filter((r) => release?.tracks.has(r.trackId));
  const target = reminderTarget(rows);
  const track = target ? release?.tracks.get(target.trackId) : undefined;
  if (!target || !track) return { kind: "nothing-open", person: name };

  const language: Language = person.preferredLanguage && LANGUAGES.includes(person.preferredLanguage) ? person.preferredLanguage : "ja";
  const rendered = renderMail(
    {
      kind: "manager-reminder",
      person: name,
      manager: personNameOf(manager),
      trackTitle: track.title,
      dueOn: target.dueOn,
      overdue: target.status === "overdue",
      link: `${mailBaseUrl(input.requestOrigin)}/tracks/${encodeURIComponent(track.id)}`,
    },
    language,
  );
  const sent = await getDb().transaction(async (tx) => {
    const mailId = await enqueueMail(tx, {
      userId: person.id,
      to: person.email,
      kind: "manager-reminder",
      language,
      dedupeKey: managerReminderDedupeKey(manager.id, person.id, track.id, tokyoDay(now)),
      ...rendered,
    });
    if (mailId === null) return false;
    await tx.insert(auditLog).values({
      actorId: manager.id,
      action: "team.remind",
      targetType: "user",
      targetId: person.id,
      details: { trackId: track.id, dueOn: target.dueOn, status: target.status, mailId, language },
    });
    return true;
  });
  return { kind: sent ? "sent" : "throttled", person: name, trackId: track.id, trackTitle: track.title };
}

/** Of these people (with the track a Remind would be about), those the manager has already reminded today. */
export async function remindedToday(managerId: string, targets: readonly { personId: string; trackId: string }[], now = new Date()): Promise<Set<string>> {
  if (targets.length === 0) return new Set();
  const day = tokyoDay(now);
  const byKey = new Map(targets.map((t) => [managerReminderDedupeKey(managerId, t.personId, t.trackId, day), t.personId]));
  const rows = await getDb()
    .select({ key: mailOutbox.dedupeKey })
    .from(mailOutbox)
    .where(inArray(mailOutbox.dedupeKey, [...byKey.keys()]));
  return new Set(rows.map((r) => byKey.get(r.key)!));
}
