import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { certificates, departments, users } from "#db/schema";
import { getCurrentRelease, type LoadedRelease } from "~/content/release.server";
import type { Tool } from "~/content/types";
import { inReportingLineOf } from "~/org/reports.server";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { decideAccess, type CertificateInput } from "./decision";

/**
 * Who may use a tool, for HR (the company or a department with its sub-departments) and for a
 * manager (their reporting line, nobody else): the same decision as the API, for each active person
 * in scope, from one query for the people and one for their certificates of the tool's tracks.
 */

export type RosterScope = { kind: "company"; departmentId: string | null } | { kind: "team"; managerId: string };

export type MissingTrack = { trackId: string; reason: "no-certificate" | "certificate-expired" | "certificate-revoked" | "unknown-track" };

export type RosterRow = PersonNameFields & {
  id: string;
  email: string;
  employeeNumber: string | null;
  departmentNameJa: string | null;
  departmentNameEn: string | null;
  allowed: boolean;
  validUntil: string | null;
  /** Allowed, but the certificate access ends with is in its recertification window. */
  recertificationDue: boolean;
  missing: MissingTrack[];
};

export type Roster = {
  tool: Tool;
  release: number;
  rows: RosterRow[];
  counts: { people: number; allowed: number; notAllowed: number; recertificationDue: number; byReason: Record<MissingTrack["reason"], number> };
};

export type RosterResult = { kind: "roster"; roster: Roster } | { kind: "unknown-tool" } | { kind: "no-release" };

/** `users.department_id in (the department and every department below it)`. */
function inDepartmentTree(departmentId: string): SQL {
  return sql`${users.departmentId} in (
    with recursive tree(id) as (
      select d.id from ${departments} d where d.id = ${departmentId}
      union
      select d.id from ${departments} d join tree on d.parent_id = tree.id
    )
    select id from tree
  )`;
}

function scopeCondition(scope: RosterScope): SQL | undefined {
  if (scope.kind === "team") return inReportingLineOf(scope.managerId);
  return scope.departmentId ? inDepartmentTree(scope.departmentId) : undefined;
}

export async function toolRoster(toolId: string, scope: RosterScope, now = new Date()): Promise<RosterResult> {
  const release = await getCurrentRelease();
  if (!release) return { kind: "no-release" };
  const tool = release.tools.get(toolId);
  if (!tool) return { kind: "unknown-tool" };
  return { kind: "roster", roster: await rosterOf(release, tool, scope, now) };
}

async function rosterOf(release: LoadedRelease, tool: Tool, scope: RosterScope, now: Date): Promise<Roster> {
  const db = getDb();
  const condition = scopeCondition(scope);
  const people = await db
    .select({
      id: users.id,
      email: users.email,
      employeeNumber: users.employeeNumber,
      ...personNameColumns,
      departmentNameJa: departments.nameJa,
      departmentNameEn: departments.nameEn,
    })
    .from(users)
    .leftJoin(departments, eq(users.departmentId, departments.id))
    .where(condition ? and(eq(users.active, true), condition) : eq(users.active, true))
    .orderBy(asc(users.familyNameKana), asc(users.givenNameKana), asc(users.email));

  const byPerson = new Map<string, Map<string, CertificateInput[]>>();
  if (people.length > 0 && tool.requiredTracks.length > 0) {
    const certs = await db
      .select({ userId: certificates.userId, id: certificates.id, number: certificates.number, trackId: certificates.trackId, validUntil: certificates.validUntil, revokedAt: certificates.revokedAt })
      .from(certificates)
      .innerJoin(users, eq(users.id, certificates.userId))
      .where(and(inArray(certificates.trackId, [...tool.requiredTracks]), eq(users.active, true), ...(condition ? [condition] : [])));
    for (const c of certs) {
      const tracks = byPerson.get(c.userId) ?? new Map<string, CertificateInput[]>();
      const list = tracks.get(c.trackId) ?? [];
      list.push({ id: c.id, number: c.number, validUntil: new Date(c.validUntil), revokedAt: c.revokedAt ? new Date(c.revokedAt) : null });
      tracks.set(c.trackId, list);
      byPerson.set(c.userId, tracks);
    }
  }

  const counts: Roster["counts"] = {
    people: people.length,
    allowed: 0,
    notAllowed: 0,
    recertificationDue: 0,
    byReason: { "no-certificate": 0, "certificate-expired": 0, "certificate-revoked": 0, "unknown-track": 0 },
  };
  const rows: RosterRow[] = people.map((p) => {
    const decision = decideAccess({ person: { active: true }, tool, certificatesByTrack: byPerson.get(p.id) ?? new Map(), release, now });
    const missing: MissingTrack[] = decision.reasons.flatMap((r) =>
      r.kind === "no-certificate" || r.kind === "certificate-expired" || r.kind === "certificate-revoked" || r.kind === "unknown-track"
        ? [{ trackId: r.trackId, reason: r.kind }]
        : [],
    );
    const recertificationDue = decision.allowed && decision.recertificationDue.some((d) => d.validUntil === decision.validUntil);
    if (decision.allowed) counts.allowed++;
    else counts.notAllowed++;
    if (recertificationDue) counts.recertificationDue++;
    for (const m of missing) counts.byReason[m.reason]++;
    return { ...p, allowed: decision.allowed, validUntil: decision.validUntil, recertificationDue, missing };
  });
  return { tool, release: release.number, rows, counts };
}

/** The departments HR can narrow a roster to, by code. */
export async function departmentChoices(): Promise<{ id: string; code: string; nameJa: string; nameEn: string }[]> {
  return getDb()
    .select({ id: departments.id, code: departments.code, nameJa: departments.nameJa, nameEn: departments.nameEn })
    .from(departments)
    .orderBy(asc(departments.code));
}
