import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, certificates, departments, orgImports, users } from "#db/schema";
import { analyseFile, applyPendingImport, applyText, createPendingImport } from "~/org/import/org-import.server";
import { createUser } from "../helpers/factories";

const HEADER = "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active";
const file = (...rows: string[]) => [HEADER, ...rows].join("\r\n") + "\r\n";
const prefix = () => `t${Math.random().toString(36).slice(2, 7)}`;

async function person(employeeNumber: string) {
  const [row] = await getDb().select().from(users).where(eq(users.employeeNumber, employeeNumber));
  return row;
}

describe("applying an organisation file", () => {
  it("creates departments and people with their managers, employee numbers as text; a second run changes nothing", async () => {
    const p = prefix();
    const text = file(
      // Reports before their managers: the import orders the inserts itself.
      `00${p}3,佐藤,次郎,サトウ,ジロウ,${p}.jiro@example.com,${p}-S,営業部,${p}002,,true`,
      `${p}002,髙﨑,花子,タカサキ,ハナコ,${p}.hanako@example.com,${p}-S,営業部,${p}001,en,true`,
      `${p}001,山田,太郎,ヤマダ,タロウ,${p}.boss@example.com,${p}-S,営業部,,ja,true`,
    );
    const outcome = await applyText(text, { via: "command-line", confirmDeactivations: true });
    expect(outcome).toMatchObject({ kind: "applied", summary: { created: 3, newDepartments: 1 } });
    const boss = await person(`${p}001`);
    const hanako = await person(`${p}002`);
    const jiro = await person(`00${p}3`);
    expect(hanako).toMatchObject({ familyName: "髙﨑", familyNameKana: "タカサキ", managerId: boss!.id, preferredLanguage: "en", passwordHash: null, active: true });
    expect(jiro).toMatchObject({ managerId: hanako!.id, employeeNumber: `00${p}3`, preferredLanguage: null });
    const [dept] = await getDb().select().from(departments).where(eq(departments.code, `${p}-S`));
    expect(dept).toMatchObject({ nameJa: "営業部" });
    expect(jiro!.departmentId).toBe(dept!.id);

    const again = await analyseFile(Buffer.from(text));
    expect(again.plan).toMatchObject({ created: [], changed: [], newDepartments: [] });
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.action, "org.import"));
    expect(entry!.details).toMatchObject({ created: 3, via: "command-line" });
  });

  it("deactivates people missing from the file, never deletes them, and their certificates stay", async () => {
    const p = prefix();
    const base = [
      `${p}1,A,a,,,${p}1@example.com,,,,,true`,
      `${p}2,B,b,,,${p}2@example.com,,,,,true`,
    ];
    // Start from a known organisation: everyone stored so far is deactivated by this first file.
    expect(await applyText(file(...base), { via: "command-line", confirmDeactivations: true })).toMatchObject({ kind: "applied" });
    const leaver = await person(`${p}2`);
    await getDb().insert(certificates).values({
      id: `c-${p}`,
      number: `N-${p}`,
      userId: leaver!.id,
      trackId: "ai-foundations",
      source: "external",
      passedAt: new Date(),
      validUntil: new Date(Date.now() + 86_400_000),
      verificationCode: `v-${p}`,
      trackTitle: { en: "AI", ja: "AI" },
    });
    const outcome = await applyText(file(base[0]!), { via: "command-line", confirmDeactivations: true });
    expect(outcome).toMatchObject({ kind: "applied", summary: { deactivated: 1 } });
    expect(await person(`${p}2`)).toMatchObject({ id: leaver!.id, active: false });
    const kept = await getDb().select().from(certificates).where(eq(certificates.userId, leaver!.id));
    expect(kept).toHaveLength(1);
  });

  it("needs a confirmation to deactivate more than 10% of active people, and changes nothing without it", async () => {
    const p = prefix();
    const rows = Array.from({ length: 10 }, (_, i) => `${p}${i},N,n,,,${p}${i}@example.com,,,,,true`);
    await applyText(file(...rows), { via: "command-line", confirmDeactivations: true });
    const before = await getDb().select({ id: users.id }).from(users).where(eq(users.active, true));
    expect(before).toHaveLength(10);
    const outcome = await applyText(file(...rows.slice(0, 8)), { via: "command-line" });
    expect(outcome).toMatchObject({ kind: "needsConfirmation", plan: { deactivations: 2, activeBefore: 10 } });
    expect(await getDb().select({ id: users.id }).from(users).where(eq(users.active, true))).toHaveLength(10);
    expect(await applyText(file(...rows.slice(0, 8)), { via: "command-line", confirmDeactivations: true })).toMatchObject({ kind: "applied" });
    expect(await getDb().select({ id: users.id }).from(users).where(eq(users.active, true))).toHaveLength(8);
  });

  it("swaps two people's emails in one import despite the unique index", async () => {
    const p = prefix();
    const a = `${p}a@example.com`;
    const b = `${p}b@example.com`;
    await applyText(file(`${p}1,A,a,,,${a},,,,,`, `${p}2,B,b,,,${b},,,,,`), { via: "command-line", confirmDeactivations: true });
    expect(await applyText(file(`${p}1,A,a,,,${b},,,,,`, `${p}2,B,b,,,${a},,,,,`), { via: "command-line" })).toMatchObject({ kind: "applied", summary: { changed: 2 } });
    expect((await person(`${p}1`))!.email).toBe(b);
    expect((await person(`${p}2`))!.email).toBe(a);
  });

  it("a file with errors changes nothing", async () => {
    const p = prefix();
    const outcome = await applyText(file(`${p}1,A,a,,,${p}@example.com,,,${p}1,,`), { via: "command-line", confirmDeactivations: true });
    expect(outcome).toMatchObject({ kind: "invalid", analysis: { errors: 1, problems: [expect.objectContaining({ code: "selfManager", row: 2 })] } });
    expect(await person(`${p}1`)).toBeUndefined();
  });
});

