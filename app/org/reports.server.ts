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

/**
 * `users.id in (those of the given people who are below the manager)`, walking *up* from each of them
 * (their manager, that manager's manager, …) instead of down the whole line: a few look-ups per person,
 * however large the line. The same answer as `inReportingLineOf` for those people (`union` stops at a
 * cycle; the manager is never in their own line). For checks on a page of people or a single person.
 */
export function inReportingLineOfAmong(managerId: string, personIds: readonly string[]): SQL {
  if (personIds.length === 0) return sql`false`;
  const ids = sql`array[${sql.join(personIds.map((id) => sql`${id}`), sql`, `)}]::text[]`;
  return sql`${users.id} in (
    with recursive up(person_id, boss_id) as (
      select p.id, p.manager_id from ${users} p where p.id = any(${ids})
      union
      select up.person_id, b.manager_id from up join ${users} b on b.id = up.boss_id
    )
    select person_id from up where boss_id = ${managerId} and person_id <> ${managerId}
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
    .where(and(eq(users.id, personId), inReportingLineOfAmong(managerId, [personId])));
  return Boolean(row);
}
