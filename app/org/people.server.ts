import { asc, desc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { personNameColumns, type PersonNameFields } from "./person-name-columns.server";
import { auditLog, departments, users, type GrantedRole } from "#db/schema";
import type { Language } from "~/i18n/config";

export async function setPreferredLanguage(userId: string, language: Language): Promise<void> {
  await getDb().update(users).set({ preferredLanguage: language, updatedAt: new Date() }).where(eq(users.id, userId));
}

export type PersonRow = PersonNameFields & {
  id: string;
  email: string;
  departmentNameJa: string | null;
  departmentNameEn: string | null;
  roles: GrantedRole[];
  active: boolean;
};

/** People for the admin list, sorted by kana reading, optionally filtered by a name/email search. */
export async function listPeople(search: string | null, limit = 200): Promise<PersonRow[]> {
  const q = search?.trim();
  const pattern = q ? `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  return getDb()
    .select({
      id: users.id,
      email: users.email,
      ...personNameColumns,
      departmentNameJa: departments.nameJa,
      departmentNameEn: departments.nameEn,
      roles: users.roles,
      active: users.active,
    })
    .from(users)
    .leftJoin(departments, eq(users.departmentId, departments.id))
    .where(
      pattern
        ? or(
            ilike(users.email, pattern),
            ilike(users.familyName, pattern),
            ilike(users.givenName, pattern),
            ilike(users.familyNameKana, pattern),
            ilike(users.givenNameKana, pattern),
            ilike(sql`${users.familyName} || ${users.givenName}`, pattern),
          )
        : undefined,
    )
    .orderBy(asc(users.familyNameKana), asc(users.givenNameKana), asc(users.email))
    .limit(limit);
}

export type RoleChange = { actorId: string; targetId: string; role: GrantedRole; grant: boolean };
export type RoleChangeResult =
  | { ok: true; changed: boolean; target: { familyName: string; givenName: string } }
  | { ok: false; reason: "notFound" | "ownAdmin" };

/** Grants or removes a role, writing the change to the audit log in the same transaction. */
export async function changeRole({ actorId, targetId, role, grant }: RoleChange): Promise<RoleChangeResult> {
  if (!grant && role === "admin" && actorId === targetId) return { ok: false, reason: "ownAdmin" };
  return getDb().transaction(async (tx) => {
    const [target] = await tx
      .select({ roles: users.roles, familyName: users.familyName, givenName: users.givenName })
      .from(users)
      .where(eq(users.id, targetId))
      .for("update");
    if (!target) return { ok: false, reason: "notFound" } as const;
    const has = target.roles.includes(role);
    if (has === grant) return { ok: true, changed: false, target } as const;
    const roles = grant ? [...target.roles, role] : target.roles.filter((r) => r !== role);
    await tx.update(users).set({ roles, updatedAt: new Date() }).where(eq(users.id, targetId));
    await tx.insert(auditLog).values({
      actorId,
      action: grant ? "role.grant" : "role.remove",
      targetType: "user",
      targetId,
      details: { role },
    });
    return { ok: true, changed: true, target } as const;
  });
}

export type AuditRow = {
  id: number;
  action: string;
  createdAt: Date;
  details: Record<string, unknown>;
  actor: { familyName: string; givenName: string } | null;
  target: { familyName: string; givenName: string } | null;
};

export async function recentRoleChanges(limit = 20): Promise<AuditRow[]> {
  const rows = await getDb().query.auditLog.findMany({
    where: (a, { like }) => like(a.action, "role.%"),
    orderBy: [desc(auditLog.createdAt), desc(auditLog.id)],
    limit,
  });
  const ids = [...new Set(rows.flatMap((r) => [r.actorId, r.targetId]).filter((x): x is string => Boolean(x)))];
  const people = ids.length
    ? await getDb()
        .select({ id: users.id, familyName: users.familyName, givenName: users.givenName })
        .from(users)
        .where(inArray(users.id, ids))
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    createdAt: r.createdAt,
    details: r.details,
    actor: r.actorId ? (byId.get(r.actorId) ?? null) : null,
    target: r.targetId ? (byId.get(r.targetId) ?? null) : null,
  }));
}

