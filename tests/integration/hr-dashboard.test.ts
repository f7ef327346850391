import { randomUUID } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, lessonProgress } from "#db/schema";
import { tokyoDay } from "~/assignments/assignment-status";
import { createAssignment } from "~/assignments/assignments.server";
import { recordExternalCertificate, revokeCertificate } from "~/certification/certificates.server";
import { indexRelease } from "~/content/release.server";
import { hrDashboard, reportPeoplePage, reportPeopleRows, type PeopleQuery } from "~/reports/dashboard.server";
import * as dashboardPage from "~/routes/hr";
import * as reportPage from "~/routes/hr_.report";
import * as reportCsv from "~/routes/hr_.report[.csv]";
import { makeBundle, safeUseTrack } from "../helpers/content";
import { createDepartment, createUser, get } from "../helpers/factories";

const DAY = 86_400_000;
const now = new Date();
const day = (offset: number) => tokyoDay(new Date(now.getTime() + offset * DAY));
const ago = (days: number) => new Date(now.getTime() - days * DAY);

// A track of its own (other files' assignments never mix in); the release holds only it.
const track = { ...safeUseTrack, id: `t-dash-${randomUUID().slice(0, 6)}`, courses: ["c-dash"] };
const release = indexRelease(1, now, makeBundle({ tracks: [track] }));

type Person = Awaited<ReturnType<typeof createUser>>;
let hr: Person;
const p: Record<string, Person> = {};
let top: string;
let east: string;
let west: string;

/**
 * The fixture, by hand (all in `top` or under it; assigned the track by department, due in 30 days):
 *   p1 top (directly) — certified 10 days ago
 *   p2 east — certified 345 days ago (12 months' validity: ends in ~20 days)
 *   p3 east — opened a lesson: in progress
 *   p7 east — inactive: not counted
 *   p4 west — not started
 *   p5 west — also listed on an assignment due 5 days ago: overdue
 *   p6 west — certified 320 days ago (ends in ~45 days)
 *   p8 west — certified 100 days ago, revoked now: not started today, certified in the weeks before
 *   p9 elsewhere — not assigned
 */
beforeAll(async () => {
  hr = await createUser({ roles: ["hr"] });
  top = (await createDepartment({ nameJa: "本部", nameEn: "Head office" })).id;
  east = (await createDepartment({ nameJa: "東部", nameEn: "East", parentId: top })).id;
  west = (await createDepartment({ nameJa: "西部", nameEn: "West", parentId: top })).id;
  const elsewhere = (await createDepartment({ nameJa: "別部", nameEn: "Elsewhere" })).id;
  const person = (key: string, departmentId: string, kana: string, extra: { active?: boolean } = {}) =>
    createUser({ departmentId, familyName: `試験${key}`, givenName: "太郎", familyNameKana: kana, givenNameKana: "たろう", employeeNumber: `D${randomUUID().slice(0, 8)}`, ...extra }).then((u) => (p[key] = u));
  await person("p1", top, "あ");
  await person("p2", east, "い");
  await person("p3", east, "う");
  await person("p7", east, "え", { active: false });
  await person("p4", west, "お");
  await person("p5", west, "か");
  await person("p6", west, "き");
  await person("p8", west, "く");
  await person("p9", elsewhere, "け");
  await createAssignment(hr.id, { trackId: track.id, scope: "departments", departmentIds: [top], userIds: [], dueOn: day(30), newHireDays: null });
  await createAssignment(hr.id, { trackId: track.id, scope: "people", departmentIds: [], userIds: [p.p5!.id], dueOn: day(-5), newHireDays: null });
  const certify = (key: string, daysAgo: number) => recordExternalCertificate({ userId: p[key]!.id, track, passedAt: ago(daysAgo), evidence: "test", actorId: hr.id });
  await certify("p1", 10);
  await certify("p2", 345);
  await certify("p6", 320);
  await certify("p7", 10);
  const revoked = await certify("p8", 100);
  await revokeCertificate({ certificateId: revoked.id, reason: "Wrong person", actorId: hr.id });
  await getDb().insert(lessonProgress).values({ userId: p.p3!.id, lessonId: "l-dash", courseId: "c-dash" });
});

const counts = (certified: number, inProgress: number, notStarted: number, overdue: number) => ({ certified, "in-progress": inProgress, "not-started": notStarted, overdue });

