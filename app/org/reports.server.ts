/**
 * A manager's reporting line from the org chart: direct reports and theirs, down to any depth, and
 * nobody else. Queries for a team take the manager and filter inside (the route cannot forget).
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { departments, users } from "#db/schema";
import { personNameColumns, type PersonNameFields } from "./person-name-columns.server";

/** `users.id in (everyone below the manager)`, by a recursive query (`union` stops at a cycle). */
export function inReportingLineOf(managerId: string): SQL {
  return sql`${users.id} in (
    with recursive line(id) as (
      select u.id from ${users} u where u.manager_id = ${managerId}
      union
      select u.id from ${users} u join line on u.manager_id = line.id
    )
    select id from line where id <> ${managerId}
  )`;
}

export type Report = PersonNameFields & {
  id: string;
  email: string;
  employeeNumber: string | null;
  managerId: string | null;
  departmentNameJa: string | null;
  departmentNameEn: string | null;
  /** True for a direct report, false for someone further down the line. */
  direct: boolean;
};

/** The active people in a manager's reporting line, sorted by kana reading. */
export async function reportsOf(managerId: string): Promise<Report[]> {
  const rows = await getDb()
    .select({
      id: users.id,
      email: users.email,
      employeeNumber: users.employeeNumber,
      managerId: users.managerId,
      ...personNameColumns,
      departmentNameJa: departments.nameJa,
      departmentNameEn: departments.nameEn,
    })
    .from(users)
    .leftJoin(departments, eq(users.departmentId, departments.id))
    .where(and(inReportingLineOf(managerId), eq(users.active, true)))
    .orderBy(asc(users.familyNameKana), asc(users.givenNameKana), asc(users.email));
  return rows.map((r) => ({ ...r, direct: r.managerId === managerId }));
}

/** Whether a person is somewhere below a manager (for checks on a single person's page). */
export async function isInReportingLine(managerId: string, personId: string): Promise<boolean> {
  const [row] = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, personId), inReportingLineOf(managerId)));
  return Boolean(row);
}
