import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { departments, users } from "./org";

export const ASSIGNMENT_SCOPES = ["everyone", "departments", "people"] as const;
export type AssignmentScope = (typeof ASSIGNMENT_SCOPES)[number];

/**
 * HR asks people to complete a track: everyone, departments (with everything below them) or a list of
 * people. Who is assigned is worked out when asked, from people's current department and active flag,
 * so assignments follow people as they join, move and leave. The due date is a fixed day (`due_on`,
 * Tokyo calendar), "within N days of joining" for people who join after the assignment was made
 * (`new_hire_days`), or both. Withdrawn assignments stay for the record.
 */
export const assignments = pgTable(
  "assignments",
  {
    id: text("id").primaryKey(),
    trackId: text("track_id").notNull(),
    scope: text("scope", { enum: ASSIGNMENT_SCOPES }).notNull(),
    dueOn: date("due_on", { mode: "string" }),
    newHireDays: integer("new_hire_days"),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    withdrawnById: text("withdrawn_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("assignments_track_idx").on(t.trackId),
    check("assignments_scope_check", sql`${t.scope} in ('everyone', 'departments', 'people')`),
    check("assignments_due_check", sql`${t.dueOn} is not null or ${t.newHireDays} is not null`),
    check("assignments_new_hire_days_check", sql`${t.newHireDays} is null or ${t.newHireDays} between 1 and 730`),
  ],
);

export const assignmentDepartments = pgTable(
  "assignment_departments",
  {
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    departmentId: text("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ name: "assignment_departments_pkey", columns: [t.assignmentId, t.departmentId] })],
);

export const assignmentPeople = pgTable(
  "assignment_people",
  {
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ name: "assignment_people_pkey", columns: [t.assignmentId, t.userId] }),
    index("assignment_people_user_idx").on(t.userId),
  ],
);

export type Assignment = typeof assignments.$inferSelect;
