/**
 * A manager's team, for the page /team and its CSV: the people in the reporting line (direct and
 * indirect, nobody else) × the tracks assigned to them in the current release, with each person's
 * standing, certificate expiry and the AI tools they may use.
 *
 * Built for large reporting lines: one query orders the whole team by "who needs attention first",
 * counts the summary and picks a page of people (all aggregated in SQL over the assignments query);
 * then a page's people get their details, cells and tool decisions from one query each — never a
 * query per person. The same order and counts are written as pure rules in `team-view.ts`.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, rowsOf, type Database, type Transaction } from "#db/client.server";
import { certificates, departments, users } from "#db/schema";
import { decideAccess, type CertificateInput } from "~/access/decision";
import { tokyoDay, type AssignmentStatus } from "~/assignments/assignment-status";
import { assignmentRowsSql } from "~/assignments/assignments.server";
import { isInRecertificationWindow } from "~/certification/validity";
import type { LoadedRelease } from "~/content/release.server";
import type { Language } from "~/i18n/languages";
import { inReportingLineOfAmong } from "~/org/reports.server";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { attentionItems, DUE_SOON_DAYS, type AttentionItem, type TeamCell, type TeamStatusFilter, type TeamSummary } from "./team-view";

/** A row of `assignmentRowsSql` as the database returns it. */
type RawAssignmentRow = { user_id: string; track_id: string; due_on: string; certified_until: number | string | null; status: AssignmentStatus };

export type TeamFilter = { status: TeamStatusFilter | null; track: string | null };

export type TeamPerson = PersonNameFields & {
  id: string;
  email: string;
  employeeNumber: string | null;
  departmentNameJa: string | null;
  departmentNameEn: string | null;
  /** A direct report of the manager asking; otherwise `reportsTo` names their own manager. */
  direct: boolean;
  reportsTo: (PersonNameFields & { id: string }) | null;
  /** By track id, only the tracks assigned to the person. */
  cells: Record<string, TeamCell>;
  attention: AttentionItem[];
  /** The tools of the release the person may use now (ids, in catalog order). */
  tools: string[];
};

export type TeamOrder = {
  summary: TeamSummary;
  /** Tracks assigned to anyone in the team (in the current release), in the release's order. */
  trackIds: string[];
  /** People matching the filter. */
  matching: number;
  /** Their ids, most in need of attention first (a page of them, or all when no limit is given). */
  ids: string[];
};

/**
 * Runs the team's reads in one read-only transaction with PostgreSQL's JIT compiler off. The planner
 * cannot estimate a recursive reporting-line query (it guesses millions of rows), so on a server
 * database it JIT-compiles the plan: 1–3 s of compiling for a query that runs in milliseconds.
 * (PGlite has no JIT; the setting is accepted and does nothing.)
 */
function withoutJit<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return fn(tx);
  });
}

function textArray(values: readonly string[]) {
  return values.length === 0 ? sql`array[]::text[]` : sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}

