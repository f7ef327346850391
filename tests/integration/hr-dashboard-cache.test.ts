import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { departments, lessonProgress, users } from "#db/schema";
import { tokyoDay } from "~/assignments/assignment-status";
import { createAssignment, withdrawAssignment } from "~/assignments/assignments.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease, invalidateReleaseCache, type LoadedRelease } from "~/content/release.server";
import { applyText } from "~/org/import/org-import.server";
import { cachedHrDashboard, createDashboardCache, figureChangeStamp, type DashboardCache } from "~/reports/dashboard-cache.server";
import type { Dashboard } from "~/reports/dashboard.server";
import * as dashboardPage from "~/routes/hr";
import { makeBundle, safeUseTrack } from "../helpers/content";
import { createUser, get } from "../helpers/factories";

const DAY = 86_400_000;
const due = tokyoDay(new Date(Date.now() + 30 * DAY));
const p = `k${randomUUID().slice(0, 5)}`;
const track = { ...safeUseTrack, id: `t-cache-${p}`, courses: ["c-cache"] };
const otherTrack = { ...safeUseTrack, id: `t-cache-other-${p}`, courses: ["c-cache-other"] };

const HEADER = "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active";
const row = (n: string, department: string) => `${p}${n},試験,${n},シケン,タロウ,${p}.${n}@example.com,${p}-${department},部署${department},,ja,true`;
const hrRow = () => `${p}HR,試験,人事,シケン,ジンジ,${hrEmail},,,,ja,true`;
const orgFile = (...rows: string[]) => [HEADER, hrRow(), ...rows].join("\r\n") + "\r\n";
const baseRows = [row("01", "A"), row("02", "A"), row("03", "A"), row("04", "B"), row("05", "B")];

let hrEmail: string;
let hrId: string;
let release: LoadedRelease;
let deptA: string;
let deptB: string;

/** A clock the test moves by hand, one millisecond on at every reading (so separate computations differ). */
function manualClock() {
  let now = Date.now();
  return { clock: () => new Date(now++), advance: (seconds: number) => (now += seconds * 1000) };
}

const assignedOf = (d: Dashboard, trackId = track.id) => {
  const counts = d.tracks.find((t) => t.trackId === trackId)?.counts;
  return counts ? counts.certified + counts["in-progress"] + counts["not-started"] + counts.overdue : 0;
};

function figures(cache: DashboardCache, options: { departmentId?: string | null; trackId?: string | null; fresh?: boolean; maxAgeSeconds?: number } = {}) {
  return cachedHrDashboard(
    { release, trackId: options.trackId === undefined ? track.id : options.trackId, departmentId: options.departmentId ?? null, fresh: options.fresh },
    { cache, maxAgeSeconds: options.maxAgeSeconds ?? 60 },
  );
}

beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [track, otherTrack] }), { id: null, name: "test" });
  invalidateReleaseCache();
  release = (await getCurrentRelease())!;
  const hr = await createUser({ roles: ["hr"], employeeNumber: `${p}HR` });
  hrId = hr.id;
  hrEmail = hr.email;
  // The organisation comes from an import, so later imports only change what they mean to.
  expect(await applyText(orgFile(...baseRows), { via: "command-line", actorId: hrId, confirmDeactivations: true })).toMatchObject({ kind: "applied" });
  const code = (c: string) => getDb().select({ id: departments.id }).from(departments).where(eq(departments.code, `${p}-${c}`));
  deptA = (await code("A"))[0]!.id;
  deptB = (await code("B"))[0]!.id;
  await createAssignment(hrId, { trackId: track.id, scope: "departments", departmentIds: [deptA], userIds: [], dueOn: due, newHireDays: null });
  await createAssignment(hrId, { trackId: otherTrack.id, scope: "departments", departmentIds: [deptB], userIds: [], dueOn: due, newHireDays: null });
});

