CREATE TABLE "access_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"txid" bigint DEFAULT (pg_current_xact_id()::text::bigint) NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "access_changes_txid_idx" ON "access_changes" USING btree ("txid");--> statement-breakpoint
CREATE INDEX "access_changes_changed_at_idx" ON "access_changes" USING btree ("changed_at");--> statement-breakpoint
-- Logs the person a row of users or certificates belongs to (TG_ARGV[0] names the column) whenever
-- something the access check reads may have changed: written in the changing transaction, whatever wrote it.
CREATE FUNCTION "access_change_log"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO "access_changes" ("user_id") VALUES (to_jsonb(OLD) ->> TG_ARGV[0]);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (to_jsonb(NEW) ->> TG_ARGV[0]) IS DISTINCT FROM (to_jsonb(OLD) ->> TG_ARGV[0])) THEN
    INSERT INTO "access_changes" ("user_id") VALUES (to_jsonb(NEW) ->> TG_ARGV[0]);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "users_access_change" AFTER INSERT OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "access_change_log"('id');
--> statement-breakpoint
CREATE TRIGGER "users_access_change_update" AFTER UPDATE ON "users"
  FOR EACH ROW WHEN (OLD."id" IS DISTINCT FROM NEW."id" OR OLD."email" IS DISTINCT FROM NEW."email"
    OR OLD."employee_number" IS DISTINCT FROM NEW."employee_number" OR OLD."active" IS DISTINCT FROM NEW."active")
  EXECUTE FUNCTION "access_change_log"('id');
--> statement-breakpoint
CREATE TRIGGER "certificates_access_change" AFTER INSERT OR UPDATE OR DELETE ON "certificates"
  FOR EACH ROW EXECUTE FUNCTION "access_change_log"('user_id');
