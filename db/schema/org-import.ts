import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./org";

/**
 * An organisation file uploaded on the HR page and shown as a dry run, waiting for Apply. Apply turns
 * a pending import into an applied one exactly once (a second click finds it applied), and only when
 * the plan computed again then is the one HR saw (`plan_hash`).
 */
export const orgImports = pgTable(
  "org_imports",
  {
    id: text("id").primaryKey(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    encoding: text("encoding").notNull(),
    /** The decoded file; cleared once applied or discarded. */
    content: text("content"),
    planHash: text("plan_hash").notNull(),
    status: text("status", { enum: ["pending", "applied", "discarded"] }).notNull().default("pending"),
    summary: jsonb("summary").$type<Record<string, number>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
  },
  (t) => [
    index("org_imports_created_by_idx").on(t.createdBy),
    check("org_imports_status_check", sql`${t.status} in ('pending', 'applied', 'discarded')`),
  ],
);

export type OrgImport = typeof orgImports.$inferSelect;