describe("the HR dashboard's kept figures", () => {
  it("shows kept figures, with the time they were computed, while they are fresh", async () => {
    const { clock, advance } = manualClock();
    const cache = createDashboardCache({ clock });
    const first = await figures(cache);
    expect(first.fromCache).toBe(false);
    expect(assignedOf(first.dashboard)).toBe(3);
    advance(30);
    const second = await figures(cache);
    expect(second.fromCache).toBe(true);
    expect(second.computedAt).toEqual(first.computedAt);
    expect(second.dashboard).toBe(first.dashboard);
  });

  it("shows a learner's own progress once the max age has passed, not before", async () => {
    const { clock, advance } = manualClock();
    const cache = createDashboardCache({ clock });
    const before = await figures(cache);
    const learner = await personId("02");
    await getDb().insert(lessonProgress).values({ userId: learner, lessonId: "l-cache", courseId: "c-cache" });
    advance(59);
    const kept = await figures(cache);
    expect(kept.fromCache).toBe(true);
    expect(kept.dashboard.tracks[0]!.counts["in-progress"]).toBe(before.dashboard.tracks[0]!.counts["in-progress"]);
    advance(2);
    const later = await figures(cache);
    expect(later.fromCache).toBe(false);
    expect(later.dashboard.tracks[0]!.counts["in-progress"]).toBe(before.dashboard.tracks[0]!.counts["in-progress"] + 1);
  });

  it("shows an assignment HR creates, and one HR withdraws, at once", async () => {
    const cache = createDashboardCache({ clock: manualClock().clock });
    const before = await figures(cache);
    const stampBefore = await figureChangeStamp();
    const newcomer = await createUser({ departmentId: deptB });
    const id = await createAssignment(hrId, { trackId: track.id, scope: "people", departmentIds: [], userIds: [newcomer.id], dueOn: due, newHireDays: null });
    expect(await figureChangeStamp()).toBeGreaterThan(stampBefore!);
    const after = await figures(cache);
    expect(after.fromCache).toBe(false);
    expect(assignedOf(after.dashboard)).toBe(assignedOf(before.dashboard) + 1);
    await withdrawAssignment(hrId, id);
    const withdrawn = await figures(cache);
    expect(withdrawn.fromCache).toBe(false);
    expect(assignedOf(withdrawn.dashboard)).toBe(assignedOf(before.dashboard));
  });

  it("shows a certificate HR records at once", async () => {
    const cache = createDashboardCache({ clock: manualClock().clock });
    const before = await figures(cache);
    await recordExternalCertificate({ userId: await personId("03"), track, passedAt: new Date(), evidence: "test", actorId: hrId });
    const after = await figures(cache);
    expect(after.dashboard.tracks[0]!.counts.certified).toBe(before.dashboard.tracks[0]!.counts.certified + 1);
  });

  it("shows an applied org import at once", async () => {
    const cache = createDashboardCache({ clock: manualClock().clock });
    const before = await figures(cache);
    // A new person in department A (assigned the track), and 05 moved from B to A.
    const outcome = await applyText(orgFile(...baseRows.filter((r) => !r.startsWith(`${p}05`)), row("05", "A"), row("06", "A")), {
      via: "command-line",
      actorId: hrId,
      confirmDeactivations: true,
    });
    expect(outcome).toMatchObject({ kind: "applied", summary: { created: 1 } });
    const after = await figures(cache);
    expect(after.fromCache).toBe(false);
    expect(assignedOf(after.dashboard)).toBe(assignedOf(before.dashboard) + 2);
  });

  it("keeps departments and tracks apart", async () => {
    const cache = createDashboardCache({ clock: manualClock().clock });
    const company = await figures(cache);
    const a = await figures(cache, { departmentId: deptA });
    const b = await figures(cache, { departmentId: deptB });
    const other = await figures(cache, { trackId: otherTrack.id });
    expect([company, a, b, other].map((f) => f.fromCache)).toEqual([false, false, false, false]);
    expect(b.dashboard.tracks.map((t) => t.trackId)).toEqual([otherTrack.id]);
    expect(a.dashboard.tracks.map((t) => t.trackId)).toEqual([track.id]);
    expect(other.dashboard.trackId).toBe(otherTrack.id);
    expect(company.dashboard.trackId).toBe(track.id);
    expect((await figures(cache, { departmentId: deptA })).dashboard).toBe(a.dashboard);
    expect((await figures(cache, { trackId: otherTrack.id })).dashboard).toBe(other.dashboard);
  });

  it("keeps at most the bounded number of dashboards, the least recently used going first", async () => {
    const cache = createDashboardCache({ clock: manualClock().clock, maxEntries: 2 });
    await figures(cache, { departmentId: deptA });
    await figures(cache, { departmentId: deptB });
    await figures(cache, { departmentId: deptA });
    await figures(cache); // the company: B goes
    expect(cache.size).toBe(2);
    expect((await figures(cache, { departmentId: deptA })).fromCache).toBe(true);
    expect((await figures(cache, { departmentId: deptB })).fromCache).toBe(false);
  });

  it("computes once for concurrent readers of one dashboard", async () => {
    const cache = createDashboardCache({ clock: manualClock().clock });
    const all = await Promise.all([figures(cache), figures(cache), figures(cache), figures(cache, { departmentId: deptA })]);
    expect(all[1]!.dashboard).toBe(all[0]!.dashboard);
    expect(all[2]!.dashboard).toBe(all[0]!.dashboard);
    expect(all[3]!.dashboard).not.toBe(all[0]!.dashboard);
    expect(new Set(all.slice(0, 3).map((f) => f.computedAt.getTime())).size).toBe(1);
  });

  it("computes every time when the max age is 0", async () => {
    const cache = createDashboardCache({ clock: manualClock().clock });
    const first = await figures(cache, { maxAgeSeconds: 0 });
    const second = await figures(cache, { maxAgeSeconds: 0 });
    expect([first.fromCache, second.fromCache]).toEqual([false, false]);
    expect(second.dashboard).not.toBe(first.dashboard);
    expect(cache.size).toBe(0);
  });
});

