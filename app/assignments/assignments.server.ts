/**
 * Assignments in the database: HR creates and withdraws them; everyone else reads where people stand.
 *
 * Who is assigned is decided when asked — active people, by their current department (with the
 * departments above it) — so assignments follow people as they join, move and leave, with nothing to
 * recompute. `assignmentRowsSql` is the one query for it (one row per person and assigned track, the
 * earliest due day of the assignments that reach them, and their standing); dashboards aggregate over it,
 * the learner's home and the reminders read it directly. `assignment-status.ts` holds the same rules,
 * pure, and an integration test checks the two agree.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf } from "#db/client.server";
import { assignmentDepartments, assignmentPeople, assignments, auditLog, departments, users, type AssignmentScope } from "#db/schema";
import type { LoadedRelease } from "~/content/release.server";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { assignmentStatus, byUrgency, daysBetween, tokyoDay, type AssignmentStatus } from "./assignment-status";

export type AssignmentRow = {
  userId: string;
  trackId: string;
  /** The earliest due day (Tokyo, YYYY-MM-DD) of the assignments of this track that reach the person. */
  dueOn: string;
  /** The end of the person's valid certificate for the track, when they hold one now. */
  certifiedUntil: Date | null;
  started: boolean;
  status: AssignmentStatus;
};

/** Which people a query is about: everyone, one person, a department tree, or a manager's reporting line. */
export type PeopleFilter =
  | { kind: "everyone" }
  | { kind: "person"; userId: string }
  | { kind: "people"; userIds: string[] }
  | { kind: "department"; departmentId: string }
  | { kind: "team"; managerId: string }
  /**
   * The active people a CTE of the enclosing statement lists, with their `id`, `department_id` and
   * `created_at` (for a caller that has found them already, e.g. a manager's reporting line, so the
   * statement does not find them twice).
   */
  | { kind: "cte"; name: string };

/** A condition on `u` (users) for the filter. */
export function peopleCondition(filter: PeopleFilter): SQL {
  switch (filter.kind) {
    case "everyone":
      return sql`true`;
    case "person":
      return sql`u.id = ${filter.userId}`;
    case "people":
      return filter.userIds.length === 0 ? sql`false` : sql`u.id in (${sql.join(filter.userIds.map((id) => sql`${id}`), sql`, `)})`;
    case "department":
      return sql`u.department_id in (
        with recursive sub(id) as (
          select d.id from ${departments} d where d.id = ${filter.departmentId}
          union
          select d.id from ${departments} d join sub on d.parent_id = sub.id
        )
        select id from sub)`;
    case "team":
      return sql`u.id in (
        with recursive line(id) as (
          select r.id from ${users} r where r.manager_id = ${filter.managerId}
          union
          select r.id from ${users} r join line on r.manager_id = line.id
        )
        select id from line where id <> ${filter.managerId})`;
    case "cte":
      return sql`u.id in (select id from ${sql.identifier(filter.name)})`;
  }
}

function textArray(values: readonly string[]): SQL {
  return values.length === 0 ? sql`array[]::text[]` : sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}

/**
 * One row per (active person in the filter, assigned track): user_id, department_id, track_id, due_on (text),
 * certified_until (epoch ms or null), started (boolean), status (text). For use as a subquery:
 * `select … from (${assignmentRowsSql(…)}) as ar`.
 */
