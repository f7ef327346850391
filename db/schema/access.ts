import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./org";

/** What an API token may read: the access decisions, or the entitlement event feed (later). */
export const API_SCOPES = ["access:read", "events:read"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * Bearer tokens of other systems (an LLM gateway, an access-request tool). The secret is shown once
 * when the token is made; only its SHA-256 is kept (the secret is 32 random bytes, so a fast hash is
 * enough). The public prefix (`mnb_live_xxxxxxxx`) names the token in lists and logs and finds its row.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** `mnb_live_` and 8 random characters: the start of the token, safe to show. */
    prefix: text("prefix").notNull(),
    /** Hex SHA-256 of the whole token. */
    tokenHash: text("token_hash").notNull(),
    scopes: text("scopes", { enum: API_SCOPES }).array().notNull(),
    /** Null when made on the command line (or when the admin was deleted). */
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Updated at most once a minute per token. */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedById: text("revoked_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("api_tokens_prefix_key").on(t.prefix),
    uniqueIndex("api_tokens_token_hash_key").on(t.tokenHash),
    index("api_tokens_created_at_idx").on(t.createdAt),
    check("api_tokens_scopes_check", sql`cardinality(${t.scopes}) > 0 and ${t.scopes} <@ array['access:read', 'events:read']::text[]`),
    check("api_tokens_name_check", sql`length(btrim(${t.name})) between 1 and 100`),
    check("api_tokens_prefix_check", sql`${t.prefix} ~ '^mnb_live_[a-z0-9]{8}$'`),
  ],
);

export type ApiToken = typeof apiTokens.$inferSelect;

/**
 * The last known entitlement of each (person, tool): what the change feed compares a fresh decision
 * with. A row per pair once the pair has been decided; `allowed` false rows are kept so that a later
 * grant is a change. Rows that are allowed carry the moments time alone will change them: `validUntil`
 * (access ends) and `expiringFrom` (the recertification window opens, announced once per `validUntil`).
 */
export const entitlements = pgTable(
  "entitlements",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id").notNull(),
    allowed: boolean("allowed").notNull(),
    validUntil: timestamp("valid_until", { withTimezone: true }),
    expiringFrom: timestamp("expiring_from", { withTimezone: true }),
    /** The `validUntil` an expiring-soon event was sent for: sent once per certificate end. */
    expiringNoticeFor: timestamp("expiring_notice_for", { withTimezone: true }),
    /** The release the state was decided under, and the tool's required tracks in it. */
    release: integer("release").notNull(),
    requiredTracks: text("required_tracks").array().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.toolId] }),
    index("entitlements_valid_until_idx").on(t.validUntil).where(sql`${t.allowed}`),
    index("entitlements_expiring_from_idx").on(t.expiringFrom).where(sql`${t.allowed}`),
  ],
);

/**
 * What changed under the access check's in-memory copy of people and certificates
 * (app/access/people-replica.server.ts): one row per person whose email, employee number, status or
 * certificates changed, written by triggers on `users` and `certificates` (migration 0012) in the
 * changing transaction, whatever wrote it. `txid` is that transaction's id, so a reader can tell the
 * changes committed before its snapshot from those still in flight. Rows older than an hour are pruned.
 */
export const accessChanges = pgTable(
  "access_changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** No foreign key: a deleted person's change is logged too. */
    userId: text("user_id").notNull(),
    txid: bigint("txid", { mode: "number" })
      .notNull()
      .default(sql`(pg_current_xact_id()::text::bigint)`),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("access_changes_txid_idx").on(t.txid), index("access_changes_changed_at_idx").on(t.changedAt)],
);

/** People whose entitlements must be decided again (a certificate or their status changed). */
export const entitlementChecks = pgTable("entitlement_checks", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const ACCESS_EVENT_KINDS = ["granted", "expiring-soon", "expired", "revoked", "requirement-changed"] as const;
export type AccessEventKind = (typeof ACCESS_EVENT_KINDS)[number];

/**
 * The entitlement change feed. `seq` is handed out from `access_event_counter` under a row lock that
 * is held until the writing transaction commits, so sequence order is commit order: a reader that has
 * seen `seq` n has seen every change numbered below n, and a cursor never skips a late commit.
 */
export const accessEvents = pgTable(
  "access_events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: ACCESS_EVENT_KINDS }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toolId: text("tool_id").notNull(),
    release: integer("release").notNull(),
    /** When the change happened: the moment of expiry for `expired`, else when it was decided. */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    allowed: boolean("allowed").notNull(),
    validUntil: timestamp("valid_until", { withTimezone: true }),
    /** The certificates the new state rests on, and why access ended (the decision's reasons). */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("access_events_user_idx").on(t.userId, t.seq), check("access_events_kind_check", sql`${t.kind} in ('granted', 'expiring-soon', 'expired', 'revoked', 'requirement-changed')`)],
);

/** One row (id 1): the last `seq` handed out. */
export const accessEventCounter = pgTable(
  "access_event_counter",
  {
    id: integer("id").primaryKey(),
    last: bigint("last", { mode: "number" }).notNull(),
    /** The newest release every entitlement row has been decided under. */
    reconciledRelease: integer("reconciled_release").notNull().default(0),
  },
  (t) => [check("access_event_counter_single_row", sql`${t.id} = 1`)],
);

/** Other systems that receive the feed by HTTP POST, signed with their own secret. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    url: text("url").notNull(),
    description: text("description").notNull(),
    /** The HMAC key; shown once when the webhook is made. Needed in full to sign, so kept as is. */
    secret: text("secret").notNull(),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledById: text("disabled_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [check("webhooks_description_check", sql`length(btrim(${t.description})) between 1 and 100`)],
);

export const WEBHOOK_DELIVERY_STATES = ["pending", "delivered"] as const;

/**
 * The outbox: one row per (webhook, event), written in the transaction that writes the event, so no
 * event is lost while a receiver is down. A sender claims due rows by setting `leaseUntil` (short
 * transaction, `FOR UPDATE SKIP LOCKED`), posts them, then marks them delivered or schedules a retry.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: serial("id").primaryKey(),
    webhookId: text("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventSeq: bigint("event_seq", { mode: "number" })
      .notNull()
      .references(() => accessEvents.seq, { onDelete: "cascade" }),
    state: text("state", { enum: WEBHOOK_DELIVERY_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_webhook_event_key").on(t.webhookId, t.eventSeq),
    index("webhook_deliveries_pending_idx").on(t.webhookId, t.eventSeq).where(sql`${t.state} = 'pending'`),
    check("webhook_deliveries_state_check", sql`${t.state} in ('pending', 'delivered')`),
  ],
);
