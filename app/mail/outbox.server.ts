import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "#db/client.server";
import { mailOutbox, users, type MailStatus } from "#db/schema";
import type { Language } from "~/i18n/languages";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { isReminderKind, REMINDER_KINDS, type MailKind } from "./kinds";
import { MAX_ATTEMPTS, reminderAllowedAt, REMINDER_WINDOW_MS, retryDelaySeconds } from "./throttle";
import { configuredTransport, mailDomain, type MailTransport } from "./transport.server";

/**
 * The mail outbox. A feature enqueues a rendered mail in its own transaction (`enqueueMail`); the mail
 * worker (`deliverMail`, every few seconds in every app process) sends what is due:
 *
 * 1. claim: a short transaction leases up to a batch of due rows (`FOR UPDATE SKIP LOCKED`, so two
 *    processes never hold the same row) for LEASE_SECONDS;
 * 2. for each: the person is looked up again — inactive people get nothing (the row is marked
 *    `skipped`) — and a reminder over the person's daily limit is put back until it fits (throttle.ts);
 * 3. send, outside any transaction, with the row's fixed Message-ID;
 * 4. mark `sent` (or schedule a retry with backoff; after MAX_ATTEMPTS failures, `failed`).
 *
 * If the process dies between 3 and 4, the lease runs out and the message is sent again with the same
 * Message-ID: the file transport overwrites the same .eml file (exactly one file), SMTP receivers can
 * drop the duplicate by its Message-ID. Once marked, a message is never sent again.
 */

export const LEASE_SECONDS = 60;
const BATCH = 20;

export type NewMail = {
  userId: string;
  to: string;
  kind: MailKind;
  language: Language;
  /** Unique per message: a second enqueue with the same key does nothing (see kinds.ts). */
  dedupeKey: string;
  subject: string;
  text: string;
  html: string;
  /** Not before this time (default: now). */
  notBefore?: Date;
};

/**
 * Adds a mail to the outbox in the caller's transaction; does nothing if a mail with the same dedupe
 * key exists (sent or not). Returns the new row's id, or null when it was already there.
 */
export async function enqueueMail(tx: Database | Transaction, mail: NewMail): Promise<number | null> {
  const rows = await tx
    .insert(mailOutbox)
    .values({
      messageId: `${randomUUID()}@${mailDomain()}`,
      userId: mail.userId,
      toAddress: mail.to,
      kind: mail.kind,
      language: mail.language,
      dedupeKey: mail.dedupeKey,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      nextAttemptAt: mail.notBefore ?? sql`now()`,
    })
    .onConflictDoNothing({ target: mailOutbox.dedupeKey })
    .returning({ id: mailOutbox.id });
  return rows[0]?.id ?? null;
}

export type ClaimedMail = {
  id: number;
  messageId: string;
  userId: string;
  kind: string;
  language: Language;
  subject: string;
  textBody: string;
  htmlBody: string;
  attempts: number;
  createdAt: Date;
};

/** Leases up to `limit` due messages for this process (step 1). */
export async function claimDueMail(now: Date, limit = BATCH): Promise<ClaimedMail[]> {
  return getDb().transaction(async (tx) => {
    const rows = await tx
      .select({
        id: mailOutbox.id,
        messageId: mailOutbox.messageId,
        userId: mailOutbox.userId,
        kind: mailOutbox.kind,
        language: mailOutbox.language,
        subject: mailOutbox.subject,
        textBody: mailOutbox.textBody,
        htmlBody: mailOutbox.htmlBody,
        attempts: mailOutbox.attempts,
        createdAt: mailOutbox.createdAt,
      })
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.status, "pending"),
          lte(mailOutbox.nextAttemptAt, now),
          or(isNull(mailOutbox.leaseUntil), lte(mailOutbox.leaseUntil, now)),
        ),
      )
      .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return [];
    await tx
      .update(mailOutbox)
      .set({ leaseUntil: new Date(now.getTime() + LEASE_SECONDS * 1000) })
      .where(
        inArray(
          mailOutbox.id,
          rows.map((r) => r.id),
        ),
      );
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  });
}

export type SendOutcome = "sent" | "skipped-inactive" | "throttled" | "failed" | "retry" | "lost-lease";

/** Steps 2–4 for one claimed message. */
export async function sendClaimedMail(mail: ClaimedMail, transport: MailTransport, now: Date): Promise<SendOutcome> {
  const db = getDb();
  const mine = and(eq(mailOutbox.id, mail.id), eq(mailOutbox.status, "pending"));
  const [person] = await db.select({ active: users.active, email: users.email }).from(users).where(eq(users.id, mail.userId));
  if (!person || !person.active) {
    await db.update(mailOutbox).set({ status: "skipped", lastError: "inactive", leaseUntil: null, updatedAt: now }).where(mine);
    return "skipped-inactive";
  }
  if (isReminderKind(mail.kind)) {
    const recent = await db
      .select({ sentAt: mailOutbox.sentAt })
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.userId, mail.userId),
          eq(mailOutbox.status, "sent"),
          inArray(mailOutbox.kind, [...REMINDER_KINDS]),
          gt(mailOutbox.sentAt, new Date(now.getTime() - REMINDER_WINDOW_MS)),
        ),
      );
    const allowedAt = reminderAllowedAt(
      recent.map((r) => new Date(r.sentAt!)),
      now,
    );
    if (allowedAt > now) {
      await db.update(mailOutbox).set({ nextAttemptAt: allowedAt, leaseUntil: null, updatedAt: now }).where(mine);
      return "throttled";
    }
  }
  try {
    await transport.send({
      messageId: mail.messageId,
      to: person.email,
      subject: mail.subject,
      text: mail.textBody,
      html: mail.htmlBody,
      date: mail.createdAt,
      language: mail.language,
    });
  } catch (error) {
    const attempts = mail.attempts + 1;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const failed = attempts >= MAX_ATTEMPTS;
    await db
      .update(mailOutbox)
      .set({
        attempts,
        lastError: message,
        leaseUntil: null,
        updatedAt: now,
        ...(failed ? { status: "failed" as const } : { nextAttemptAt: new Date(now.getTime() + retryDelaySeconds(attempts) * 1000) }),
      })
      .where(mine);
    return failed ? "failed" : "retry";
  }
  const marked = await markMailSent(mail, person.email, now);
  return marked ? "sent" : "lost-lease";
}

