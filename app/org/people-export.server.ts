/**
 * The people list as CSV rows in the org import's own columns, so an export re-imports cleanly:
 * employee numbers as text (leading zeros kept), kana readings in katakana, department by code and
 * Japanese name, manager by employee number. Read a batch at a time (keyset pagination), so memory
 * stays flat for 50,000 people; every export is written to the audit log with its row count.
 */
import { aliasedTable, and, asc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { auditLog, departments, users } from "#db/schema";
import type { CsvCell } from "~/csv/csv-writer";
import { IMPORT_COLUMNS } from "./import/validate";

export const PEOPLE_EXPORT_COLUMNS = IMPORT_COLUMNS;

const BATCH = 1000;

const toKatakana = (value: string | null) => value?.replace(/[\u3041-\u3096\u309d\u309e]/gu, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60)) ?? null;

type ExportRow = {
  id: string;
  employeeNumber: string | null;
  familyName: string;
  givenName: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  email: string;
  departmentCode: string | null;
  departmentName: string | null;
  managerEmployeeNumber: string | null;
  preferredLanguage: string | null;
  active: boolean;
};

async function batchOf(after: { numbered: boolean; key: string | null }): Promise<ExportRow[]> {
  const manager = aliasedTable(users, "manager");
  const keyset = after.numbered
    ? and(isNotNull(users.employeeNumber), after.key === null ? undefined : gt(users.employeeNumber, after.key))
    : and(isNull(users.employeeNumber), after.key === null ? undefined : gt(users.id, after.key));
  return getDb()
    .select({
      id: users.id,
      employeeNumber: users.employeeNumber,
      familyName: users.familyName,
      givenName: users.givenName,
      familyNameKana: users.familyNameKana,
      givenNameKana: users.givenNameKana,
      email: users.email,
      departmentCode: departments.code,
      departmentName: departments.nameJa,
      managerEmployeeNumber: manager.employeeNumber,
      preferredLanguage: users.preferredLanguage,
      active: users.active,
    })
    .from(users)
    .leftJoin(departments, eq(users.departmentId, departments.id))
    .leftJoin(manager, eq(users.managerId, manager.id))
    .where(keyset)
    .orderBy(after.numbered ? asc(users.employeeNumber) : asc(users.id))
    .limit(BATCH);
}

/**
 * Everyone (people with employee numbers in their order, then those without), as CSV rows. The audit
 * entry is written when the stream ends, with the rows actually sent and whether the download finished.
 */
export async function* peopleExportRows(actorId: string): AsyncGenerator<CsvCell[]> {
  let rows = 0;
  let complete = false;
  try {
    for (const numbered of [true, false]) {
      let key: string | null = null;
      for (;;) {
        const batch = await batchOf({ numbered, key });
        for (const p of batch) {
          rows++;
          yield [
            p.employeeNumber,
            p.familyName,
            p.givenName,
            toKatakana(p.familyNameKana),
            toKatakana(p.givenNameKana),
            p.email,
            p.departmentCode,
            p.departmentName,
            p.managerEmployeeNumber,
            p.preferredLanguage,
            p.active ? "true" : "false",
          ];
        }
        if (batch.length < BATCH) break;
        const last = batch[batch.length - 1]!;
        key = numbered ? last.employeeNumber : last.id;
      }
    }
    complete = true;
  } finally {
    await getDb()
      .insert(auditLog)
      .values({ actorId, action: "export.people", targetType: "people", details: { rows, complete, format: "csv" } })
      .catch((error: unknown) => console.error("Could not write the audit entry of a people export", error));
  }
}

/** How many people an export holds (for the HR page). */
export async function countPeople(): Promise<number> {
  const [row] = await getDb().select({ n: sql<number>`count(*)::int` }).from(users);
  return Number(row?.n ?? 0);
}