export function assignmentRowsSql(release: LoadedRelease | null, filter: PeopleFilter, now: Date, trackIds?: readonly string[]): SQL {
  const today = tokyoDay(now);
  const trackCourses = [...(release?.tracks.values() ?? [])].flatMap((t) => t.courses.map((c) => [t.id, c] as const));
  const trackCondition = trackIds ? sql`and a.track_id = any(${textArray(trackIds)})` : sql``;
  // Set-based: certificates and "started" are read once and joined, not looked up per (person, track).
  // For the company or a department tree they are read whole (one scan, hash joins); for a person, a list
  // or a team, only for the people in scope (index look-ups).
  const broad = filter.kind === "everyone" || filter.kind === "department";
  return sql`
    with recursive live as materialized (
      select a.* from ${assignments} a where a.withdrawn_at is null ${trackCondition}
    ),
    tree(assignment_id, department_id) as (
      select ad.assignment_id, ad.department_id from ${assignmentDepartments} ad join live on live.id = ad.assignment_id
      union
      select tree.assignment_id, d.id from ${departments} d join tree on d.parent_id = tree.department_id
    ),
    scoped as materialized (
      ${
        filter.kind === "cte"
          ? sql`select id, department_id, created_at from ${sql.identifier(filter.name)}`
          : sql`select u.id, u.department_id, u.created_at from ${users} u where u.active and (${peopleCondition(filter)})`
      }
    ),
    member(assignment_id, user_id, department_id, created_at) as (
      select live.id, u.id, u.department_id, u.created_at from live join scoped u on live.scope = 'everyone'
      union all
      select ap.assignment_id, ap.user_id, u.department_id, u.created_at from ${assignmentPeople} ap
        join live on live.id = ap.assignment_id and live.scope = 'people'
        join scoped u on u.id = ap.user_id
      union all
      select tree.assignment_id, u.id, u.department_id, u.created_at from tree join live on live.id = tree.assignment_id and live.scope = 'departments'
        join scoped u on u.department_id = tree.department_id
    ),
    pairs as materialized (
      select m.user_id, m.department_id, a.track_id, min(
        case
          when a.new_hire_days is not null and m.created_at > a.created_at then (m.created_at at time zone 'Asia/Tokyo')::date + a.new_hire_days
          when a.due_on is not null then a.due_on
          else (a.created_at at time zone 'Asia/Tokyo')::date + a.new_hire_days
        end) as due_on
      from member m join live a on a.id = m.assignment_id
      group by m.user_id, m.department_id, a.track_id
    ),
    certified as (
      select c.user_id, c.track_id, max(c.valid_until) as until from certificates c
      where c.revoked_at is null and c.valid_until > ${now.toISOString()}::timestamptz
        and c.track_id in (select track_id from live) ${broad ? sql`` : sql`and c.user_id in (select id from scoped)`}
      group by c.user_id, c.track_id
    ),
    track_courses(track_id, course_id) as (
      select * from unnest(${textArray(trackCourses.map(([t]) => t))}, ${textArray(trackCourses.map(([, c]) => c))})
    ),
    started as (
      select ea.user_id, ea.track_id from exam_attempts ea
        where ea.track_id in (select track_id from live) ${broad ? sql`` : sql`and ea.user_id in (select id from scoped)`}
      union
      select lp.user_id, tc.track_id from lesson_progress lp join track_courses tc on tc.course_id = lp.course_id
        ${broad ? sql`` : sql`where lp.user_id in (select id from scoped)`}
    )
    select p.user_id, p.department_id, p.track_id, p.due_on::text as due_on,
      (extract(epoch from c.until) * 1000)::float8 as certified_until,
      (s.user_id is not null) as started,
      case
        when c.until is not null then 'certified'
        when p.due_on < ${today}::date then 'overdue'
        when s.user_id is not null then 'in-progress'
        else 'not-started'
      end as status
    from pairs p
    left join certified c on c.user_id = p.user_id and c.track_id = p.track_id
    left join started s on s.user_id = p.user_id and s.track_id = p.track_id`;
}

type RawRow = { user_id: string; track_id: string; due_on: string; certified_until: number | string | null; started: boolean; status: AssignmentStatus };

function toRow(r: RawRow): AssignmentRow {
  return {
    userId: r.user_id,
    trackId: r.track_id,
    dueOn: r.due_on,
    certifiedUntil: r.certified_until === null ? null : new Date(Number(r.certified_until)),
    started: r.started,
    status: r.status,
  };
}

export async function assignmentRows(release: LoadedRelease | null, filter: PeopleFilter, now = new Date()): Promise<AssignmentRow[]> {
  const result = await getDb().execute(sql`select * from (${assignmentRowsSql(release, filter, now)}) as ar order by user_id, track_id`);
  return rowsOf<RawRow>(result).map(toRow);
}

