DROP INDEX "users_email_key";--> statement-breakpoint
DROP INDEX "lesson_progress_user_lesson_key";--> statement-breakpoint
ALTER TABLE "lesson_progress" ADD CONSTRAINT "lesson_progress_pkey" PRIMARY KEY("user_id","lesson_id");--> statement-breakpoint
ALTER TABLE "knowledge_check_answers" ADD COLUMN "attempt" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
UPDATE "knowledge_check_answers" AS k SET "attempt" = n.rn FROM (SELECT "id", row_number() OVER (PARTITION BY "user_id", "question_id" ORDER BY "created_at", "id") AS rn FROM "knowledge_check_answers") AS n WHERE k."id" = n."id";--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_preferred_language_check" CHECK ("users"."preferred_language" in ('ja', 'en'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_roles_check" CHECK ("users"."roles" <@ array['hr', 'author', 'admin']::text[]);--> statement-breakpoint
ALTER TABLE "knowledge_check_answers" ADD CONSTRAINT "knowledge_check_answers_language_check" CHECK ("knowledge_check_answers"."language" in ('ja', 'en'));--> statement-breakpoint
ALTER TABLE "knowledge_check_answers" ADD CONSTRAINT "knowledge_check_answers_attempt_check" CHECK ("knowledge_check_answers"."attempt" >= 1);