import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ExamResult } from "~/assessment/exam-grading";
import { users } from "./org";

/** A question of an attempt as fixed at the start: which question (pinned to the release) and its option order. */
export type AttemptItemRow = { questionId: string; optionOrder: string[] };

/** The graded result (see app/assessment/exam-grading.ts), stored once when the attempt is finished. */
export type AttemptResult = ExamResult;

export const ATTEMPT_STATUSES = ["open", "finished"] as const;
export const ATTEMPT_END_REASONS = ["submitted", "timeout"] as const;

/**
 * One sitting of a track's exam. Everything that decides it — the questions, their option order, the
 * deadline and the content release whose question versions are used — is fixed at the start.
 */
export const examAttempts = pgTable(
  "exam_attempts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    trackId: text("track_id").notNull(),
    releaseNumber: integer("release_number").notNull(),
    seed: text("seed").notNull(),
    items: jsonb("items").$type<AttemptItemRow[]>().notNull(),
    status: text("status", { enum: ATTEMPT_STATUSES }).notNull().default("open"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    deadline: timestamp("deadline", { withTimezone: true }).notNull(),
    /** The question the learner was on, to resume there. */
    position: smallint("position").notNull().default(0),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    endReason: text("end_reason", { enum: ATTEMPT_END_REASONS }),
    passed: boolean("passed"),
    result: jsonb("result").$type<AttemptResult>(),
  },
  (t) => [
    index("exam_attempts_user_track_idx").on(t.userId, t.trackId, t.startedAt),
    index("exam_attempts_open_deadline_idx").on(t.deadline).where(sql`${t.status} = 'open'`),
    // At most one open attempt per person and track: two tabs pressing "start" get the same attempt.
    uniqueIndex("exam_attempts_one_open_key").on(t.userId, t.trackId).where(sql`${t.status} = 'open'`),
    check("exam_attempts_status_check", sql`${t.status} in ('open', 'finished')`),
    check("exam_attempts_end_reason_check", sql`${t.endReason} is null or ${t.endReason} in ('submitted', 'timeout')`),
    check(
      "exam_attempts_finished_check",
      sql`(${t.status} = 'open' and ${t.finishedAt} is null and ${t.result} is null) or (${t.status} = 'finished' and ${t.finishedAt} is not null and ${t.endReason} is not null and ${t.result} is not null and ${t.passed} is not null)`,
    ),
  ],
);

/** The learner's current answer to each question of an attempt (one row per question, updated in place). */
export const examAnswers = pgTable(
  "exam_answers",
  {
    attemptId: text("attempt_id")
      .notNull()
      .references(() => examAttempts.id, { onDelete: "cascade" }),
    position: smallint("position").notNull(),
    answer: jsonb("answer").$type<string[]>().notNull(),
    flagged: boolean("flagged").notNull().default(false),
    savedAt: timestamp("saved_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: "exam_answers_pkey", columns: [t.attemptId, t.position] })],
);

export const ATTEMPT_EVENT_KINDS = ["start", "resume", "save", "flag", "language", "submit", "timeout", "late-save"] as const;
export type AttemptEventKind = (typeof ATTEMPT_EVENT_KINDS)[number];

/** What happened during an attempt, with time: the record an exam dispute is settled from. */
export const examEvents = pgTable(
  "exam_events",
  {
    id: serial("id").primaryKey(),
    attemptId: text("attempt_id")
      .notNull()
      .references(() => examAttempts.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ATTEMPT_EVENT_KINDS }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("exam_events_attempt_idx").on(t.attemptId, t.at),
    check(
      "exam_events_kind_check",
      sql`${t.kind} in ('start', 'resume', 'save', 'flag', 'language', 'submit', 'timeout', 'late-save')`,
    ),
  ],
);

/** HR lets a person take a track's exam without completing its courses (e.g. proven prior knowledge). */
export const courseExemptions = pgTable(
  "course_exemptions",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    trackId: text("track_id").notNull(),
    reason: text("reason").notNull(),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("course_exemptions_user_track_idx").on(t.userId, t.trackId)],
);

export type ExamAttempt = typeof examAttempts.$inferSelect;
