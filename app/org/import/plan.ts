/**
 * What applying an organisation file would do to the people already stored: who is created, who
 * changes (and which fields, from what to what) and who is deactivated because the file no longer
 * lists them. Pure: the caller loads the snapshot and applies the plan.
 *
 * People are matched by employee number; someone stored without one (the first administrator, for
 * instance) is matched by email and given the number from the file. Departments and managers appear
 * in changes by their code and employee number, the way the file names them.
 */
import type { Language } from "~/i18n/languages";
import { emailKey, type ImportColumn, type ImportProblem, type ImportRow } from "./validate";

/** Deactivating more than this share of the active people needs an explicit confirmation. */
export const DEACTIVATION_CONFIRM_SHARE = 0.1;

export type StoredPerson = {
  id: string;
  employeeNumber: string | null;
  email: string;
  familyName: string;
  givenName: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  departmentId: string | null;
  managerId: string | null;
  preferredLanguage: Language | null;
  active: boolean;
};

export type StoredDepartment = { id: string; code: string; nameJa: string; nameEn: string };

export type Snapshot = { people: StoredPerson[]; departments: StoredDepartment[] };

export const PERSON_FIELDS = [
  "employeeNumber",
  "familyName",
  "givenName",
  "familyNameKana",
  "givenNameKana",
  "email",
  "departmentCode",
  "managerEmployeeNumber",
  "preferredLanguage",
  "active",
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

/** A person as the plan would leave them; department and manager by code and employee number. */
export type PlannedPerson = {
  row: number;
  employeeNumber: string;
  familyName: string;
  givenName: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  email: string;
  departmentCode: string | null;
  managerEmployeeNumber: string | null;
  preferredLanguage: Language | null;
  active: boolean;
};

export type FieldChange = { field: PersonField; from: string | null; to: string | null };

export type Plan = {
  newDepartments: { code: string; name: string }[];
  renamedDepartments: { id: string; code: string; from: string; to: string }[];
  created: PlannedPerson[];
  changed: (PlannedPerson & { id: string; changes: FieldChange[] })[];
  unchanged: number;
  deactivated: { id: string; employeeNumber: string | null; familyName: string; givenName: string; email: string }[];
  /** Active people before the import, and how many of them the import deactivates (missing or marked inactive). */
  activeBefore: number;
  deactivations: number;
  needsConfirmation: boolean;
};

export type PlanResult = { plan: Plan; problems: ImportProblem[] };

const asText = (value: string | boolean | null) => (value === null ? null : String(value));

export function planImport(
  rows: readonly ImportRow[],
  columns: readonly ImportColumn[],
  snapshot: Snapshot,
  options: { actorId?: string | null } = {},
): PlanResult {
  const problems: ImportProblem[] = [];
  const has = (column: ImportColumn) => columns.includes(column);
  const deptById = new Map(snapshot.departments.map((d) => [d.id, d]));
  const deptByCode = new Map(snapshot.departments.map((d) => [d.code, d]));
  const personById = new Map(snapshot.people.map((p) => [p.id, p]));
  const byNumber = new Map<string, StoredPerson>();
  const withoutNumberByEmail = new Map<string, StoredPerson>();
  const byEmail = new Map<string, StoredPerson>();
  for (const p of snapshot.people) {
    if (p.employeeNumber !== null) byNumber.set(p.employeeNumber, p);
    else withoutNumberByEmail.set(emailKey(p.email), p);
    byEmail.set(emailKey(p.email), p);
  }

  // Match rows to stored people.
  const matchOf = new Map<ImportRow, StoredPerson>();
  const matched = new Set<string>();
  for (const r of rows) {
    const p = byNumber.get(r.employeeNumber) ?? withoutNumberByEmail.get(emailKey(r.email));
    if (p && !matched.has(p.id)) {
      matchOf.set(r, p);
      matched.add(p.id);
    }
  }

  // Departments: new codes need a name; a new name for a known code renames it (its Japanese name).
  const newDepartments = new Map<string, string>();
  const renamed = new Map<string, { id: string; code: string; from: string; to: string }>();
  for (const r of rows) {
    if (!r.departmentCode) continue;
    const stored = deptByCode.get(r.departmentCode);
    if (stored) {
      if (r.departmentName && r.departmentName !== stored.nameJa && !renamed.has(stored.code)) {
        renamed.set(stored.code, { id: stored.id, code: stored.code, from: stored.nameJa, to: r.departmentName });
      }
    } else if (!newDepartments.has(r.departmentCode)) {
      if (r.departmentName) newDepartments.set(r.departmentCode, r.departmentName);
      else problems.push({ severity: "error", row: r.row, code: "departmentNameMissing", column: "department_name", params: { code: r.departmentCode } });
    }
  }

  const created: Plan["created"] = [];
  const changed: Plan["changed"] = [];
  let unchanged = 0;
  let deactivations = 0;
  for (const r of rows) {
    const stored = matchOf.get(r);
    // An email held by a stored person the file does not list (or lists under another number).
    const holder = byEmail.get(emailKey(r.email));
    if (holder && holder.id !== stored?.id && !matched.has(holder.id)) {
      problems.push({
        severity: "error",
        row: r.row,
        code: "emailTaken",
        column: "email",
        params: { value: r.email, employeeNumber: holder.employeeNumber ?? "—" },
      });
    }
    const current = stored ? currentOf(stored, deptById, personById) : null;
    const target: PlannedPerson = {
      row: r.row,
      employeeNumber: r.employeeNumber,
      familyName: r.familyName,
      givenName: r.givenName,
      email: r.email,
      familyNameKana: has("family_name_kana") ? (r.familyNameKana ?? null) : (current?.familyNameKana ?? null),
      givenNameKana: has("given_name_kana") ? (r.givenNameKana ?? null) : (current?.givenNameKana ?? null),
      departmentCode: has("department_code") ? (r.departmentCode ?? null) : (current?.departmentCode ?? null),
      managerEmployeeNumber: has("manager_employee_number") ? (r.managerEmployeeNumber ?? null) : (current?.managerEmployeeNumber ?? null),
      preferredLanguage: has("preferred_language") ? (r.preferredLanguage ?? null) : (current?.preferredLanguage ?? null),
      active: r.active,
    };
    if (options.actorId && stored?.id === options.actorId && !target.active) {
      problems.push({ severity: "error", row: r.row, code: "deactivatesYou", column: "active" });
    }
    if (!stored || !current) {
      created.push(target);
      continue;
    }
    if (stored.active && !target.active) deactivations++;
    const changes: FieldChange[] = [];
    for (const field of PERSON_FIELDS) {
      const from = asText(current[field]);
      const to = asText(target[field]);
      if (from !== to) changes.push({ field, from, to });
    }
    if (changes.length) changed.push({ ...target, id: stored.id, changes });
    else unchanged++;
  }

  const deactivated: Plan["deactivated"] = [];
  for (const p of snapshot.people) {
    if (matched.has(p.id) || !p.active) continue;
    deactivated.push({ id: p.id, employeeNumber: p.employeeNumber, familyName: p.familyName, givenName: p.givenName, email: p.email });
    if (options.actorId && p.id === options.actorId) {
      problems.push({ severity: "error", row: 1, code: "deactivatesYou" });
    }
  }
  deactivations += deactivated.length;
  const activeBefore = snapshot.people.filter((p) => p.active).length;
  return {
    plan: {
      newDepartments: [...newDepartments].map(([code, name]) => ({ code, name })),
      renamedDepartments: [...renamed.values()],
      created,
      changed,
      unchanged,
      deactivated,
      activeBefore,
      deactivations,
      needsConfirmation: activeBefore > 0 && deactivations / activeBefore > DEACTIVATION_CONFIRM_SHARE,
    },
    problems: problems.sort((a, b) => a.row - b.row),
  };
}

function currentOf(
  p: StoredPerson,
  deptById: ReadonlyMap<string, StoredDepartment>,
  personById: ReadonlyMap<string, StoredPerson>,
): Omit<PlannedPerson, "row" | "employeeNumber"> & { employeeNumber: string | null } {
  return {
    employeeNumber: p.employeeNumber,
    familyName: p.familyName,
    givenName: p.givenName,
    familyNameKana: p.familyNameKana,
    givenNameKana: p.givenNameKana,
    email: p.email,
    departmentCode: p.departmentId ? (deptById.get(p.departmentId)?.code ?? null) : null,
    managerEmployeeNumber: p.managerId ? (personById.get(p.managerId)?.employeeNumber ?? null) : null,
    preferredLanguage: p.preferredLanguage,
    active: p.active,
  };
}

/** The plan's content without row numbers, in a stable form: two dry runs of the same change agree. */
export function canonicalPlan(plan: Plan): string {
  return JSON.stringify({
    d: plan.newDepartments,
    r: plan.renamedDepartments.map(({ id, to }) => [id, to]),
    c: plan.created.map(({ row: _row, ...person }) => person),
    u: plan.changed.map((p) => [p.id, p.changes]),
    x: plan.deactivated.map((p) => p.id),
  });
}
