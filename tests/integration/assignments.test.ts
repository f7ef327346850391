import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { assignments, lessonProgress, users } from "#db/schema";
import { assignmentStatus, tokyoDay } from "~/assignments/assignment-status";
import { assignmentRows, createAssignment, listAssignments, myAssignments, withdrawAssignment } from "~/assignments/assignments.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { indexRelease } from "~/content/release.server";
import { makeBundle, safeUseTrack } from "../helpers/content";
import { createDepartment, createUser } from "../helpers/factories";

const DAY = 86_400_000;
const now = new Date();
const today = tokyoDay(now);
const day = (offset: number) => tokyoDay(new Date(now.getTime() + offset * DAY));

// Track ids of their own, so other test files' assignments never mix in.
const track = { ...safeUseTrack, id: `t-asg-${randomUUID().slice(0, 6)}`, courses: ["c-asg-1", "c-asg-2"] };
const other = { ...safeUseTrack, id: `t-asg2-${randomUUID().slice(0, 6)}`, courses: ["c-asg-3"] };
const release = indexRelease(1, now, makeBundle({ tracks: [track, other] }));
const mine = <T extends { trackId: string }>(rows: T[]) => rows.filter((r) => r.trackId === track.id || r.trackId === other.id);

let hr: Awaited<ReturnType<typeof createUser>>;
let sales: string;
let salesEast: string;
let finance: string;

beforeAll(async () => {
  hr = await createUser({ roles: ["hr"] });
  sales = (await createDepartment({ nameJa: "営業本部", nameEn: "Sales" })).id;
  salesEast = (await createDepartment({ nameJa: "東日本営業部", nameEn: "Sales East", parentId: sales })).id;
  finance = (await createDepartment({ nameJa: "経理部", nameEn: "Finance" })).id;
});

describe("who an assignment reaches", () => {
  it("reaches a department with its sub-departments, follows people who move, and leaves out inactive people", async () => {
    const head = await createUser({ departmentId: sales });
    const east = await createUser({ departmentId: salesEast });
    const mover = await createUser({ departmentId: finance });
    const leaver = await createUser({ departmentId: salesEast, active: false });
    await createAssignment(hr.id, { trackId: track.id, scope: "departments", departmentIds: [sales], userIds: [], dueOn: day(30), newHireDays: null });

    const reached = async () =>
      mine(await assignmentRows(release, { kind: "people", userIds: [head.id, east.id, mover.id, leaver.id] }, now))
        .map((r) => r.userId)
        .sort();
    expect(await reached()).toEqual([head.id, east.id].sort());

    await getDb().update(users).set({ departmentId: salesEast }).where(eq(users.id, mover.id));
    expect(await reached()).toEqual([head.id, east.id, mover.id].sort());
    await getDb().update(users).set({ departmentId: finance }).where(eq(users.id, east.id));
    expect(await reached()).toEqual([head.id, mover.id].sort());
  });

  it("reaches listed people only, and one person once per track with the earliest due day", async () => {
    const listed = await createUser({ departmentId: finance });
    const notListed = await createUser({ departmentId: finance });
    await createAssignment(hr.id, { trackId: other.id, scope: "people", departmentIds: [], userIds: [listed.id], dueOn: day(40), newHireDays: null });
    await createAssignment(hr.id, { trackId: other.id, scope: "departments", departmentIds: [finance], userIds: [], dueOn: day(20), newHireDays: null });
    const rows = mine(await assignmentRows(release, { kind: "people", userIds: [listed.id, notListed.id] }, now)).filter((r) => r.trackId === other.id);
    expect(rows.map((r) => [r.userId, r.dueOn]).sort()).toEqual([[listed.id, day(20)], [notListed.id, day(20)]].sort());
  });

  it("gives new hires N days from joining and people already there the fixed day", async () => {
    const dept = (await createDepartment({ nameJa: "新設部", nameEn: "New" })).id;
    const veteran = await createUser({ departmentId: dept, createdAt: new Date(now.getTime() - 400 * DAY) });
    const id = await createAssignment(hr.id, { trackId: track.id, scope: "departments", departmentIds: [dept], userIds: [], dueOn: day(10), newHireDays: 45 });
    await getDb().update(assignments).set({ createdAt: new Date(now.getTime() - 5 * DAY) }).where(eq(assignments.id, id));
    const newHire = await createUser({ departmentId: dept, createdAt: new Date(now.getTime() - 2 * DAY) });
    const rows = mine(await assignmentRows(release, { kind: "department", departmentId: dept }, now));
    const due = Object.fromEntries(rows.map((r) => [r.userId, r.dueOn]));
    expect(due[veteran.id]).toBe(day(10));
    expect(due[newHire.id]).toBe(day(43));
  });
});

