import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { certificates, mailOutbox, users } from "#db/schema";
import { recertificationOpensAt } from "~/certification/validity";
import { getCurrentRelease } from "~/content/release.server";
import { LANGUAGES, type Language } from "~/i18n/languages";
import { personNameColumns } from "~/org/person-name-columns.server";
import { assignmentDedupeKey, certificateDedupeKey } from "./kinds";
import { mailBaseUrl } from "./links.server";
import { enqueueMail } from "./outbox.server";
import { renderMail, type MailData } from "./templates";
import { CERT_EXPIRING_DAYS, reminderDue, type AssignmentForReminder } from "./reminder-rules";

/**
 * The reminder scheduler: a step of the mail worker that enqueues the reminders that are due now.
 * Each reminder has a dedupe key (kinds.ts), so running it again, or in several processes at once,
 * enqueues nothing twice; rows whose key already exists are skipped before rendering. Only active
 * people are considered (and the sender checks again when it sends).
 */

type Person = {
  id: string;
  email: string;
  preferredLanguage: Language | null;
  familyName: string;
  givenName: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  familyNameLatin: string | null;
  givenNameLatin: string | null;
};

type Candidate = { key: string; person: Person; data: MailData };

const CHUNK = 500;

async function activePeople(ids: string[]): Promise<Map<string, Person>> {
  const out = new Map<string, Person>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await getDb()
      .select({ id: users.id, email: users.email, preferredLanguage: users.preferredLanguage, ...personNameColumns })
      .from(users)
      .where(and(inArray(users.id, unique.slice(i, i + CHUNK)), eq(users.active, true)));
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

async function enqueueNew(candidates: Candidate[]): Promise<number> {
  let enqueued = 0;
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const existing = new Set(
      (
        await getDb()
          .select({ key: mailOutbox.dedupeKey })
          .from(mailOutbox)
          .where(
            inArray(
              mailOutbox.dedupeKey,
              chunk.map((c) => c.key),
            ),
          )
      ).map((r) => r.key),
    );
    for (const c of chunk) {
      if (existing.has(c.key)) continue;
      const language: Language = c.person.preferredLanguage && LANGUAGES.includes(c.person.preferredLanguage) ? c.person.preferredLanguage : "ja";
      const rendered = renderMail(c.data, language);
      const id = await enqueueMail(getDb(), {
        userId: c.person.id,
        to: c.person.email,
        kind: c.data.kind,
        language,
        dedupeKey: c.key,
        ...rendered,
      });
      if (id !== null) enqueued++;
    }
  }
  return enqueued;
}

async function certificateCandidates(now: Date): Promise<Candidate[]> {
  const release = await getCurrentRelease();
  // Each person's newest valid certificate per track (a recertification's new one replaces the old).
  const rows = await getDb()
    .selectDistinctOn([certificates.userId, certificates.trackId], {
      id: certificates.id,
      userId: certificates.userId,
      trackId: certificates.trackId,
      validUntil: certificates.validUntil,
      trackTitle: certificates.trackTitle,
    })
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.userId))
    .where(and(isNull(certificates.revokedAt), gt(certificates.validUntil, now), eq(users.active, true)))
    .orderBy(certificates.userId, certificates.trackId, desc(certificates.validUntil));
  const due: { row: (typeof rows)[number]; kind: "cert-expiring" | "recert-open" }[] = [];
  for (const row of rows) {
    const validUntil = new Date(row.validUntil);
    if (now >= recertificationOpensAt(validUntil, CERT_EXPIRING_DAYS)) due.push({ row, kind: "cert-expiring" });
    const windowDays = release?.tracks.get(row.trackId)?.recertificationWindowDays ?? 0;
    if (windowDays > 0 && now >= recertificationOpensAt(validUntil, windowDays)) due.push({ row, kind: "recert-open" });
  }
  const people = await activePeople(due.map((d) => d.row.userId));
  const base = mailBaseUrl();
  return due.flatMap(({ row, kind }) => {
    const person = people.get(row.userId);
    if (!person) return [];
    const validUntil = new Date(row.validUntil);
    return [
      {
        key: certificateDedupeKey(kind, row.id, validUntil),
        person,
        data: { kind, person, trackTitle: row.trackTitle, validUntil, link: `${base}/tracks/${encodeURIComponent(row.trackId)}` },
      },
    ];
  });
}

async function assignmentCandidates(now: Date, source: () => Promise<AssignmentForReminder[]>): Promise<Candidate[]> {
  const release = await getCurrentRelease();
  if (!release) return [];
  const due = (await source()).flatMap((a) => {
    const kind = reminderDue(a, now);
    return kind ? [{ a, kind }] : [];
  });
  const people = await activePeople(due.map((d) => d.a.userId));
  const base = mailBaseUrl();
  return due.flatMap(({ a, kind }) => {
    const person = people.get(a.userId);
    const track = release.tracks.get(a.trackId);
    if (!person || !track) return [];
    return [
      {
        key: assignmentDedupeKey(kind, a.userId, a.trackId, a.dueOn),
        person,
        data: { kind, person, trackTitle: track.title, dueOn: a.dueOn, link: `${base}/tracks/${encodeURIComponent(a.trackId)}` },
      },
    ];
  });
}

export type ScheduleResult = { certificates: number; assignments: number };

/**
 * Enqueues every reminder due at `now`. `assignments` lists assignments with their status (the
 * assignments module's assignmentsForReminders); without it, only certificate reminders are made.
 */
export async function scheduleReminders(options: { now?: Date; assignments?: () => Promise<AssignmentForReminder[]> } = {}): Promise<ScheduleResult> {
  const now = options.now ?? new Date();
  const certificateCount = await enqueueNew(await certificateCandidates(now));
  const assignmentCount = options.assignments ? await enqueueNew(await assignmentCandidates(now, options.assignments)) : 0;
  return { certificates: certificateCount, assignments: assignmentCount };
}
