import { count, eq } from "drizzle-orm";
import { hashPassword } from "~/auth/password.server";
import type { Database } from "../client.server";
import { addDaysTo, tokyoDay } from "~/assignments/assignment-status";
import { assignmentDepartments, assignments, departments, users } from "../schema";
import { DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_PEOPLE } from "./demo-org";

export async function isOrganisationEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row?.n ?? 0) === 0;
}

/** Inserts the demo company in one transaction. Does nothing if anyone already exists. */
export async function seedDemoOrganisation(db: Database): Promise<{ seeded: boolean; people: number }> {
  if (!(await isOrganisationEmpty(db))) return { seeded: false, people: 0 };
  const hashes = await Promise.all(DEMO_PEOPLE.map(() => hashPassword(DEMO_PASSWORD)));
  await db.transaction(async (tx) => {
    await tx.insert(departments).values(DEMO_DEPARTMENTS).onConflictDoNothing();
    // Insert without managers first, then link the reporting lines.
    await tx.insert(users).values(
      DEMO_PEOPLE.map((p, i) => ({
        id: `demo-${p.key}`,
        email: p.email,
        passwordHash: hashes[i],
        displayName: /[\u3040-\u30ff\u4e00-\u9fff]/.test(p.family) ? `${p.family} ${p.given}` : `${p.given} ${p.family}`,
        familyName: p.family,
        givenName: p.given,
        familyNameKana: p.familyKana,
        givenNameKana: p.givenKana,
        // Romanised names for people whose names are written in Japanese script (English shows them).
        familyNameLatin: p.family === p.familyEn ? null : p.familyEn,
        givenNameLatin: p.given === p.givenEn ? null : p.givenEn,
        employeeNumber: `E${String(10001 + i)}`,
        departmentId: p.department,
        preferredLanguage: p.language ?? null,
        roles: p.roles ?? [],
      })),
    );
    for (const p of DEMO_PEOPLE.filter((p) => p.manager)) {
      await tx.update(users).set({ managerId: `demo-${p.manager}` }).where(eq(users.id, `demo-${p.key}`));
    }
    // Two assignments, so the HR dashboard and the learners' home pages have something to show:
    // AI Safe Use for everyone within two months, AI Practitioner for the two technical departments.
    const hr = DEMO_PEOPLE.find((p) => p.roles?.includes("hr"));
    const today = tokyoDay(new Date());
    await tx.insert(assignments).values([
      { id: "demo-assign-safe-use", trackId: "ai-safe-use", scope: "everyone", dueOn: addDaysTo(today, 60), newHireDays: 30, createdById: hr ? `demo-${hr.key}` : null },
      { id: "demo-assign-practitioner", trackId: "ai-practitioner", scope: "departments", dueOn: addDaysTo(today, 120), newHireDays: null, createdById: hr ? `demo-${hr.key}` : null },
    ]);
    await tx.insert(assignmentDepartments).values([
      { assignmentId: "demo-assign-practitioner", departmentId: "dept-product" },
      { assignmentId: "demo-assign-practitioner", departmentId: "dept-dx" },
    ]);
  });
  return { seeded: true, people: DEMO_PEOPLE.length };
}