function intArray(values: readonly number[]) {
  return values.length === 0 ? sql`array[]::int[]` : sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::int[]`;
}

/** The status filter as a condition on a row of `cells` (the same rule as `cellMatches`). */
function cellCondition(status: TeamStatusFilter, today: string) {
  switch (status) {
    case "due-soon":
      return sql`(status in ('not-started', 'in-progress') and due_on >= ${today}::date and due_on <= ${today}::date + ${DUE_SOON_DAYS}::int)`;
    case "expiring":
      return sql`expiring`;
    default:
      return sql`status = ${status}`;
  }
}

/**
 * The team in "who needs attention first" order, with the summary over everyone and the tracks in
 * use; `limit`/`offset` pick a page (the CSV takes all). One statement.
 */
export async function teamOrder(
  managerId: string,
  release: LoadedRelease | null,
  filter: TeamFilter,
  now: Date,
  page?: { limit: number; offset: number },
  db?: Database | Transaction,
): Promise<TeamOrder> {
  if (!db) return withoutJit((tx) => teamOrder(managerId, release, filter, now, page, tx));
  const today = tokyoDay(now);
  const tracks = [...(release?.tracks.values() ?? [])];
  const releaseTrackIds = tracks.map((t) => t.id);
  const trackCondition = filter.track ? sql`where track_id = ${filter.track}` : sql``;
  const match = filter.status ? sql`coalesce(bool_or(${cellCondition(filter.status, today)}), false)` : sql`true`;
  // With a track chosen, people not assigned it are not listed; with a status, only people with a cell in it.
  const listed = filter.track || filter.status ? sql`r.matches` : sql`true`;
  const paging = page ? sql`limit ${page.limit} offset ${page.offset}` : sql``;
  // The reporting line is found once, carrying what the standings and the order need (`team`: its active
  // people), so the assignments query starts from it instead of finding the people again. Each step looks
  // up the reports of the people found so far by the manager_id index (`offset 0` keeps the planner from
  // hashing the whole users table instead: it cannot estimate a recursive query). `union` stops at a cycle.
  const result = await db.execute(sql`
    with recursive line as (
      select u.id, u.active, u.department_id, u.created_at, u.email, u.family_name_kana, u.given_name_kana
      from ${users} u where u.manager_id = ${managerId}
      union
      select r.* from line cross join lateral (
        select u.id, u.active, u.department_id, u.created_at, u.email, u.family_name_kana, u.given_name_kana
        from ${users} u where u.manager_id = line.id offset 0
      ) r
    ),
    team as materialized (
      select id, department_id, created_at, email, family_name_kana, given_name_kana from line where active and id <> ${managerId}
    ),
    ar as (${assignmentRowsSql(release, { kind: "cte", name: "team" }, now, releaseTrackIds)}),
    win(track_id, window_days) as (
      select * from unnest(${textArray(releaseTrackIds)}, ${intArray(tracks.map((t) => t.recertificationWindowDays))})
    ),
    cells as (
      select ar.user_id, ar.track_id, ar.status, ar.due_on::date as due_on, ar.certified_until,
        (ar.status = 'certified' and ar.certified_until is not null and win.window_days > 0
          and (to_timestamp(ar.certified_until / 1000.0) at time zone 'Asia/Tokyo')::date - (win.window_days - 1) <= ${today}::date) as expiring
      from ar left join win on win.track_id = ar.track_id
    ),
    per as (
      select user_id,
        min(due_on) filter (where status = 'overdue') as first_overdue,
        min(due_on) filter (where status in ('not-started', 'in-progress')) as next_due,
        min(certified_until) filter (where expiring) as first_expiry,
        coalesce(bool_or(status in ('not-started', 'in-progress') and due_on >= ${today}::date and due_on <= ${today}::date + ${DUE_SOON_DAYS}::int), false) as due_soon,
        ${match} as matches
      from cells ${trackCondition}
      group by user_id
    ),
    ranked as (
      select t.id, t.email, t.family_name_kana, t.given_name_kana,
        per.first_overdue, per.next_due, per.first_expiry, coalesce(per.due_soon, false) as due_soon, coalesce(per.matches, false) as matches,
        case when per.first_overdue is not null then 0 when per.next_due is not null then 1 when per.first_expiry is not null then 2 else 3 end as grp
      from team t left join per on per.user_id = t.id
    )
    select
      (select count(*) from ranked)::int as people,
      (select count(*) from ranked where first_overdue is not null)::int as overdue,
      (select count(*) from ranked where due_soon)::int as due_soon,
      (select count(*) from ranked where first_expiry is not null)::int as expiring,
      (select count(*) from ranked r where ${listed})::int as matching,
      (select coalesce(array_agg(distinct track_id), array[]::text[]) from cells) as track_ids,
      -- an array built from an ordered sub-select keeps its order (a top-N sort for a page)
      array(
        select r.id from ranked r where ${listed}
        order by r.grp,
          case r.grp when 0 then r.first_overdue when 1 then r.next_due end,
          case when r.grp = 2 then r.first_expiry end,
          r.family_name_kana collate "C", r.given_name_kana collate "C", r.email collate "C", r.id collate "C"
        ${paging}
      ) as ids
  `);
  const [row] = rowsOf<{ people: number; overdue: number; due_soon: number; expiring: number; matching: number; track_ids: string[]; ids: string[] }>(result);
  const inTeam = new Set(row?.track_ids ?? []);
  return {
    summary: { people: Number(row?.people ?? 0), overdue: Number(row?.overdue ?? 0), dueSoon: Number(row?.due_soon ?? 0), expiring: Number(row?.expiring ?? 0) },
    trackIds: releaseTrackIds.filter((id) => inTeam.has(id)),
    matching: Number(row?.matching ?? 0),
    ids: row?.ids ?? [],
  };
}

/**
 * The details of some people of a manager's team, in the order given: names, department, who they
 * report to, their cells (tracks of the release), what needs attention and the tools they may use.
 * Anyone not (or no longer) in the manager's reporting line, or inactive, is left out.
 */
export async function teamPeople(managerId: string, ids: readonly string[], release: LoadedRelease | null, now: Date, db?: Database | Transaction): Promise<TeamPerson[]> {
  if (ids.length === 0) return [];
  if (!db) return withoutJit((tx) => teamPeople(managerId, ids, release, now, tx));
  const boss = alias(users, "boss");
  const list = [...ids];
  // One after the other: on PGlite a transaction is a single connection.
  const people = await db
      .select({
        id: users.id,
        email: users.email,
        employeeNumber: users.employeeNumber,
        managerId: users.managerId,
        ...personNameColumns,
        departmentNameJa: departments.nameJa,
        departmentNameEn: departments.nameEn,
        bossId: boss.id,
        bossFamilyName: boss.familyName,
        bossGivenName: boss.givenName,
        bossFamilyNameKana: boss.familyNameKana,
        bossGivenNameKana: boss.givenNameKana,
        bossFamilyNameLatin: boss.familyNameLatin,
        bossGivenNameLatin: boss.givenNameLatin,
      })
      .from(users)
      .leftJoin(departments, eq(users.departmentId, departments.id))
      .leftJoin(boss, eq(boss.id, users.managerId))
      .where(and(inArray(users.id, list), eq(users.active, true), inReportingLineOfAmong(managerId, list)));
  const rows = rowsOf<RawAssignmentRow>(await db.execute(sql`select * from (${assignmentRowsSql(release, { kind: "people", userIds: list }, now)}) as ar`)).map(
    (r) => ({ userId: r.user_id, trackId: r.track_id, dueOn: r.due_on, status: r.status, certifiedUntil: r.certified_until === null ? null : new Date(Number(r.certified_until)) }),
  );
  const certs = await certificatesForTools(db, list, release);
  const today = tokyoDay(now);
  const cellsByPerson = new Map<string, Record<string, TeamCell>>();
  for (const r of rows) {
    const track = release?.tracks.get(r.trackId);
    if (!track) continue;
    const cells = cellsByPerson.get(r.userId) ?? {};
    cells[r.trackId] = {
      trackId: r.trackId,
      status: r.status,
      dueOn: r.dueOn,
      certifiedUntil: r.certifiedUntil ? r.certifiedUntil.toISOString() : null,
      expiringSoon:
        r.status === "certified" && r.certifiedUntil !== null && isInRecertificationWindow({ validUntil: r.certifiedUntil, revokedAt: null }, track.recertificationWindowDays, now),
    };
    cellsByPerson.set(r.userId, cells);
  }
  const tools = [...(release?.tools.values() ?? [])];
  const byId = new Map(
    people.map((p) => {
      const cells = cellsByPerson.get(p.id) ?? {};
      const allowed = release
        ? tools.filter((tool) => decideAccess({ person: { active: true }, tool, certificatesByTrack: certs.get(p.id) ?? new Map(), release, now }).allowed).map((t) => t.id)
        : [];
      const person: TeamPerson = {
        id: p.id,
        email: p.email,
        employeeNumber: p.employeeNumber,
        familyName: p.familyName,
        givenName: p.givenName,
        familyNameKana: p.familyNameKana,
        givenNameKana: p.givenNameKana,
        familyNameLatin: p.familyNameLatin,
        givenNameLatin: p.givenNameLatin,
        departmentNameJa: p.departmentNameJa,
        departmentNameEn: p.departmentNameEn,
        direct: p.managerId === managerId,
        reportsTo:
          p.managerId !== managerId && p.bossId
            ? {
                id: p.bossId,
                familyName: p.bossFamilyName!,
                givenName: p.bossGivenName!,
                familyNameKana: p.bossFamilyNameKana,
                givenNameKana: p.bossGivenNameKana,
                familyNameLatin: p.bossFamilyNameLatin,
                givenNameLatin: p.bossGivenNameLatin,
              }
            : null,
        cells,
        attention: attentionItems(Object.values(cells), today),
        tools: allowed,
      };
      return [p.id, person] as const;
    }),
  );
  return list.flatMap((id) => byId.get(id) ?? []);
}

/** The people's certificates of every track a tool of the release requires, by person and track (one query). */
async function certificatesForTools(db: Database | Transaction, userIds: string[], release: LoadedRelease | null): Promise<Map<string, Map<string, CertificateInput[]>>> {
  const out = new Map<string, Map<string, CertificateInput[]>>();
  const required = [...new Set([...(release?.tools.values() ?? [])].flatMap((t) => t.requiredTracks))];
  if (userIds.length === 0 || required.length === 0) return out;
  const rows = await db
    .select({ userId: certificates.userId, id: certificates.id, number: certificates.number, trackId: certificates.trackId, validUntil: certificates.validUntil, revokedAt: certificates.revokedAt })
    .from(certificates)
    .where(and(inArray(certificates.userId, userIds), inArray(certificates.trackId, required)));
  for (const c of rows) {
    const tracks = out.get(c.userId) ?? new Map<string, CertificateInput[]>();
    const list = tracks.get(c.trackId) ?? [];
    list.push({ id: c.id, number: c.number, validUntil: new Date(c.validUntil), revokedAt: c.revokedAt ? new Date(c.revokedAt) : null });
    tracks.set(c.trackId, list);
    out.set(c.userId, tracks);
  }
  return out;
}

export type TeamPage = TeamOrder & { page: number; pages: number; people: TeamPerson[] };

/** One page of the team view. */
export async function teamPage(managerId: string, release: LoadedRelease | null, filter: TeamFilter, page: number, pageSize: number, now = new Date()): Promise<TeamPage> {
  return withoutJit(async (tx) => {
    const order = await teamOrder(managerId, release, filter, now, { limit: pageSize, offset: (page - 1) * pageSize }, tx);
    const people = await teamPeople(managerId, order.ids, release, now, tx);
    return { ...order, page, pages: Math.max(1, Math.ceil(order.matching / pageSize)), people };
  });
}

/** Everyone matching the filter, a chunk at a time (for the CSV: flat memory, queries per chunk, not per person). */
export async function* teamPeopleChunks(managerId: string, release: LoadedRelease | null, filter: TeamFilter, now: Date, chunkSize = 500): AsyncGenerator<TeamPerson[]> {
  const { ids } = await teamOrder(managerId, release, filter, now);
  for (let i = 0; i < ids.length; i += chunkSize) {
    yield await teamPeople(managerId, ids.slice(i, i + chunkSize), release, now);
  }
}

/** The tools' and tracks' names in the viewer's language, for the page and the CSV. */
export function teamLabels(release: LoadedRelease | null, lang: Language) {
  return {
    tracks: Object.fromEntries([...(release?.tracks.values() ?? [])].map((t) => [t.id, t.title[lang]])),
    tools: Object.fromEntries([...(release?.tools.values() ?? [])].map((t) => [t.id, t.name[lang]])),
  };
}