export type MyAssignment = AssignmentRow & { daysLeft: number; title: { en: string; ja: string } };

/** A learner's assigned tracks in the current release, most urgent first (overdue, then by due day). */
export async function myAssignments(release: LoadedRelease | null, userId: string, now = new Date()): Promise<MyAssignment[]> {
  if (!release) return [];
  const rows = await assignmentRows(release, { kind: "person", userId }, now);
  const today = tokyoDay(now);
  return rows
    .flatMap((row) => {
      const track = release.tracks.get(row.trackId);
      if (!track) return [];
      // The same rule as the query, so the page never disagrees with the dashboards.
      const status = assignmentStatus(row, today);
      return [{ ...row, status, title: track.title, daysLeft: daysBetween(today, row.dueOn) }];
    })
    .sort(byUrgency);
}

/** Every active person's assigned tracks and their standing, for the reminder mails. */
export async function assignmentsForReminders(now = new Date()): Promise<Pick<AssignmentRow, "userId" | "trackId" | "dueOn" | "status">[]> {
  const rows = await assignmentRows(null, { kind: "everyone" }, now);
  return rows.map(({ userId, trackId, dueOn, status }) => ({ userId, trackId, dueOn, status }));
}

// ——— HR: creating, listing and withdrawing ———

export type NewAssignment = {
  trackId: string;
  scope: AssignmentScope;
  departmentIds: string[];
  userIds: string[];
  dueOn: string | null;
  newHireDays: number | null;
};

export async function createAssignment(actorId: string, input: NewAssignment): Promise<string> {
  const id = randomUUID();
  await getDb().transaction(async (tx) => {
    await tx.insert(assignments).values({
      id,
      trackId: input.trackId,
      scope: input.scope,
      dueOn: input.dueOn,
      newHireDays: input.newHireDays,
      createdById: actorId,
    });
    if (input.scope === "departments" && input.departmentIds.length > 0) {
      await tx.insert(assignmentDepartments).values(input.departmentIds.map((departmentId) => ({ assignmentId: id, departmentId })));
    }
    if (input.scope === "people" && input.userIds.length > 0) {
      await tx.insert(assignmentPeople).values(input.userIds.map((userId) => ({ assignmentId: id, userId })));
    }
    await tx.insert(auditLog).values({
      actorId,
      action: "assignment.create",
      targetType: "assignment",
      targetId: id,
      details: {
        trackId: input.trackId,
        scope: input.scope,
        departments: input.departmentIds.length,
        people: input.userIds.length,
        dueOn: input.dueOn,
        newHireDays: input.newHireDays,
      },
    });
  });
  return id;
}

/** Withdraws an assignment (kept for the record). False when it was already withdrawn or never existed. */
export async function withdrawAssignment(actorId: string, assignmentId: string, now = new Date()): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const done = await tx
      .update(assignments)
      .set({ withdrawnAt: now, withdrawnById: actorId })
      .where(and(eq(assignments.id, assignmentId), isNull(assignments.withdrawnAt)))
      .returning({ id: assignments.id, trackId: assignments.trackId });
    if (done.length === 0) return false;
    await tx.insert(auditLog).values({
      actorId,
      action: "assignment.withdraw",
      targetType: "assignment",
      targetId: assignmentId,
      details: { trackId: done[0]!.trackId },
    });
    return true;
  });
}

export type AssignmentListItem = {
  id: string;
  trackId: string;
  scope: AssignmentScope;
  dueOn: string | null;
  newHireDays: number | null;
  createdAt: Date;
  /** Null when the account that made it was deleted. */
  createdBy: PersonNameFields | null;
  departments: { id: string; nameJa: string; nameEn: string }[];
  people: number;
  /** Active people it reaches today. */
  reach: number;
};

