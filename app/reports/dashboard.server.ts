/**
 * The HR dashboard and the lists of people behind its numbers. Every figure is an SQL aggregate over
 * `assignmentRowsSql` (one row per active person and assigned track, with their standing), computed
 * once per page in one statement — never the 50,000 rows in JavaScript.
 *
 * Department breakdown: the top-level departments, or the departments directly under the one filtered
 * on; each group counts its sub-departments. People directly in the filtered department (or in none)
 * form a group of their own, so the groups always add up to the total.
 *
 * Completion over time: among the people assigned the track today, the share who held a valid
 * certificate of it (passed, not yet expired, not revoked at that time) at the end of each of the last
 * weeks. Honest about expiry and revocation; it does not replay past assignments or past departments.
 */
import { sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf } from "#db/client.server";
import { auditLog, departments, users } from "#db/schema";
import type { AssignmentStatus } from "~/assignments/assignment-status";
import { assignmentRowsSql, type PeopleFilter } from "~/assignments/assignments.server";
import type { LoadedRelease } from "~/content/release.server";
import type { PersonNameFields } from "~/org/person-name-columns.server";
import { addCount, emptyCounts, EXPIRY_WINDOWS, SERIES_WEEKS, weeklyPoints, type ExpiryWindow, type StatusCounts } from "./dashboard-figures";

const DAY_MS = 86_400_000;

export type DepartmentGroup = {
  /** A department id (with its sub-departments), "direct" (in the filtered department itself) or "none". */
  key: string;
  code: string | null;
  nameJa: string | null;
  nameEn: string | null;
  counts: StatusCounts;
};

export type Dashboard = {
  tracks: { trackId: string; counts: StatusCounts }[];
  /** The track the charts are about (the one asked for, or the first assigned one). */
  trackId: string | null;
  groups: DepartmentGroup[];
  series: { day: string; certified: number; assigned: number }[];
  expiring: Record<ExpiryWindow, number>;
};

function textArray(values: readonly string[]): SQL {
  return values.length === 0 ? sql`array[]::text[]` : sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}

const scopeOf = (departmentId: string | null): PeopleFilter => (departmentId ? { kind: "department", departmentId } : { kind: "everyone" });

export type DashboardInput = { release: LoadedRelease; trackId: string | null; departmentId: string | null; now?: Date };

/** The dashboard's one statement (exported so the benchmark's notes can EXPLAIN it). */
export function dashboardStatement(input: DashboardInput, now: Date): SQL {
  const trackIds = [...input.release.tracks.keys()];
  const selected = input.trackId && input.release.tracks.has(input.trackId) ? input.trackId : null;
  const points = weeklyPoints(now, SERIES_WEEKS);
  const parentCondition = input.departmentId ? sql`d.parent_id = ${input.departmentId}` : sql`d.parent_id is null`;
  // The charts' track: the one asked for, else the release's first track anyone is assigned.
  const chartTrack = selected
    ? sql`(select ${selected}::text)`
    : sql`(select track_id from ar order by array_position(${textArray(trackIds)}, track_id) limit 1)`;
  const dashboardSql = sql`
    with recursive grp(id, root) as (
      select d.id, d.id from ${departments} d where ${parentCondition}
      union
      select d.id, grp.root from ${departments} d join grp on d.parent_id = grp.id
    ),
    ar as materialized (
      select x.track_id, x.status, x.certified_until, x.user_id, x.department_id
      from (${assignmentRowsSql(input.release, scopeOf(input.departmentId), now, trackIds)}) x
    ),
    chart(track_id) as (select ${chartTrack}),
    mine as materialized (select ar.* from ar join chart on chart.track_id = ar.track_id),
    points(day, at) as (select * from unnest(${textArray(points.map((p) => p.day))}, ${textArray(points.map((p) => p.at.toISOString()))}::timestamptz[]))
    select 'track' as kind, track_id as key, status, count(*)::int as n from ar group by track_id, status
    union all
    select 'group', case when grp.root is not null then grp.root when mine.department_id is null then 'none' else 'direct' end, status, count(*)::int
      from mine left join grp on grp.id = mine.department_id group by 2, status
    union all
    select 'chart', track_id, null, 0 from chart
    union all
    select 'assigned', null, null, count(*)::int from mine
    union all
    select 'point', p.day, null, count(distinct c.user_id)::int
      from points p join certificates c on c.passed_at <= p.at and c.valid_until > p.at and (c.revoked_at is null or c.revoked_at > p.at)
        join mine on mine.user_id = c.user_id and mine.track_id = c.track_id
      group by p.day
    union all
    select 'expiring', w::text, null, count(mine.user_id)::int
      from unnest(array[${sql.join(EXPIRY_WINDOWS.map((w) => sql`${w}`), sql`, `)}]::int[]) w
        left join mine on mine.certified_until is not null and mine.certified_until <= ${now.getTime()}::float8 + w * ${DAY_MS}::float8
      group by w`;
  return dashboardSql;
}