describe("the dashboard page", () => {
  type PageData = { computedAt: string; tracks: Dashboard["tracks"]; maxAgeSeconds: number };
  const page = async (path: string) => (await dashboardPage.loader({ request: await get(path, hrId), params: {}, context: {} })) as unknown as PageData;
  const notStarted = (d: PageData) => d.tracks.find((t) => t.trackId === track.id)!.counts["not-started"];

  it("says when its figures were computed; Refresh now (fresh=1) computes anew and refills them", async () => {
    const first = await page(`/hr?track=${track.id}`);
    expect(first.maxAgeSeconds).toBe(60);
    const kept = await page(`/hr?track=${track.id}`);
    expect(kept.computedAt).toBe(first.computedAt);
    // A learner starts (not audited): the kept figures do not show it yet; a refresh does.
    await getDb().insert(lessonProgress).values({ userId: await personId("01"), lessonId: "l-cache-2", courseId: "c-cache" });
    expect(notStarted(await page(`/hr?track=${track.id}`))).toBe(notStarted(first));
    const refreshed = await page(`/hr?track=${track.id}&fresh=1`);
    expect(notStarted(refreshed)).toBe(notStarted(first) - 1);
    expect(new Date(refreshed.computedAt).getTime()).toBeGreaterThan(new Date(first.computedAt).getTime());
    const after = await page(`/hr?track=${track.id}`);
    expect(after.computedAt).toBe(refreshed.computedAt);
    expect(notStarted(after)).toBe(notStarted(refreshed));
  });
});

async function personId(n: string): Promise<string> {
  const [found] = await getDb().select({ id: users.id }).from(users).where(eq(users.employeeNumber, `${p}${n}`));
  return found!.id;
}
