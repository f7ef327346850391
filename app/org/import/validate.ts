/**
 * Reads and checks an organisation file (CSV text, already decoded): the header, every row and the
 * relations between rows (duplicates, managers, cycles). Pure: no database, no framework; what needs
 * the database (emails held by people outside the file, new departments) is checked by plan.ts.
 *
 * Row numbers are the ones Excel shows: the header is row 1, and a quoted value that spans lines is
 * still one row.
 */
import { parse } from "csv-parse/sync";
import { restoreCell } from "~/csv/csv-writer";
import { LANGUAGES, type Language } from "~/i18n/languages";

export { IMPORT_COLUMNS, type ImportColumn } from "./columns";
import { IMPORT_COLUMNS, type ImportColumn } from "./columns";

export const REQUIRED_COLUMNS = ["employee_number", "family_name", "given_name", "email"] as const satisfies readonly ImportColumn[];

/** The longest value accepted in a column (an email may be as long as the standard allows). */
export const MAX_VALUE_LENGTH = 100;
export const MAX_EMAIL_LENGTH = 254;

export const ERROR_CODES = [
  "empty",
  "headerOnly",
  "utf16",
  "invalidBytes",
  "csvSyntax",
  "missingColumn",
  "duplicateColumn",
  "columnCount",
  "required",
  "tooLong",
  "controlCharacter",
  "badEmail",
  "duplicateEmail",
  "duplicateEmployeeNumber",
  "notKatakana",
  "unknownLanguage",
  "badActive",
  "unknownManager",
  "selfManager",
  "managerCycle",
  "emailTaken",
  "departmentNameMissing",
  "deactivatesYou",
] as const;
export const WARNING_CODES = ["normalised", "unknownColumns", "departmentNameConflict"] as const;
export type ProblemCode = (typeof ERROR_CODES)[number] | (typeof WARNING_CODES)[number];

export type ImportProblem = {
  severity: "error" | "warning";
  /** The row in the file (header = 1). */
  row: number;
  code: ProblemCode;
  column?: string;
  params?: Record<string, string | number>;
};

/**
 * One person as the file describes them, normalised. `undefined` means the column is not in the file
 * (the person's stored value is kept); `null` means the cell is empty (the stored value is cleared).
 */
export type ImportRow = {
  row: number;
  employeeNumber: string;
  familyName: string;
  givenName: string;
  email: string;
  familyNameKana: string | null | undefined;
  givenNameKana: string | null | undefined;
  departmentCode: string | null | undefined;
  departmentName: string | null | undefined;
  managerEmployeeNumber: string | null | undefined;
  preferredLanguage: Language | null | undefined;
  active: boolean;
};

export type ValidationResult = {
  rows: ImportRow[];
  problems: ImportProblem[];
  columns: ImportColumn[];
};

// C0 and C1 controls (a line break inside a quoted value included) and the bidi embedding, override
// and isolate characters that can make a name display as something else.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
// CJK compatibility ideographs: NFKC would swap them for their unified form, changing how a person's
// name is written (神 U+FA19 → 神). They are kept as written; 﨑 (U+FA11) has no mapping anyway.
const COMPAT_IDEOGRAPHS = /([\uf900-\ufaff\u{2f800}-\u{2fa1f}])/u;
const EDGE_SPACES = /^[\s\u3000]+|[\s\u3000]+$/gu;
const KATAKANA = /^[\u30a1-\u30fa\u30fb\u30fc-\u30fe]+(?:[ \u3000][\u30a1-\u30fa\u30fb\u30fc-\u30fe]+)*$/u;
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/iu;

const ABSENT = Symbol("absent");
const REFUSED = Symbol("refused");

/** NFKC (half-width katakana, full-width digits and letters) except compatibility ideographs; edges trimmed. */
export function normaliseValue(raw: string): string {
  const trimmed = raw.replace(EDGE_SPACES, "");
  const parts = trimmed.split(COMPAT_IDEOGRAPHS);
  return parts
    .map((part, i) => (i % 2 === 1 ? part : part.normalize("NFKC")))
    .join("")
    .replace(EDGE_SPACES, "");
}

/** The email with its domain lower-cased (the local part is kept as written). */
export function normaliseEmail(value: string): string {
  const at = value.lastIndexOf("@");
  return at === -1 ? value : value.slice(0, at) + value.slice(at).toLowerCase();
}

export const emailKey = (email: string) => email.toLowerCase();

