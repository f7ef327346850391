import { relations, sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

import { LANGUAGES } from "~/i18n/languages";

/** Roles that are granted explicitly. "learner" is everyone; "manager" is derived from reports. */
export const GRANTED_ROLES = ["hr", "author", "admin"] as const;
export type GrantedRole = (typeof GRANTED_ROLES)[number];

export const departments = pgTable(
  "departments",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    nameJa: text("name_ja").notNull(),
    nameEn: text("name_en").notNull(),
    parentId: text("parent_id").references((): AnyPgColumn => departments.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("departments_code_key").on(t.code)],
);

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash"),
    displayName: text("display_name").notNull(),
    familyName: text("family_name").notNull(),
    givenName: text("given_name").notNull(),
    familyNameKana: text("family_name_kana"),
    givenNameKana: text("given_name_kana"),
    /** The name in Latin letters (e.g. from the org import), used in English where it exists. */
    familyNameLatin: text("family_name_latin"),
    givenNameLatin: text("given_name_latin"),
    employeeNumber: text("employee_number"),
    departmentId: text("department_id").references(() => departments.id, { onDelete: "set null" }),
    managerId: text("manager_id").references((): AnyPgColumn => users.id, { onDelete: "set null" }),
    preferredLanguage: text("preferred_language", { enum: LANGUAGES }),
    roles: text("roles", { enum: GRANTED_ROLES }).array().notNull().default([]),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Emails are compared case-insensitively everywhere; the index makes "A@x" and "a@x" one account.
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    uniqueIndex("users_employee_number_key").on(t.employeeNumber),
    index("users_manager_id_idx").on(t.managerId),
    index("users_department_id_idx").on(t.departmentId),
    check("users_preferred_language_check", sql`${t.preferredLanguage} in ('ja', 'en')`),
    check("users_roles_check", sql`${t.roles} <@ array['hr', 'author', 'admin']::text[]`),
  ],
);

export const departmentsRelations = relations(departments, ({ many, one }) => ({
  users: many(users),
  parent: one(departments, { fields: [departments.parentId], references: [departments.id] }),
}));

export const usersRelations = relations(users, ({ one, many }) => ({
  department: one(departments, { fields: [users.departmentId], references: [departments.id] }),
  manager: one(users, { fields: [users.managerId], references: [users.id], relationName: "reports" }),
  reports: many(users, { relationName: "reports" }),
}));

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Department = typeof departments.$inferSelect;