/** The dashboard for a department tree (or the company), one track's charts. */
export async function hrDashboard(input: DashboardInput): Promise<Dashboard> {
  const now = input.now ?? new Date();
  const trackIds = [...input.release.tracks.keys()];
  const selected = input.trackId && input.release.tracks.has(input.trackId) ? input.trackId : null;
  const points = weeklyPoints(now, SERIES_WEEKS);
  const dashboardSql = dashboardStatement(input, now);
  // One statement; its hash aggregates and sorts over ~100,000 (person, track) rows spill to disk at
  // PostgreSQL's default 4 MB of work memory, so this transaction allows more.
  const result = await getDb().transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    return tx.execute(dashboardSql);
  });
  const rows = rowsOf<{ kind: string; key: string | null; status: string | null; n: number | string }>(result);

  const tracks = new Map<string, StatusCounts>();
  const groups = new Map<string, StatusCounts>();
  const pointCounts = new Map<string, number>();
  const expiring = { 30: 0, 60: 0, 90: 0 } as Record<ExpiryWindow, number>;
  let chartTrackId: string | null = null;
  let assigned = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (r.kind === "track") {
      const counts = tracks.get(r.key!) ?? emptyCounts();
      addCount(counts, r.status!, n);
      tracks.set(r.key!, counts);
    } else if (r.kind === "group") {
      const counts = groups.get(r.key!) ?? emptyCounts();
      addCount(counts, r.status!, n);
      groups.set(r.key!, counts);
    } else if (r.kind === "chart") chartTrackId = r.key;
    else if (r.kind === "assigned") assigned = n;
    else if (r.kind === "point") pointCounts.set(r.key!, n);
    else if (r.kind === "expiring") expiring[Number(r.key) as ExpiryWindow] = n;
  }

  const names = await departmentNames([...groups.keys()].filter((k) => k !== "direct" && k !== "none"));
  const groupList: DepartmentGroup[] = [...groups]
    .map(([key, counts]) => ({ key, counts, code: names.get(key)?.code ?? null, nameJa: names.get(key)?.nameJa ?? null, nameEn: names.get(key)?.nameEn ?? null }))
    .sort((a, b) => rankOfGroup(a) - rankOfGroup(b) || (a.code ?? "").localeCompare(b.code ?? ""));

  return {
    tracks: trackIds.filter((id) => tracks.has(id)).map((trackId) => ({ trackId, counts: tracks.get(trackId)! })),
    trackId: chartTrackId ?? selected,
    groups: groupList,
    series: points.map((p) => ({ day: p.day, certified: pointCounts.get(p.day) ?? 0, assigned })),
    expiring,
  };
}

const rankOfGroup = (g: { key: string }) => (g.key === "direct" ? 0 : g.key === "none" ? 2 : 1);

