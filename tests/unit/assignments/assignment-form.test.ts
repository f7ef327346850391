import { describe, expect, it } from "vitest";
import { assignmentFormSchema, parsePeopleList } from "~/assignments/assignment-form";

describe("a pasted list of people", () => {
  it("splits on new lines, commas, tabs, spaces and Japanese commas, keeping employee numbers as text", () => {
    expect(parsePeopleList("001002\r\n001003, a@example.com\tb@example.com；c@example.com、000004  ")).toEqual([
      "001002",
      "001003",
      "a@example.com",
      "b@example.com",
      "c@example.com",
      "000004",
    ]);
  });
  it("reads full-width digits and letters as Excel on Japanese Windows may write them, and drops repeats (emails in any case)", () => {
    expect(parsePeopleList("００１００２\n001002\nA@Example.com\na@example.com")).toEqual(["001002", "A@Example.com"]);
  });
  it("is empty for blank input", () => {
    expect(parsePeopleList(" \n\t ,")).toEqual([]);
  });
});

describe("the new-assignment form", () => {
  const schema = assignmentFormSchema("2026-12-01");
  it("reports every missing answer at once, not one per submit", () => {
    const result = schema.safeParse({ departmentIds: [] });
    expect(result.success).toBe(false);
    const fields = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`).sort();
    expect(fields).toEqual([
      "dueOn: assignments.errors.whenRequired",
      "scope: assignments.errors.scopeRequired",
      "trackId: assignments.errors.trackRequired",
    ]);
  });
  it("accepts a department assignment with a due day and new-hire days", () => {
    const result = schema.safeParse({ trackId: "t", scope: "departments", departmentIds: ["d"], dueOn: "2027-03-31", newHireDays: "30" });
    expect(result.success && result.data).toMatchObject({ trackId: "t", scope: "departments", dueOn: "2027-03-31", newHireDays: 30 });
  });
  it("refuses an unknown scope and a day that does not exist", () => {
    const result = schema.safeParse({ trackId: "t", scope: "planet", dueOn: "2027-02-29" });
    expect(result.error!.issues.map((i) => i.message).sort()).toEqual(["assignments.errors.dueOnInvalid", "assignments.errors.scopeRequired"]);
  });
});
