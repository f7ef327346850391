/**
 * What the HR page shows of a dry run: counts, the first rows of each list (a 50,000-person file
 * would make a page no one can read) and the problems. Pure.
 */
import type { Plan } from "./plan";
import type { ImportProblem } from "./validate";

export const LIST_LIMIT = 200;
export const PROBLEM_LIMIT = 1000;

type Name = { familyName: string; givenName: string; familyNameKana: string | null; givenNameKana: string | null };

export type DryRunView = {
  fileName: string;
  encoding: string | null;
  importId: string | null;
  errors: number;
  warnings: number;
  problems: ImportProblem[];
  moreProblems: number;
  counts: { created: number; changed: number; unchanged: number; deactivated: number; newDepartments: number } | null;
  created: (Name & { row: number; employeeNumber: string; email: string })[];
  changed: (Name & { row: number; employeeNumber: string; changes: Plan["changed"][number]["changes"] })[];
  deactivated: { employeeNumber: string | null; familyName: string; givenName: string; email: string }[];
  newDepartments: Plan["newDepartments"];
  deactivations: number;
  activeBefore: number;
  needsConfirmation: boolean;
};

export function dryRunView(input: {
  fileName: string;
  encoding: string | null;
  importId: string | null;
  problems: ImportProblem[];
  errors: number;
  warnings: number;
  plan: Plan | null;
}): DryRunView {
  // Errors first, so none is hidden behind a long list of warnings.
  const problems = [...input.problems].sort((a, b) => (a.severity === b.severity ? a.row - b.row : a.severity === "error" ? -1 : 1));
  const plan = input.plan;
  const name = (p: Name) => ({ familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana });
  return {
    fileName: input.fileName,
    encoding: input.encoding,
    importId: input.importId,
    errors: input.errors,
    warnings: input.warnings,
    problems: problems.slice(0, PROBLEM_LIMIT),
    moreProblems: Math.max(0, problems.length - PROBLEM_LIMIT),
    counts: plan
      ? {
          created: plan.created.length,
          changed: plan.changed.length,
          unchanged: plan.unchanged,
          deactivated: plan.deactivated.length,
          newDepartments: plan.newDepartments.length,
        }
      : null,
    created: (plan?.created ?? []).slice(0, LIST_LIMIT).map((p) => ({ row: p.row, employeeNumber: p.employeeNumber, email: p.email, ...name(p) })),
    changed: (plan?.changed ?? []).slice(0, LIST_LIMIT).map((p) => ({ row: p.row, employeeNumber: p.employeeNumber, changes: p.changes, ...name(p) })),
    deactivated: (plan?.deactivated ?? []).slice(0, LIST_LIMIT),
    newDepartments: (plan?.newDepartments ?? []).slice(0, LIST_LIMIT),
    deactivations: plan?.deactivations ?? 0,
    activeBefore: plan?.activeBefore ?? 0,
    needsConfirmation: plan?.needsConfirmation ?? false,
  };
}
