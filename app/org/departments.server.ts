import { asc } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { departments } from "#db/schema";

export type OutlineDepartment = { id: string; code: string; nameJa: string; nameEn: string; depth: number };

/**
 * Every department in the order of the org chart: each followed by the ones below it (by code),
 * with its depth for indenting. A parent cycle in stored data cannot loop: departments it leaves out
 * are appended at depth 0.
 */
export async function departmentOutline(): Promise<OutlineDepartment[]> {
  const rows = await getDb()
    .select({ id: departments.id, code: departments.code, nameJa: departments.nameJa, nameEn: departments.nameEn, parentId: departments.parentId })
    .from(departments)
    .orderBy(asc(departments.code));
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, typeof rows>();
  for (const row of rows) {
    const parent = row.parentId && ids.has(row.parentId) ? row.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const out: OutlineDepartment[] = [];
  const placed = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const row of children.get(parent) ?? []) {
      if (placed.has(row.id)) continue;
      placed.add(row.id);
      out.push({ id: row.id, code: row.code, nameJa: row.nameJa, nameEn: row.nameEn, depth });
      visit(row.id, depth + 1);
    }
  };
  visit(null, 0);
  for (const row of rows) if (!placed.has(row.id)) out.push({ id: row.id, code: row.code, nameJa: row.nameJa, nameEn: row.nameEn, depth: 0 });
  return out;
}