/** Step 4: the message went out. */
export async function markMailSent(mail: Pick<ClaimedMail, "id" | "attempts">, to: string, sentAt: Date): Promise<boolean> {
  const rows = await getDb()
    .update(mailOutbox)
    .set({ status: "sent", sentAt, toAddress: to, attempts: mail.attempts + 1, lastError: null, leaseUntil: null, updatedAt: sentAt })
    .where(and(eq(mailOutbox.id, mail.id), eq(mailOutbox.status, "pending")))
    .returning({ id: mailOutbox.id });
  return rows.length > 0;
}

export type DeliverMailResult = Record<SendOutcome, number>;

/** Sends every due message (a few batches per call). `transport` and `now` are for tests. */
export async function deliverMail(options: { transport?: MailTransport; now?: () => Date; maxBatches?: number } = {}): Promise<DeliverMailResult> {
  const now = options.now ?? (() => new Date());
  const transport = options.transport ?? configuredTransport();
  const result: DeliverMailResult = { sent: 0, "skipped-inactive": 0, throttled: 0, failed: 0, retry: 0, "lost-lease": 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 5); batch++) {
    const claimed = await claimDueMail(now());
    for (const mail of claimed) result[await sendClaimedMail(mail, transport, now())]++;
    if (claimed.length < BATCH) break;
  }
  return result;
}

/* ---------- The admin's view ---------- */

export const OUTBOX_PAGE_SIZE = 50;

export type OutboxEntry = {
  id: number;
  kind: string;
  language: Language;
  subject: string;
  toAddress: string;
  recipient: PersonNameFields;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  sentAt: Date | null;
};

const entryColumns = {
  id: mailOutbox.id,
  kind: mailOutbox.kind,
  language: mailOutbox.language,
  subject: mailOutbox.subject,
  toAddress: mailOutbox.toAddress,
  status: mailOutbox.status,
  attempts: mailOutbox.attempts,
  lastError: mailOutbox.lastError,
  createdAt: mailOutbox.createdAt,
  nextAttemptAt: mailOutbox.nextAttemptAt,
  sentAt: mailOutbox.sentAt,
  ...personNameColumns,
};

function toEntry(r: Record<keyof typeof entryColumns, unknown>): OutboxEntry {
  const date = (v: unknown) => (v ? new Date(v as string) : null);
  return {
    id: r.id as number,
    kind: r.kind as string,
    language: r.language as Language,
    subject: r.subject as string,
    toAddress: r.toAddress as string,
    status: r.status as MailStatus,
    attempts: r.attempts as number,
    lastError: r.lastError as string | null,
    createdAt: date(r.createdAt)!,
    nextAttemptAt: date(r.nextAttemptAt)!,
    sentAt: date(r.sentAt),
    recipient: {
      familyName: r.familyName as string,
      givenName: r.givenName as string,
      familyNameKana: (r.familyNameKana as string | null) ?? null,
      givenNameKana: (r.givenNameKana as string | null) ?? null,
      familyNameLatin: (r.familyNameLatin as string | null) ?? null,
      givenNameLatin: (r.givenNameLatin as string | null) ?? null,
    },
  };
}

/** A page of the outbox, newest first. */
export async function listOutbox(page: number): Promise<{ entries: OutboxEntry[]; hasNext: boolean; counts: Record<MailStatus, number> }> {
  const db = getDb();
  const rows = await db
    .select(entryColumns)
    .from(mailOutbox)
    .innerJoin(users, eq(users.id, mailOutbox.userId))
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(OUTBOX_PAGE_SIZE + 1)
    .offset((page - 1) * OUTBOX_PAGE_SIZE);
  const tally = await db.select({ status: mailOutbox.status, n: count() }).from(mailOutbox).groupBy(mailOutbox.status);
  const counts: Record<MailStatus, number> = { pending: 0, sent: 0, skipped: 0, failed: 0 };
  for (const t of tally) counts[t.status] = Number(t.n);
  return { entries: rows.slice(0, OUTBOX_PAGE_SIZE).map(toEntry), hasNext: rows.length > OUTBOX_PAGE_SIZE, counts };
}

/** One message with its bodies, for the admin's view of it. */
export async function getOutboxMessage(id: number): Promise<(OutboxEntry & { messageId: string; textBody: string; htmlBody: string }) | null> {
  const [row] = await getDb()
    .select({ ...entryColumns, messageId: mailOutbox.messageId, textBody: mailOutbox.textBody, htmlBody: mailOutbox.htmlBody })
    .from(mailOutbox)
    .innerJoin(users, eq(users.id, mailOutbox.userId))
    .where(eq(mailOutbox.id, id));
  if (!row) return null;
  return { ...toEntry(row), messageId: row.messageId, textBody: row.textBody, htmlBody: row.htmlBody };
}
