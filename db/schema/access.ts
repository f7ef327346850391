import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
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