describe("the HR dashboard's numbers", () => {
  it("counts each status per track and per sub-department, direct members apart, inactive people left out", async () => {
    const d = await hrDashboard({ release, trackId: null, departmentId: top, now: new Date() });
    expect(d.trackId).toBe(track.id);
    expect(d.tracks).toEqual([{ trackId: track.id, counts: counts(3, 1, 2, 1) }]);
    expect(Object.fromEntries(d.groups.map((g) => [g.key, g.counts]))).toEqual({
      direct: counts(1, 0, 0, 0),
      [east]: counts(1, 1, 0, 0),
      [west]: counts(1, 0, 2, 1),
    });
    expect(d.groups.map((g) => g.key)).toEqual(["direct", ...[east, west].sort((a, b) => a.toUpperCase().localeCompare(b.toUpperCase()))]);
    expect(d.groups.find((g) => g.key === east)).toMatchObject({ nameEn: "East", nameJa: "東部" });
  });

  it("groups the company by top-level department, each with everything under it", async () => {
    const d = await hrDashboard({ release, trackId: track.id, departmentId: null });
    expect(d.groups).toHaveLength(1);
    expect(d.groups[0]).toMatchObject({ key: top, nameEn: "Head office", counts: counts(3, 1, 2, 1) });
  });

  it("counts certificates ending within 30, 60 and 90 days (cumulative)", async () => {
    const d = await hrDashboard({ release, trackId: track.id, departmentId: top });
    expect(d.expiring).toEqual({ 30: 1, 60: 2, 90: 2 });
  });

  it("gives the certified share at the end of each past week among today's assigned, honouring revocation and later passes", async () => {
    const at = new Date(); // after the revocation
    const d = await hrDashboard({ release, trackId: track.id, departmentId: top, now: at });
    expect(d.series).toHaveLength(13);
    expect(d.series.every((s) => s.assigned === 7)).toBe(true);
    expect(d.series.at(-1)).toEqual({ day: tokyoDay(at), certified: 3, assigned: 7 });
    // A week ago: p1 (passed 10 days ago), p2, p6 and p8 (revoked only now).
    expect(d.series.at(-2)).toMatchObject({ day: day(-7), certified: 4 });
    // Two to twelve weeks ago: before p1 passed.
    expect(d.series.slice(0, -2).map((s) => s.certified)).toEqual(Array(11).fill(3));
  });

  it("answers with no tracks for a department nobody in is assigned", async () => {
    const empty = (await createDepartment({ nameJa: "空", nameEn: "Empty" })).id;
    const d = await hrDashboard({ release, trackId: null, departmentId: empty });
    expect(d).toMatchObject({ tracks: [], trackId: null, groups: [], expiring: { 30: 0, 60: 0, 90: 0 } });
  });
});

describe("the people behind a number", () => {
  const q = (over: Partial<PeopleQuery>): PeopleQuery => ({ trackId: track.id, departmentId: top, direct: false, status: null, expiring: null, ...over });

  it("lists the not-started of the department in kana order, with due day and no certificate", async () => {
    const page = await reportPeoplePage(release, q({ status: "not-started" }), { offset: 0, limit: 100 });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.id)).toEqual([p.p4!.id, p.p8!.id]);
    expect(page.rows[0]).toMatchObject({ status: "not-started", dueOn: day(30), certifiedUntil: null, departmentNameEn: "West", employeeNumber: p.p4!.employeeNumber });
  });

  it("lists those expiring within 60 days, direct members only, and pages with the total kept", async () => {
    expect((await reportPeoplePage(release, q({ expiring: 60 }), { offset: 0, limit: 100 })).rows.map((r) => r.id)).toEqual([p.p2!.id, p.p6!.id]);
    expect((await reportPeoplePage(release, q({ direct: true }), { offset: 0, limit: 100 })).rows.map((r) => r.id)).toEqual([p.p1!.id]);
    const second = await reportPeoplePage(release, q({}), { offset: 2, limit: 2 });
    expect(second).toMatchObject({ total: 7 });
    expect(second.rows.map((r) => r.id)).toEqual([p.p3!.id, p.p4!.id]);
    expect((await reportPeoplePage(release, q({}), { offset: 20, limit: 2 })).total).toBe(7);
  });

  it("streams the same list for the CSV in batches and audit-logs the export with its row count", async () => {
    const rows = [];
    for await (const row of reportPeopleRows(release, q({ status: "certified" }), hr.id)) rows.push(row);
    expect(rows.map((r) => r.id)).toEqual([p.p1!.id, p.p2!.id, p.p6!.id]);
    const [entry] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "export.report-people"), eq(auditLog.targetId, track.id)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry).toMatchObject({ actorId: hr.id, details: { rows: 3, complete: true, status: "certified", departmentId: top } });
  });
});

describe("who may read the HR dashboard", () => {
  async function status(loader: (args: LoaderFunctionArgs) => unknown, path: string, userId: string): Promise<number> {
    try {
      await loader({ request: await get(path, userId), params: {}, context: {} });
      return 200;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  }
  const pages = [
    [dashboardPage.loader, "/hr"],
    [reportPage.loader, `/hr/report?track=${track.id}`],
    [reportCsv.loader, `/hr/report.csv?track=${track.id}`],
  ] as const;

  it("refuses a learner, a manager and an author every HR report page and the CSV (403)", async () => {
    const learner = await createUser();
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const author = await createUser({ roles: ["author"] });
    for (const who of [learner, manager, author]) {
      for (const [loader, path] of pages) expect(await status(loader, path, who.id), `${path}`).toBe(403);
    }
  });
});
