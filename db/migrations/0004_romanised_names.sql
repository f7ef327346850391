ALTER TABLE "users" ADD COLUMN "family_name_latin" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "given_name_latin" text;