function parseCsv(text: string): { records: string[][] } | { error: ImportProblem } {
  try {
    const records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as string[][];
    return { records };
  } catch (error) {
    const records = typeof (error as { records?: unknown }).records === "number" ? (error as { records: number }).records : 0;
    return { error: { severity: "error", row: records + 1, code: "csvSyntax" } };
  }
}

/** Checks a decoded file and returns its people (only when there is no error) and every problem. */
export function validateImportText(text: string): ValidationResult {
  const problems: ImportProblem[] = [];
  const error = (row: number, code: ProblemCode, column?: string, params?: ImportProblem["params"]) =>
    problems.push({ severity: "error", row, code, ...(column ? { column } : {}), ...(params ? { params } : {}) });
  const warning = (row: number, code: ProblemCode, column?: string, params?: ImportProblem["params"]) =>
    problems.push({ severity: "warning", row, code, ...(column ? { column } : {}), ...(params ? { params } : {}) });
  const done = (rows: ImportRow[] = [], columns: ImportColumn[] = []): ValidationResult => ({
    rows: problems.some((p) => p.severity === "error") ? [] : rows,
    problems: problems.sort((a, b) => a.row - b.row || (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1)),
    columns,
  });

  if (text.replace(/^\ufeff/u, "").trim() === "") {
    error(1, "empty");
    return done();
  }
  const parsed = parseCsv(text);
  if ("error" in parsed) {
    problems.push(parsed.error);
    return done();
  }
  const records = parsed.records;
  const isBlank = (record: string[]) => record.every((cell) => cell.trim() === "");

  // Header (row 1).
  const header = records[0]!.map((name) => name.replace(/^\ufeff/u, "").trim().toLowerCase());
  const index = new Map<ImportColumn, number>();
  const unknown: string[] = [];
  header.forEach((name, i) => {
    if ((IMPORT_COLUMNS as readonly string[]).includes(name)) {
      if (index.has(name as ImportColumn)) error(1, "duplicateColumn", name);
      else index.set(name as ImportColumn, i);
    } else if (name !== "") unknown.push(name);
  });
  for (const column of REQUIRED_COLUMNS) if (!index.has(column)) error(1, "missingColumn", column);
  if (unknown.length) warning(1, "unknownColumns", undefined, { columns: unknown.join(", ") });
  const columns = IMPORT_COLUMNS.filter((c) => index.has(c));
  if (problems.some((p) => p.severity === "error")) return done([], columns);

  const dataRecords = records.slice(1).map((record, i) => ({ record, row: i + 2 })).filter(({ record }) => !isBlank(record));
  if (dataRecords.length === 0) {
    error(1, "headerOnly");
    return done([], columns);
  }

  const rows: ImportRow[] = [];
  for (const { record, row } of dataRecords) {
    if (record.length > header.length && record.slice(header.length).some((cell) => cell.trim() !== "")) {
      error(row, "columnCount", undefined, { expected: header.length, found: record.length });
      continue;
    }
    let rowOk = true;
    /** The normalised value (null when empty), "absent" without the column, "refused" after an error. */
    const cell = (column: ImportColumn, max = MAX_VALUE_LENGTH): string | null | typeof ABSENT | typeof REFUSED => {
      const i = index.get(column);
      if (i === undefined) return ABSENT;
      // A cell our CSV export neutralised against formulas ('=…) reads back as written.
      const raw = restoreCell(record[i] ?? "");
      if (CONTROL.test(raw) || BIDI.test(raw)) {
        error(row, "controlCharacter", column);
        rowOk = false;
        return REFUSED;
      }
      const value = normaliseValue(raw);
      if ([...value].length > max) {
        error(row, "tooLong", column, { max, length: [...value].length });
        rowOk = false;
        return REFUSED;
      }
      if (value !== raw) warning(row, "normalised", column, { from: raw, to: value });
      return value === "" ? null : value;
    };
    const required = (column: ImportColumn, max?: number): string => {
      const value = cell(column, max);
      if (value === null) {
        error(row, "required", column);
        rowOk = false;
      }
      return typeof value === "string" ? value : "";
    };
    const optional = (column: ImportColumn): string | null | undefined => {
      const value = cell(column);
      return value === ABSENT ? undefined : value === REFUSED ? null : value;
    };

    const employeeNumber = required("employee_number");
    const familyName = required("family_name");
    const givenName = required("given_name");
    let email = required("email", MAX_EMAIL_LENGTH);
    if (email) {
      const lowered = normaliseEmail(email);
      if (lowered !== email) warning(row, "normalised", "email", { from: email, to: lowered });
      email = lowered;
      if (!EMAIL.test(email)) {
        error(row, "badEmail", "email", { value: email });
        rowOk = false;
      }
    }
    const kana = (column: "family_name_kana" | "given_name_kana") => {
      const value = optional(column);
      if (value && !KATAKANA.test(value)) {
        error(row, "notKatakana", column, { value });
        rowOk = false;
      }
      return value;
    };
    const familyNameKana = kana("family_name_kana");
    const givenNameKana = kana("given_name_kana");
    const departmentCode = optional("department_code");
    const departmentName = optional("department_name");
    const managerEmployeeNumber = optional("manager_employee_number");
    const languageValue = optional("preferred_language");
    let preferredLanguage: Language | null | undefined = languageValue as Language | null | undefined;
    if (languageValue) {
      const lower = languageValue.toLowerCase();
      if ((LANGUAGES as readonly string[]).includes(lower)) preferredLanguage = lower as Language;
      else {
        error(row, "unknownLanguage", "preferred_language", { value: languageValue });
        rowOk = false;
      }
    }
    const activeValue = optional("active");
    let active = true;
    if (activeValue) {
      const lower = activeValue.toLowerCase();
      if (lower === "true" || lower === "false") active = lower === "true";
      else {
        error(row, "badActive", "active", { value: activeValue });
        rowOk = false;
      }
    }
    if (!rowOk) continue;
    rows.push({
      row,
      employeeNumber,
      familyName,
      givenName,
      email,
      familyNameKana,
      givenNameKana,
      departmentCode,
      departmentName: departmentCode ? departmentName : departmentCode === undefined ? undefined : null,
      managerEmployeeNumber,
      preferredLanguage,
      active,
    });
  }

  // Relations between rows.
  const byNumber = new Map<string, ImportRow>();
  const byEmail = new Map<string, ImportRow>();
  for (const r of rows) {
    const first = byNumber.get(r.employeeNumber);
    if (first) error(r.row, "duplicateEmployeeNumber", "employee_number", { value: r.employeeNumber, firstRow: first.row });
    else byNumber.set(r.employeeNumber, r);
    const key = emailKey(r.email);
    const firstEmail = byEmail.get(key);
    if (firstEmail) error(r.row, "duplicateEmail", "email", { value: r.email, firstRow: firstEmail.row });
    else byEmail.set(key, r);
  }
  const departmentNames = new Map<string, { name: string; row: number }>();
  for (const r of rows) {
    if (!r.departmentCode || !r.departmentName) continue;
    const seen = departmentNames.get(r.departmentCode);
    if (!seen) departmentNames.set(r.departmentCode, { name: r.departmentName, row: r.row });
    else if (seen.name !== r.departmentName) {
      warning(r.row, "departmentNameConflict", "department_name", { code: r.departmentCode, name: seen.name, firstRow: seen.row });
    }
  }
  const managerOf = new Map<string, string>();
  for (const r of rows) {
    const m = r.managerEmployeeNumber;
    if (!m) continue;
    if (m === r.employeeNumber) error(r.row, "selfManager", "manager_employee_number", { value: m });
    else if (!byNumber.has(m)) error(r.row, "unknownManager", "manager_employee_number", { value: m });
    else if (byNumber.get(r.employeeNumber) === r) managerOf.set(r.employeeNumber, m);
  }
  for (const cycle of managerCycles(managerOf)) {
    const cycleRows = cycle.map((n) => byNumber.get(n)!.row);
    const start = cycleRows.indexOf(Math.min(...cycleRows));
    const ordered = [...cycleRows.slice(start), ...cycleRows.slice(0, start)];
    error(ordered[0]!, "managerCycle", "manager_employee_number", { rows: [...ordered, ordered[0]].join(" → ") });
  }
  return done(rows, columns);
}

/** Every cycle in a "reports to" map, each once, as the employee numbers along it. */
export function managerCycles(managerOf: ReadonlyMap<string, string>): string[][] {
  const state = new Map<string, "active" | "done">();
  const cycles: string[][] = [];
  for (const start of managerOf.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    let node: string | undefined = start;
    while (node !== undefined && !state.has(node)) {
      state.set(node, "active");
      path.push(node);
      node = managerOf.get(node);
    }
    if (node !== undefined && state.get(node) === "active") cycles.push(path.slice(path.indexOf(node)));
    for (const n of path) state.set(n, "done");
  }
  return cycles;
}
