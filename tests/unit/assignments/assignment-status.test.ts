import { describe, expect, it } from "vitest";
import { addDaysTo, assignmentStatus, byUrgency, daysBetween, dueDateFor, earliest, tokyoDay } from "~/assignments/assignment-status";

describe("due dates of assignments", () => {
  const fixed = { dueOn: "2027-03-31", newHireDays: null, createdOn: "2026-12-01" };
  const both = { dueOn: "2027-03-31", newHireDays: 30, createdOn: "2026-12-01" };
  const withinOnly = { dueOn: null, newHireDays: 60, createdOn: "2026-12-01" };

  it("gives people already there the fixed day", () => {
    expect(dueDateFor(fixed, "2020-04-01", false)).toBe("2027-03-31");
    expect(dueDateFor(both, "2020-04-01", false)).toBe("2027-03-31");
  });

  it("gives a new hire N days from joining when the assignment says so, else the fixed day", () => {
    expect(dueDateFor(both, "2027-04-01", true)).toBe("2027-05-01");
    expect(dueDateFor(fixed, "2027-04-01", true)).toBe("2027-03-31");
  });

  it("counts N days from the assignment for people already there when there is no fixed day", () => {
    expect(dueDateFor(withinOnly, "2020-04-01", false)).toBe("2027-01-30");
    expect(dueDateFor(withinOnly, "2027-02-27", true)).toBe("2027-04-28");
  });

  it("adds days across month, year and leap-day boundaries", () => {
    expect(addDaysTo("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDaysTo("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDaysTo("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2026-12-31", "2027-01-02")).toBe(2);
    expect(daysBetween("2027-01-02", "2026-12-31")).toBe(-2);
  });

  it("takes the earliest of several due days", () => {
    expect(earliest(["2027-03-31", "2027-01-15", "2027-02-01"])).toBe("2027-01-15");
    expect(earliest([])).toBeNull();
  });

  it("reads the day in Tokyo, not in UTC", () => {
    expect(tokyoDay(new Date("2026-11-30T14:59:59Z"))).toBe("2026-11-30");
    expect(tokyoDay(new Date("2026-11-30T15:00:00Z"))).toBe("2026-12-01");
  });
});

describe("where a person stands on an assignment", () => {
  const today = "2027-01-10";
  it("is certified with a valid certificate, even after the due day", () => {
    expect(assignmentStatus({ dueOn: "2027-01-01", certifiedUntil: new Date("2028-01-01"), started: true }, today)).toBe("certified");
  });
  it("is overdue only once the due day is over", () => {
    expect(assignmentStatus({ dueOn: "2027-01-09", certifiedUntil: null, started: true }, today)).toBe("overdue");
    expect(assignmentStatus({ dueOn: "2027-01-10", certifiedUntil: null, started: false }, today)).toBe("not-started");
  });
  it("is in progress once started", () => {
    expect(assignmentStatus({ dueOn: "2027-02-01", certifiedUntil: null, started: true }, today)).toBe("in-progress");
  });
  it("sorts overdue first, then by due day, certified last", () => {
    const items = [
      { status: "certified" as const, dueOn: "2027-01-01" },
      { status: "in-progress" as const, dueOn: "2027-02-01" },
      { status: "not-started" as const, dueOn: "2027-03-01" },
      { status: "overdue" as const, dueOn: "2027-01-05" },
      { status: "in-progress" as const, dueOn: "2027-01-20" },
      { status: "not-started" as const, dueOn: "2027-01-20" },
    ];
    expect([...items].sort(byUrgency).map((i) => `${i.status} ${i.dueOn}`)).toEqual([
      "overdue 2027-01-05",
      "not-started 2027-01-20",
      "in-progress 2027-01-20",
      "in-progress 2027-02-01",
      "not-started 2027-03-01",
      "certified 2027-01-01",
    ]);
  });
});
