/** The columns of an organisation file (any order; unknown ones are ignored). Shared by the import, the export and the page. */
export const IMPORT_COLUMNS = [
  "employee_number",
  "family_name",
  "given_name",
  "family_name_kana",
  "given_name_kana",
  "email",
  "department_code",
  "department_name",
  "manager_employee_number",
  "preferred_language",
  "active",
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