async function departmentNames(ids: string[]): Promise<Map<string, { code: string; nameJa: string; nameEn: string }>> {
  if (ids.length === 0) return new Map();
  const result = await getDb().execute(sql`select id, code, name_ja, name_en from ${departments} where id = any(${textArray(ids)})`);
  return new Map(rowsOf<{ id: string; code: string; name_ja: string; name_en: string }>(result).map((r) => [r.id, { code: r.code, nameJa: r.name_ja, nameEn: r.name_en }]));
}

/** The department the dashboard or a list is narrowed to, with its name (null when it does not exist). */
export async function departmentById(id: string): Promise<{ id: string; code: string; nameJa: string; nameEn: string } | null> {
  const names = await departmentNames([id]);
  const found = names.get(id);
  return found ? { id, ...found } : null;
}

// ——— The people behind a number ———

export type PeopleQuery = {
  trackId: string;
  /** A department (with its sub-departments), or "none" for people in no department; null for everyone. */
  departmentId: string | "none" | null;
  /** Only people directly in the department, not in those under it. */
  direct: boolean;
  status: AssignmentStatus | null;
  expiring: ExpiryWindow | null;
};

export type ReportPerson = PersonNameFields & {
  id: string;
  email: string;
  employeeNumber: string | null;
  departmentNameJa: string | null;
  departmentNameEn: string | null;
  status: AssignmentStatus;
  dueOn: string;
  certifiedUntil: Date | null;
};

type RawPerson = {
  id: string;
  email: string;
  employee_number: string | null;
  family_name: string;
  given_name: string;
  family_name_kana: string | null;
  given_name_kana: string | null;
  family_name_latin: string | null;
  given_name_latin: string | null;
  department_name_ja: string | null;
  department_name_en: string | null;
  status: AssignmentStatus;
  due_on: string;
  certified_until: number | string | null;
  total?: number | string;
};

const toPerson = (r: RawPerson): ReportPerson => ({
  id: r.id,
  email: r.email,
  employeeNumber: r.employee_number,
  familyName: r.family_name,
  givenName: r.given_name,
  familyNameKana: r.family_name_kana,
  givenNameKana: r.given_name_kana,
  familyNameLatin: r.family_name_latin,
  givenNameLatin: r.given_name_latin,
  departmentNameJa: r.department_name_ja,
  departmentNameEn: r.department_name_en,
  status: r.status,
  dueOn: r.due_on,
  certifiedUntil: r.certified_until === null ? null : new Date(Number(r.certified_until)),
});

/** Who is counted: everyone, or a department tree; narrower conditions go in `departmentCondition`. */
function filterOf(q: PeopleQuery): PeopleFilter {
  return q.departmentId && q.departmentId !== "none" && !q.direct ? { kind: "department", departmentId: q.departmentId } : { kind: "everyone" };
}

function departmentCondition(q: PeopleQuery): SQL {
  if (q.departmentId === "none") return sql`u.department_id is null`;
  if (q.departmentId && q.direct) return sql`u.department_id = ${q.departmentId}`;
  return sql`true`;
}

