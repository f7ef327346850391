import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./org";

export const MAIL_STATUSES = ["pending", "sent", "skipped", "failed"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * The mail outbox: every email Manabi sends (invitations, reminders) is a row, rendered when it is
 * enqueued and sent by the mail worker (app/mail/). `dedupe_key` makes enqueueing idempotent;
 * `message_id` stays the same across retries, so a re-send after a crash is the same message.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: serial("id").primaryKey(),
    /** The Message-ID header without angle brackets (`<uuid>@<domain>`); also the .eml file name. */
    messageId: text("message_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    /** invitation, cert-expiring, recert-open, assignment-due-soon, assignment-overdue, … (app/mail/kinds.ts). */
    kind: text("kind").notNull(),
    language: text("language", { enum: ["ja", "en"] }).notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    status: text("status", { enum: MAIL_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("mail_outbox_dedupe_key_key").on(t.dedupeKey),
    uniqueIndex("mail_outbox_message_id_key").on(t.messageId),
    index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("mail_outbox_user_sent_idx").on(t.userId, t.sentAt),
    index("mail_outbox_created_at_idx").on(t.createdAt),
    check("mail_outbox_status_check", sql`${t.status} in ('pending', 'sent', 'skipped', 'failed')`),
    check("mail_outbox_language_check", sql`${t.language} in ('ja', 'en')`),
  ],
);

/**
 * One-time links for imported people to set their first password. Only a SHA-256 hash of the token
 * is stored; the token itself exists in the mail alone.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    /** HR who sent it; null when the person asked for a new link from an expired one. */
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_key").on(t.tokenHash),
    index("invitations_user_created_idx").on(t.userId, t.createdAt),
  ],
);

export type MailOutboxRow = typeof mailOutbox.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
