CREATE TABLE "org_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"created_by" text,
	"file_name" text NOT NULL,
	"encoding" text NOT NULL,
	"content" text,
	"plan_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "org_imports_status_check" CHECK ("org_imports"."status" in ('pending', 'applied', 'discarded'))
);
--> statement-breakpoint
ALTER TABLE "org_imports" ADD CONSTRAINT "org_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "org_imports_created_by_idx" ON "org_imports" USING btree ("created_by");