import { describe, expect, it } from "vitest";
import {
  attentionItems,
  attentionRank,
  cellMatches,
  compareAttention,
  parseTeamQuery,
  reminderTarget,
  summarize,
  type RankedPerson,
  type TeamCell,
} from "~/team/team-view";

const today = "2027-03-01";
const cell = (trackId: string, status: TeamCell["status"], dueOn: string, extra: Partial<TeamCell> = {}): TeamCell => ({
  trackId,
  status,
  dueOn,
  certifiedUntil: null,
  expiringSoon: false,
  ...extra,
});
const person = (id: string, cells: TeamCell[], kana = id): RankedPerson => ({ id, email: `${id}@x`, familyNameKana: kana, givenNameKana: null, cells });

describe("who needs attention first", () => {
  it("puts overdue people first (longest late first), then the earliest due, then expiring certificates, then the rest by kana", () => {
    const people = [
      person("done", [cell("a", "certified", "2027-01-01", { certifiedUntil: "2028-01-01T14:59:59.999Z" })], "あ"),
      person("expiringLate", [cell("a", "certified", "2027-01-01", { certifiedUntil: "2027-04-20T14:59:59.999Z", expiringSoon: true })]),
      person("expiringSoon", [cell("a", "certified", "2027-01-01", { certifiedUntil: "2027-03-20T14:59:59.999Z", expiringSoon: true })]),
      person("dueLater", [cell("a", "in-progress", "2027-05-01")]),
      person("dueSooner", [cell("a", "not-started", "2027-03-10"), cell("b", "certified", "2027-01-01")]),
      person("lateALittle", [cell("a", "overdue", "2027-02-27")]),
      person("lateALot", [cell("a", "certified", "2027-01-01"), cell("b", "overdue", "2027-01-15")]),
      person("nothing", [], "ん"),
    ];
    expect([...people].sort(compareAttention).map((p) => p.id)).toEqual([
      "lateALot",
      "lateALittle",
      "dueSooner",
      "dueLater",
      "expiringSoon",
      "expiringLate",
      "done",
      "nothing",
    ]);
  });

  it("breaks ties by kana reading, with people without a reading last", () => {
    const same = [cell("a", "not-started", "2027-03-10")];
    const people = [person("c", same, null as unknown as string), person("b", same, "さとう"), person("a", same, "あおき")];
    expect([...people].sort(compareAttention).map((p) => p.id)).toEqual(["a", "b", "c"]);
  });

  it("ranks by the earliest overdue day, whatever else the person has", () => {
    expect(attentionRank([cell("a", "not-started", "2027-03-02"), cell("b", "overdue", "2027-02-01"), cell("c", "overdue", "2027-02-10")])).toEqual({
      group: 0,
      key: "2027-02-01",
    });
    expect(attentionRank([])).toEqual({ group: 3, key: "" });
  });
});

describe("what needs attention for a person", () => {
  it("lists overdue, then due within 14 days, then expiring certificates; nothing due later", () => {
    const items = attentionItems(
      [
        cell("far", "not-started", "2027-04-01"),
        cell("soon", "in-progress", "2027-03-15"),
        cell("todayDue", "not-started", today),
        cell("late", "overdue", "2027-02-20"),
        cell("renew", "certified", "2026-12-01", { certifiedUntil: "2027-04-01T14:59:59.999Z", expiringSoon: true }),
      ],
      today,
    );
    expect(items).toEqual([
      { kind: "overdue", trackId: "late", dueOn: "2027-02-20", daysLate: 9 },
      { kind: "due-soon", trackId: "todayDue", dueOn: today, daysLeft: 0 },
      { kind: "due-soon", trackId: "soon", dueOn: "2027-03-15", daysLeft: 14 },
      { kind: "expiring", trackId: "renew", validUntil: "2027-04-01T14:59:59.999Z" },
    ]);
  });
});

describe("the summary line", () => {
  it("counts people (not assignments): overdue, due within 14 days, certificates in their renewal period", () => {
    const summary = summarize(
      [
        { cells: [cell("a", "overdue", "2027-02-01"), cell("b", "overdue", "2027-02-02")] },
        { cells: [cell("a", "not-started", "2027-03-15"), cell("b", "certified", "2027-01-01", { certifiedUntil: "2027-03-30T00:00:00Z", expiringSoon: true })] },
        { cells: [cell("a", "in-progress", "2027-03-16")] },
        { cells: [] },
      ],
      today,
    );
    expect(summary).toEqual({ people: 4, overdue: 1, dueSoon: 1, expiring: 1 });
  });

  it("matches cells to the status filter the same way", () => {
    expect(cellMatches(cell("a", "in-progress", "2027-03-15"), "due-soon", today)).toBe(true);
    expect(cellMatches(cell("a", "in-progress", "2027-03-16"), "due-soon", today)).toBe(false);
    expect(cellMatches(cell("a", "overdue", "2027-02-01"), "due-soon", today)).toBe(false);
    expect(cellMatches(cell("a", "certified", "2027-01-01", { expiringSoon: true }), "expiring", today)).toBe(true);
    expect(cellMatches(cell("a", "certified", "2027-01-01"), "certified", today)).toBe(true);
  });
});

describe("a reminder's subject", () => {
  it("is the most urgent open assignment, never a certified one", () => {
    expect(reminderTarget([cell("a", "certified", "2027-01-01"), cell("b", "not-started", "2027-05-01"), cell("c", "overdue", "2027-02-01")])?.trackId).toBe("c");
    expect(reminderTarget([cell("a", "in-progress", "2027-05-01"), cell("b", "not-started", "2027-04-01")])?.trackId).toBe("b");
    expect(reminderTarget([cell("a", "certified", "2027-01-01")])).toBeNull();
  });
});

describe("the page's query", () => {
  it("keeps known filters and ignores anything else", () => {
    expect(parseTeamQuery(new URLSearchParams("status=overdue&track=t1&page=3"), ["t1"])).toEqual({ status: "overdue", track: "t1", page: 3 });
    expect(parseTeamQuery(new URLSearchParams("status=<script>&track=nope&page=-2"), ["t1"])).toEqual({ status: null, track: null, page: 1 });
    expect(parseTeamQuery(new URLSearchParams("page=abc"), [])).toEqual({ status: null, track: null, page: 1 });
  });
});