describe("a pending import from the HR page", () => {
  async function pending(text: string, actorId: string) {
    const analysis = await analyseFile(Buffer.from(text), { actorId });
    expect(analysis.errors).toBe(0);
    return createPendingImport({ actorId, fileName: "org.csv", encoding: "utf-8", text, plan: analysis.plan!, hash: analysis.hash! });
  }

  it("applies once: a double-submitted Apply finds it applied", async () => {
    const hr = await createUser({ roles: ["hr"], employeeNumber: `hr-${prefix()}` });
    const p = prefix();
    const text = file(`${hr.employeeNumber},人事,担当,,,${hr.email},,,,,`, `${p}1,A,a,,,${p}1@example.com,,,,,`);
    const id = await pending(text, hr.id);
    const [first, second] = await Promise.all([
      applyPendingImport({ id, actorId: hr.id, confirmDeactivations: true }),
      applyPendingImport({ id, actorId: hr.id, confirmDeactivations: true }),
    ]);
    expect([first.kind, second.kind].sort()).toEqual(["alreadyApplied", "applied"]);
    expect(await getDb().select().from(users).where(eq(users.employeeNumber, `${p}1`))).toHaveLength(1);
    const entries = await getDb().select().from(auditLog).where(eq(auditLog.action, "org.import"));
    expect(entries.filter((e) => e.details.importId === id)).toHaveLength(1);
    const [row] = await getDb().select().from(orgImports).where(eq(orgImports.id, id));
    expect(row).toMatchObject({ status: "applied", content: null });
  });

  it("refuses to apply when the organisation changed since the dry run, and someone else's import is not found", async () => {
    const hr = await createUser({ roles: ["hr"], employeeNumber: `hr-${prefix()}` });
    const other = await createUser({ roles: ["hr"] });
    const p = prefix();
    const id = await pending(file(`${hr.employeeNumber},人事,担当,,,${hr.email},,,,,`, `${p}1,A,a,,,${p}1@example.com,,,,,`), hr.id);
    expect(await applyPendingImport({ id, actorId: other.id, confirmDeactivations: true })).toEqual({ kind: "notFound" });
    await createUser({ employeeNumber: `${p}new` });
    expect(await applyPendingImport({ id, actorId: hr.id, confirmDeactivations: true })).toEqual({ kind: "changed" });
    expect(await getDb().select().from(users).where(inArray(users.employeeNumber, [`${p}1`]))).toHaveLength(0);
    const [row] = await getDb().select().from(orgImports).where(eq(orgImports.id, id));
    expect(row!.status).toBe("pending");
  });
});
