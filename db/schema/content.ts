import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ContentBundle } from "~/content/types";
import { users } from "./org";

export type ReleaseChangeSummary = {
  lessons: { added: string[]; changed: string[]; removed: string[] };
  questions: { added: string[]; changed: string[]; removed: string[] };
  courses: { added: string[]; removed: string[] };
  tracks: { added: string[]; changed: string[]; removed: string[] };
  tools: { added: string[]; changed: string[]; removed: string[] };
};

/**
 * A language of a lesson or question that did not change while the other did. It stays recorded on
 * every later release until that language changes too; `since` is the release where it fell behind
 * (missing on releases published before it was recorded).
 */
export type StaleTranslation = { kind: "lesson" | "question"; id: string; stale: "en" | "ja"; since?: number };

/**
 * Immutable, numbered content releases. The newest is what learners see; older ones stay for
 * exam attempts that refer to the exact question versions they were built from.
 */
export const contentReleases = pgTable(
  "content_releases",
  {
    id: serial("id").primaryKey(),
    number: integer("number").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
    publishedById: text("published_by_id").references(() => users.id, { onDelete: "set null" }),
    publishedByName: text("published_by_name").notNull(),
    contentHash: text("content_hash").notNull(),
    summary: jsonb("summary").$type<ReleaseChangeSummary>().notNull(),
    staleTranslations: jsonb("stale_translations").$type<StaleTranslation[]>().notNull().default([]),
    counts: jsonb("counts").$type<Record<string, number>>().notNull(),
    bundle: jsonb("bundle").$type<ContentBundle>().notNull(),
  },
  (t) => [uniqueIndex("content_releases_number_key").on(t.number)],
);

export type ContentRelease = typeof contentReleases.$inferSelect;

/** A person's progress on a lesson, by stable lesson id (it survives new releases). */
export const lessonProgress = pgTable(
  "lesson_progress",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    lessonId: text("lesson_id").notNull(),
    courseId: text("course_id").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "lesson_progress_pkey", columns: [t.userId, t.lessonId] }), index("lesson_progress_lesson_idx").on(t.lessonId)],
);

/** Every knowledge-check answer, kept for item analysis. */
export const knowledgeCheckAnswers = pgTable(
  "knowledge_check_answers",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    questionId: text("question_id").notNull(),
    lessonId: text("lesson_id").notNull(),
    releaseNumber: integer("release_number").notNull(),
    answer: jsonb("answer").$type<string[]>().notNull(),
    correct: boolean("correct").notNull(),
    /** 1 for the person's first answer to this question, 2 for the second, … (item analysis reads first tries). */
    attempt: smallint("attempt").notNull().default(1),
    language: text("language", { enum: ["ja", "en"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("knowledge_check_answers_user_question_idx").on(t.userId, t.questionId),
    index("knowledge_check_answers_question_idx").on(t.questionId),
    check("knowledge_check_answers_language_check", sql`${t.language} in ('ja', 'en')`),
    check("knowledge_check_answers_attempt_check", sql`${t.attempt} >= 1`),
  ],
);