describe("where people stand", () => {
  it("is certified, in progress, not started or overdue — the same as the pure rules say", async () => {
    const dept = (await createDepartment({ nameJa: "品質保証部", nameEn: "QA" })).id;
    const certified = await createUser({ departmentId: dept, familyNameKana: "あ" });
    const started = await createUser({ departmentId: dept });
    const idle = await createUser({ departmentId: dept });
    const expired = await createUser({ departmentId: dept });
    await createAssignment(hr.id, { trackId: track.id, scope: "departments", departmentIds: [dept], userIds: [], dueOn: day(14), newHireDays: null });
    await createAssignment(hr.id, { trackId: other.id, scope: "departments", departmentIds: [dept], userIds: [], dueOn: day(-1), newHireDays: null });
    await recordExternalCertificate({ userId: certified.id, track, passedAt: new Date(now.getTime() - 10 * DAY), evidence: "G検定", actorId: hr.id });
    // A certificate that ran out yesterday does not count.
    await recordExternalCertificate({ userId: expired.id, track: { ...track, validityMonths: 1 }, passedAt: new Date(now.getTime() - 40 * DAY), evidence: "G検定", actorId: hr.id });
    await getDb().insert(lessonProgress).values({ userId: started.id, lessonId: "l-asg", courseId: "c-asg-2" });

    const rows = mine(await assignmentRows(release, { kind: "department", departmentId: dept }, now));
    const status = (userId: string, trackId: string) => rows.find((r) => r.userId === userId && r.trackId === trackId)?.status;
    expect(status(certified.id, track.id)).toBe("certified");
    expect(status(started.id, track.id)).toBe("in-progress");
    expect(status(idle.id, track.id)).toBe("not-started");
    expect(status(expired.id, track.id)).toBe("not-started");
    for (const user of [certified, started, idle, expired]) expect(status(user.id, other.id)).toBe("overdue");
    for (const row of rows) expect(row.status).toBe(assignmentStatus(row, today));
  });

  it("shows a learner their assignments most urgent first, and forgets withdrawn ones", async () => {
    const learner = await createUser({ departmentId: finance });
    const later = await createAssignment(hr.id, { trackId: track.id, scope: "people", departmentIds: [], userIds: [learner.id], dueOn: day(60), newHireDays: null });
    await createAssignment(hr.id, { trackId: other.id, scope: "people", departmentIds: [], userIds: [learner.id], dueOn: day(-3), newHireDays: null });
    const first = mine(await myAssignments(release, learner.id, now));
    expect(first.map((a) => [a.trackId, a.status, a.daysLeft])).toEqual([
      [other.id, "overdue", -3],
      [track.id, "not-started", 60],
    ]);
    expect(await withdrawAssignment(hr.id, later, now)).toBe(true);
    expect(await withdrawAssignment(hr.id, later, now)).toBe(false);
    const after = mine(await myAssignments(release, learner.id, now));
    // Finance's department assignment of `other` still reaches them; the withdrawn one is gone.
    expect(after.map((a) => a.trackId)).toEqual([other.id]);
    expect((await listAssignments()).some((a) => a.id === later)).toBe(false);
  });
});
