import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./org";

/**
 * The audited actions that change who is assigned what or who holds a certificate: the HR dashboard's
 * cache keys its figures by the newest of them (app/reports/dashboard-cache.server.ts), read through
 * `audit_log_figure_changes_idx`. Changing the list needs a migration (the index names it).
 */
export const FIGURE_CHANGE_ACTIONS = [
  "assignment.create",
  "assignment.withdraw",
  "org.import",
  "user.create",
  "certificate.revoke",
  "certificate.record-external",
  "exemption.grant",
  "content.publish",
] as const;

/** `action in ('…', …)` with the values written out: a partial index is used only for a literal condition. */
export const figureChangeCondition = sql.raw(`"action" in (${FIGURE_CHANGE_ACTIONS.map((a) => `'${a}'`).join(", ")})`);

/** Who did what: role changes, publishes, exports, token changes. Append-only. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: serial("id").primaryKey(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_created_at_idx").on(t.createdAt),
    index("audit_log_actor_idx").on(t.actorId),
    index("audit_log_figure_changes_idx").on(t.id).where(figureChangeCondition),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
