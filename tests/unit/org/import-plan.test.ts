import { describe, expect, it } from "vitest";
import { canonicalPlan, planImport, type Snapshot, type StoredPerson } from "~/org/import/plan";
import { validateImportText } from "~/org/import/validate";

const HEADER = "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active";

function person(n: number, overrides: Partial<StoredPerson> = {}): StoredPerson {
  return {
    id: `u${n}`,
    employeeNumber: String(n).padStart(4, "0"),
    email: `p${n}@example.com`,
    familyName: "山田",
    givenName: `${n}`,
    familyNameKana: "ヤマダ",
    givenNameKana: null,
    departmentId: "d1",
    managerId: null,
    preferredLanguage: "ja",
    active: true,
    ...overrides,
  };
}
const line = (n: number, more: Partial<Record<"email" | "dept" | "manager" | "lang" | "active" | "given", string>> = {}) =>
  `${String(n).padStart(4, "0")},山田,${more.given ?? n},ヤマダ,,${more.email ?? `p${n}@example.com`},${more.dept ?? "D1"},営業部,${more.manager ?? ""},${more.lang ?? "ja"},${more.active ?? "true"}`;
const departments = [{ id: "d1", code: "D1", nameJa: "営業部", nameEn: "Sales" }];

function plan(text: string, snapshot: Snapshot, actorId?: string) {
  const v = validateImportText(text);
  expect(v.problems.filter((p) => p.severity === "error")).toEqual([]);
  return planImport(v.rows, v.columns, snapshot, { actorId });
}
const file = (...rows: string[]) => [HEADER, ...rows].join("\n");

describe("planning an import", () => {
  it("creates new people, changes only what differs and deactivates whoever the file leaves out", () => {
    const snapshot = { people: [person(1), person(2), person(3)], departments };
    const { plan: p, problems } = plan(file(line(1), line(2, { lang: "en", manager: "0001" }), line(4)), snapshot);
    expect(problems).toEqual([]);
    expect(p.created.map((c) => c.employeeNumber)).toEqual(["0004"]);
    expect(p.changed).toHaveLength(1);
    expect(p.changed[0]!.changes).toEqual([
      { field: "managerEmployeeNumber", from: null, to: "0001" },
      { field: "preferredLanguage", from: "ja", to: "en" },
    ]);
    expect(p.unchanged).toBe(1);
    expect(p.deactivated.map((d) => d.id)).toEqual(["u3"]);
  });

  it("keeps stored values of columns the file does not have", () => {
    const snapshot = { people: [person(1, { givenNameKana: "タロウ" })], departments };
    const { plan: p } = plan("employee_number,family_name,given_name,email\n0001,山田,1,p1@example.com\n", snapshot);
    expect(p.changed).toEqual([]);
    expect(p.unchanged).toBe(1);
  });

  it("matches someone stored without an employee number by email and gives them the number", () => {
    const snapshot = { people: [person(1, { employeeNumber: null, email: "Admin@example.com" })], departments };
    const { plan: p } = plan(file(line(7, { email: "admin@example.com" })), snapshot);
    expect(p.created).toEqual([]);
    expect(p.deactivated).toEqual([]);
    expect(p.changed[0]!.changes).toContainEqual({ field: "employeeNumber", from: null, to: "0007" });
  });

  it("refuses an email held by a stored person the file does not list", () => {
    const snapshot = { people: [person(1), person(2)], departments };
    const { problems } = plan(file(line(1), line(3, { email: "P2@example.com" })), snapshot);
    expect(problems).toEqual([expect.objectContaining({ code: "emailTaken", row: 3, params: { value: "P2@example.com", employeeNumber: "0002" } })]);
  });

  it("lets two listed people swap emails", () => {
    const snapshot = { people: [person(1), person(2)], departments };
    const { problems, plan: p } = plan(file(line(1, { email: "p2@example.com" }), line(2, { email: "p1@example.com" })), snapshot);
    expect(problems).toEqual([]);
    expect(p.changed).toHaveLength(2);
  });

  it("a new department code needs a name", () => {
    const { problems, plan: p } = plan(file(line(1, { dept: "D9" })), { people: [], departments });
    expect(p.newDepartments).toEqual([{ code: "D9", name: "営業部" }]);
    expect(problems).toEqual([]);
    const v = validateImportText("employee_number,family_name,given_name,email,department_code\n1,a,b,c@example.com,D9\n");
    expect(planImport(v.rows, v.columns, { people: [], departments }).problems).toEqual([expect.objectContaining({ code: "departmentNameMissing", row: 2 })]);
  });

  it("asks for confirmation when more than 10% of active people would be deactivated", () => {
    const people = Array.from({ length: 20 }, (_, i) => person(i + 1));
    const keep = (n: number) => people.slice(0, n).map((p) => line(Number(p.employeeNumber)));
    expect(plan(file(...keep(18)), { people, departments }).plan).toMatchObject({ deactivations: 2, needsConfirmation: false });
    expect(plan(file(...keep(17)), { people, departments }).plan).toMatchObject({ deactivations: 3, needsConfirmation: true });
    // Marking people inactive in the file counts too.
    const marked = [...keep(17), ...people.slice(17).map((p) => line(Number(p.employeeNumber), { active: "false" }))];
    expect(plan(file(...marked), { people, departments }).plan).toMatchObject({ deactivated: [], deactivations: 3, needsConfirmation: true });
  });

  it("refuses a file that would deactivate the person importing it", () => {
    const snapshot = { people: [person(1), person(2)], departments };
    expect(plan(file(line(1)), snapshot, "u2").problems).toEqual([expect.objectContaining({ code: "deactivatesYou" })]);
  });

  it("the canonical form ignores row numbers, so the same change hashes the same", () => {
    const snapshot = { people: [person(1)], departments };
    const a = plan(file(line(1), line(2)), snapshot).plan;
    const b = plan(file(",,,,,,,,,,", line(1), line(2)), snapshot).plan;
    expect(canonicalPlan(a)).toBe(canonicalPlan(b));
    expect(canonicalPlan(plan(file(line(1), line(3)), snapshot).plan)).not.toBe(canonicalPlan(a));
  });
});
