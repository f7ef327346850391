CREATE TABLE "access_event_counter" (
	"id" integer PRIMARY KEY NOT NULL,
	"last" bigint NOT NULL,
	"reconciled_release" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "access_event_counter_single_row" CHECK ("access_event_counter"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "access_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"release" integer NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"allowed" boolean NOT NULL,
	"valid_until" timestamp with time zone,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "access_events_kind_check" CHECK ("access_events"."kind" in ('granted', 'expiring-soon', 'expired', 'revoked', 'requirement-changed'))
);
--> statement-breakpoint
CREATE TABLE "entitlement_checks" (
	"user_id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entitlements" (
	"user_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"allowed" boolean NOT NULL,
	"valid_until" timestamp with time zone,
	"expiring_from" timestamp with time zone,
	"expiring_notice_for" timestamp with time zone,
	"release" integer NOT NULL,
	"required_tracks" text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "entitlements_user_id_tool_id_pk" PRIMARY KEY("user_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"webhook_id" text NOT NULL,
	"event_seq" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_state_check" CHECK ("webhook_deliveries"."state" in ('pending', 'delivered'))
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"description" text NOT NULL,
	"secret" text NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_by_id" text,
	CONSTRAINT "webhooks_description_check" CHECK (length(btrim("webhooks"."description")) between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "access_events" ADD CONSTRAINT "access_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlement_checks" ADD CONSTRAINT "entitlement_checks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entitlements" ADD CONSTRAINT "entitlements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_seq_access_events_seq_fk" FOREIGN KEY ("event_seq") REFERENCES "public"."access_events"("seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_disabled_by_id_users_id_fk" FOREIGN KEY ("disabled_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_events_user_idx" ON "access_events" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "entitlements_valid_until_idx" ON "entitlements" USING btree ("valid_until") WHERE "entitlements"."allowed";--> statement-breakpoint
CREATE INDEX "entitlements_expiring_from_idx" ON "entitlements" USING btree ("expiring_from") WHERE "entitlements"."allowed";--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_webhook_event_key" ON "webhook_deliveries" USING btree ("webhook_id","event_seq");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries" USING btree ("webhook_id","event_seq") WHERE "webhook_deliveries"."state" = 'pending';--> statement-breakpoint
INSERT INTO "access_event_counter" ("id", "last", "reconciled_release") VALUES (1, 0, 0) ON CONFLICT DO NOTHING;
