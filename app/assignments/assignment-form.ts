/**
 * The HR form that creates an assignment, parsed once (zod, shared by client and server): the track,
 * who (everyone, departments, or a list of people written as employee numbers or emails), and when
 * (a due day, "within N days of joining" for new hires, or both). Pure; checks that need the database
 * (the people exist, the departments exist) run in the action.
 */
import { z } from "zod";
import { ASSIGNMENT_SCOPES, type AssignmentScope } from "#db/schema/assignments";

export const MAX_LISTED_PEOPLE = 5_000;
export const MAX_NEW_HIRE_DAYS = 730;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Employee numbers or emails separated by new lines, commas, semicolons, tabs or spaces (as pasted from Excel). */
export function parsePeopleList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.normalize("NFKC").split(/[\s,;、，]+/u)) {
    const value = raw.trim();
    if (!value) continue;
    const key = value.includes("@") ? value.toLowerCase() : value;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

function isRealDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export function assignmentFormSchema(today: string) {
  return z
    .object({
      // Required, but checked below with the rest, so one submit shows every problem at once
      // (zod skips refinements of an object whose own fields failed).
      trackId: z.string().optional(),
      scope: z.string().optional(),
      departmentIds: z.array(z.string().min(1)).default([]),
      people: z.string().max(200_000, "assignments.errors.peopleTooMany").optional(),
      dueOn: z
        .string()
        .optional()
        .refine((v) => v === undefined || isRealDay(v), "assignments.errors.dueOnInvalid")
        .refine((v) => v === undefined || !isRealDay(v) || v >= today, "assignments.errors.dueOnPast"),
      newHireDays: z.coerce
        .number({ invalid_type_error: "assignments.errors.newHireDaysInvalid" })
        .int("assignments.errors.newHireDaysInvalid")
        .min(1, "assignments.errors.newHireDaysInvalid")
        .max(MAX_NEW_HIRE_DAYS, "assignments.errors.newHireDaysInvalid")
        .optional(),
    })
    .superRefine((value, ctx) => {
      if (!value.trackId) ctx.addIssue({ code: "custom", path: ["trackId"], message: "assignments.errors.trackRequired" });
      if (!isScope(value.scope)) ctx.addIssue({ code: "custom", path: ["scope"], message: "assignments.errors.scopeRequired" });
      if (value.dueOn === undefined && value.newHireDays === undefined) {
        ctx.addIssue({ code: "custom", path: ["dueOn"], message: "assignments.errors.whenRequired" });
      }
      if (value.scope === "departments" && value.departmentIds.length === 0) {
        ctx.addIssue({ code: "custom", path: ["departmentIds"], message: "assignments.errors.departmentsRequired" });
      }
      if (value.scope === "people") {
        const listed = parsePeopleList(value.people ?? "");
        if (listed.length === 0) ctx.addIssue({ code: "custom", path: ["people"], message: "assignments.errors.peopleRequired" });
        if (listed.length > MAX_LISTED_PEOPLE) ctx.addIssue({ code: "custom", path: ["people"], message: "assignments.errors.peopleTooMany" });
      }
    })
    .transform((value) => ({ ...value, trackId: value.trackId!, scope: value.scope as AssignmentScope }));
}

function isScope(value: string | undefined): value is AssignmentScope {
  return (ASSIGNMENT_SCOPES as readonly string[]).includes(value ?? "");
}

export type AssignmentForm = z.infer<ReturnType<typeof assignmentFormSchema>>;
