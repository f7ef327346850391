/** What HR reads about one person's certification: who they are and their course exemptions. */
import { desc, eq } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { courseExemptions, departments, users } from "#db/schema";

export type HrPerson = PersonNameFields & {
  id: string;
  email: string;
  departmentNameJa: string | null;
  departmentNameEn: string | null;
  active: boolean;
};

export async function personForHr(userId: string): Promise<HrPerson | null> {
  if (userId.length > 200) return null;
  const [row] = await getDb()
    .select({
      id: users.id,
      email: users.email,
      ...personNameColumns,
      departmentNameJa: departments.nameJa,
      departmentNameEn: departments.nameEn,
      active: users.active,
    })
    .from(users)
    .leftJoin(departments, eq(users.departmentId, departments.id))
    .where(eq(users.id, userId));
  return row ?? null;
}

export type ExemptionRow = { id: number; trackId: string; reason: string; createdAt: Date; revokedAt: Date | null };

/** A person's course exemptions, newest first. */
export async function exemptionsOf(userId: string): Promise<ExemptionRow[]> {
  const rows = await getDb()
    .select({
      id: courseExemptions.id,
      trackId: courseExemptions.trackId,
      reason: courseExemptions.reason,
      createdAt: courseExemptions.createdAt,
      revokedAt: courseExemptions.revokedAt,
    })
    .from(courseExemptions)
    .where(eq(courseExemptions.userId, userId))
    .orderBy(desc(courseExemptions.createdAt), desc(courseExemptions.id));
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt), revokedAt: r.revokedAt ? new Date(r.revokedAt) : null }));
}