function standingCondition(q: PeopleQuery, now: Date): SQL {
  const parts: SQL[] = [];
  if (q.status) parts.push(sql`ar.status = ${q.status}`);
  if (q.expiring) parts.push(sql`ar.certified_until is not null and ar.certified_until <= ${now.getTime() + q.expiring * DAY_MS}::float8`);
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `);
}

const personColumns = sql`u.id, u.email, u.employee_number, u.family_name, u.given_name, u.family_name_kana, u.given_name_kana,
  u.family_name_latin, u.given_name_latin, d.name_ja as department_name_ja, d.name_en as department_name_en,
  ar.status, ar.due_on, ar.certified_until`;

/** Kana order (family, given), then id: the order of the page and of the CSV. */
const kanaKey = sql`coalesce(u.family_name_kana, ''), coalesce(u.given_name_kana, ''), u.id`;

/** One page of the people behind a number, in kana order, with how many there are in all. */
export async function reportPeoplePage(release: LoadedRelease, q: PeopleQuery, page: { offset: number; limit: number }, now = new Date()): Promise<{ total: number; rows: ReportPerson[] }> {
  const result = await getDb().execute(sql`
    select ${personColumns}, count(*) over () as total
    from (${assignmentRowsSql(release, filterOf(q), now, [q.trackId])}) ar
      join ${users} u on u.id = ar.user_id
      left join ${departments} d on d.id = u.department_id
    where ${departmentCondition(q)} and ${standingCondition(q, now)}
    order by ${kanaKey}
    limit ${page.limit} offset ${page.offset}`);
  const rows = rowsOf<RawPerson>(result);
  // Past the last page the window count is lost: count again (rare).
  const total = rows.length > 0 ? Number(rows[0]!.total) : page.offset === 0 ? 0 : await countPeople(release, q, now);
  return { total, rows: rows.map(toPerson) };
}

async function countPeople(release: LoadedRelease, q: PeopleQuery, now: Date): Promise<number> {
  const result = await getDb().execute(sql`
    select count(*)::int as n from (${assignmentRowsSql(release, filterOf(q), now, [q.trackId])}) ar join ${users} u on u.id = ar.user_id
    where ${departmentCondition(q)} and ${standingCondition(q, now)}`);
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}

const BATCH = 1000;

/**
 * Everyone behind a number, in the page's order, a batch at a time: a batch of people in scope (keyset
 * on the kana order), then their standing for the track — so memory stays flat for 50,000 people.
 * The audit entry (`export.report-people`) is written when the stream ends, with the rows sent.
 */
export async function* reportPeopleRows(release: LoadedRelease, q: PeopleQuery, actorId: string, now = new Date()): AsyncGenerator<ReportPerson> {
  let sent = 0;
  let complete = false;
  const scope = filterOf(q);
  const scopeCondition = scope.kind === "department" ? sql`u.department_id in (
      with recursive sub(id) as (
        select d.id from ${departments} d where d.id = ${scope.departmentId}
        union
        select d.id from ${departments} d join sub on d.parent_id = sub.id
      ) select id from sub)` : sql`true`;
  try {
    let after: { family: string; given: string; id: string } | null = null;
    for (;;) {
      const keyset: SQL = after ? sql`(coalesce(u.family_name_kana, ''), coalesce(u.given_name_kana, ''), u.id) > (${after.family}, ${after.given}, ${after.id})` : sql`true`;
      const idsResult: unknown = await getDb().execute(sql`
        select u.id, coalesce(u.family_name_kana, '') as family, coalesce(u.given_name_kana, '') as given from ${users} u
        where u.active and ${scopeCondition} and ${departmentCondition(q)} and ${keyset}
        order by ${kanaKey} limit ${BATCH}`);
      const batch: { id: string; family: string; given: string }[] = rowsOf<{ id: string; family: string; given: string }>(idsResult);
      if (batch.length === 0) break;
      const result = await getDb().execute(sql`
        select ${personColumns}
        from (${assignmentRowsSql(release, { kind: "people", userIds: batch.map((b) => b.id) }, now, [q.trackId])}) ar
          join ${users} u on u.id = ar.user_id
          left join ${departments} d on d.id = u.department_id
        where ${standingCondition(q, now)}
        order by ${kanaKey}`);
      for (const row of rowsOf<RawPerson>(result)) {
        sent++;
        yield toPerson(row);
      }
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1]!;
    }
    complete = true;
  } finally {
    await getDb()
      .insert(auditLog)
      .values({
        actorId,
        action: "export.report-people",
        targetType: "track",
        targetId: q.trackId,
        details: { rows: sent, complete, departmentId: q.departmentId, direct: q.direct, status: q.status, expiring: q.expiring, format: "csv" },
      })
      .catch((error: unknown) => console.error("Could not write the audit entry of a report export", error));
  }
}
