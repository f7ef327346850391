import { describe, expect, it } from "vitest";
import { addCount, emptyCounts, linePath, linearScale, shareOf, sharesOf, stackSegments, totalOf, weeklyPoints } from "~/reports/dashboard-figures";
import { dashboardSearchString, parseDashboardSearch, parseReportSearch, reportSearchString } from "~/reports/report-query";

const counts = (certified: number, inProgress: number, notStarted: number, overdue: number) => ({ certified, "in-progress": inProgress, "not-started": notStarted, overdue });

describe("status shares", () => {
  it("gives each status its share of the total, and zeros (not NaN) when nobody is counted", () => {
    expect(sharesOf(counts(1, 1, 2, 0))).toEqual(counts(0.25, 0.25, 0.5, 0));
    expect(sharesOf(emptyCounts())).toEqual(counts(0, 0, 0, 0));
    expect(shareOf(0, 0)).toBeNull();
    expect(shareOf(3, 4)).toBe(0.75);
  });

  it("adds SQL counts by status and ignores a status it does not know", () => {
    const c = emptyCounts();
    addCount(c, "overdue", 2);
    addCount(c, "overdue", 1);
    addCount(c, "exempt", 5);
    expect(c).toEqual(counts(0, 0, 0, 3));
    expect(totalOf(c)).toBe(3);
  });
});

describe("chart geometry", () => {
  it("maps a domain onto a range linearly, inverted ranges included, clamped at the ends", () => {
    const y = linearScale([0, 1], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(0.25)).toBe(150);
    expect(y(1.5)).toBe(0);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(0);
  });

  it("stacks a 100% bar left to right in status order, leaving out empty statuses", () => {
    const segments = stackSegments(counts(1, 0, 2, 1), 400);
    expect(segments.map((s) => [s.status, s.x, s.width])).toEqual([
      ["certified", 0, 100],
      ["not-started", 100, 200],
      ["overdue", 300, 100],
    ]);
    expect(stackSegments(emptyCounts(), 400)).toEqual([]);
  });

  it("writes a line path through the points", () => {
    expect(linePath([{ x: 0, y: 10 }, { x: 5.04, y: 2.26 }])).toBe("M0 10 L5 2.3");
  });
});

describe("weekly points", () => {
  it("measures today now and each earlier week at the end of that Tokyo day, oldest first", () => {
    const now = new Date("2027-03-31T01:00:00Z"); // 10:00 in Tokyo on 31 March
    const points = weeklyPoints(now, 2);
    expect(points.map((p) => p.day)).toEqual(["2027-03-17", "2027-03-24", "2027-03-31"]);
    expect(points[0]!.at.toISOString()).toBe("2027-03-17T15:00:00.000Z");
    expect(points[2]!.at).toBe(now);
  });

  it("uses the Tokyo day, not the UTC one, late in the UTC evening", () => {
    const points = weeklyPoints(new Date("2027-03-31T16:00:00Z"), 1);
    expect(points.map((p) => p.day)).toEqual(["2027-03-25", "2027-04-01"]);
  });
});

describe("report query strings", () => {
  it("reads the filters and drops anything malformed instead of failing", () => {
    const url = new URL("http://x/hr/report?track=t1&department=d1&direct=1&status=overdue&expiring=60&page=3");
    expect(parseReportSearch(url)).toEqual({ trackId: "t1", departmentId: "d1", direct: true, status: "overdue", expiring: 60, page: 3 });
    const odd = new URL("http://x/hr/report?track=&status=late&expiring=45&page=-2&direct=yes&department=%00x");
    expect(parseReportSearch(odd)).toEqual({ trackId: null, departmentId: null, direct: false, status: null, expiring: null, page: 1 });
    expect(parseDashboardSearch(new URL("http://x/hr?track=t1"))).toEqual({ trackId: "t1", departmentId: null, fresh: false });
    expect(parseDashboardSearch(new URL("http://x/hr?fresh=1&department=d1"))).toEqual({ trackId: null, departmentId: "d1", fresh: true });
    expect(parseDashboardSearch(new URL("http://x/hr?fresh=yes"))).toEqual({ trackId: null, departmentId: null, fresh: false });
  });

  it("writes back only what is set, so a link round-trips", () => {
    const s = { trackId: "t 1", departmentId: "d1", direct: false, status: "certified" as const, expiring: null, page: 1 };
    expect(reportSearchString(s)).toBe("?track=t+1&department=d1&status=certified");
    expect(parseReportSearch(new URL(`http://x/hr/report${reportSearchString(s)}`))).toEqual(s);
    expect(reportSearchString({})).toBe("");
    expect(dashboardSearchString({ trackId: "t1", departmentId: null, fresh: true })).toBe("?track=t1&fresh=1");
    expect(dashboardSearchString({ trackId: null, departmentId: null })).toBe("");
  });
});