/** The live assignments, newest first, with what each reaches today. */
export async function listAssignments(): Promise<AssignmentListItem[]> {
  const db = getDb();
  const rows = await db
    .select({
      id: assignments.id,
      trackId: assignments.trackId,
      scope: assignments.scope,
      dueOn: assignments.dueOn,
      newHireDays: assignments.newHireDays,
      createdAt: assignments.createdAt,
      createdBy: personNameColumns,
    })
    .from(assignments)
    .leftJoin(users, eq(users.id, assignments.createdById))
    .where(isNull(assignments.withdrawnAt))
    .orderBy(desc(assignments.createdAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [depts, people, reach] = await Promise.all([
    db
      .select({ assignmentId: assignmentDepartments.assignmentId, id: departments.id, nameJa: departments.nameJa, nameEn: departments.nameEn })
      .from(assignmentDepartments)
      .innerJoin(departments, eq(departments.id, assignmentDepartments.departmentId))
      .where(inArray(assignmentDepartments.assignmentId, ids)),
    db
      .select({ assignmentId: assignmentPeople.assignmentId, n: sql<number>`count(*)::int` })
      .from(assignmentPeople)
      .where(inArray(assignmentPeople.assignmentId, ids))
      .groupBy(assignmentPeople.assignmentId),
    reachOf(ids),
  ]);
  return rows.map((r) => ({
    ...r,
    createdBy: r.createdBy?.familyName ? r.createdBy : null,
    departments: depts.filter((d) => d.assignmentId === r.id).map(({ id, nameJa, nameEn }) => ({ id, nameJa, nameEn })),
    people: people.find((p) => p.assignmentId === r.id)?.n ?? 0,
    reach: reach.get(r.id) ?? 0,
  }));
}

/** How many active people each assignment reaches today. */
async function reachOf(ids: string[]): Promise<Map<string, number>> {
  const result = await getDb().execute(sql`
    with recursive tree(assignment_id, department_id) as (
      select ad.assignment_id, ad.department_id from ${assignmentDepartments} ad where ad.assignment_id = any(${textArray(ids)})
      union
      select tree.assignment_id, d.id from ${departments} d join tree on d.parent_id = tree.department_id
    )
    select a.id, (case a.scope
      when 'everyone' then (select count(*) from ${users} u where u.active)
      when 'people' then (select count(*) from ${assignmentPeople} ap join ${users} u on u.id = ap.user_id and u.active where ap.assignment_id = a.id)
      else (select count(*) from ${users} u where u.active and u.department_id in (select department_id from tree where tree.assignment_id = a.id))
    end)::int as n
    from ${assignments} a where a.id = any(${textArray(ids)})`);
  return new Map(rowsOf<{ id: string; n: number }>(result).map((r) => [r.id, Number(r.n)]));
}

/**
 * The people a pasted list names, by employee number (as text, leading zeros kept) or email (any case).
 * Inactive people are found too but reported apart: an assignment never reaches them while inactive.
 */
export async function resolvePeople(identifiers: string[]): Promise<{ userIds: string[]; unknown: string[]; inactive: string[] }> {
  if (identifiers.length === 0) return { userIds: [], unknown: [], inactive: [] };
  const emails = identifiers.filter((i) => i.includes("@")).map((i) => i.toLowerCase());
  const numbers = identifiers.filter((i) => !i.includes("@"));
  const rows = await getDb()
    .select({ id: users.id, email: users.email, employeeNumber: users.employeeNumber, active: users.active })
    .from(users)
    .where(
      sql`(${emails.length ? sql`lower(${users.email}) = any(${textArray(emails)})` : sql`false`})
        or (${numbers.length ? sql`${users.employeeNumber} = any(${textArray(numbers)})` : sql`false`})`,
    );
  const byKey = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    byKey.set(row.email.toLowerCase(), row);
    if (row.employeeNumber) byKey.set(row.employeeNumber, row);
  }
  const userIds = new Set<string>();
  const unknown: string[] = [];
  const inactive: string[] = [];
  for (const identifier of identifiers) {
    const row = byKey.get(identifier.includes("@") ? identifier.toLowerCase() : identifier);
    if (!row) unknown.push(identifier);
    else {
      userIds.add(row.id);
      if (!row.active) inactive.push(identifier);
    }
  }
  return { userIds: [...userIds], unknown, inactive };
}
