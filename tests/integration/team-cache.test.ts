import type { ActionFunctionArgs } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { lessonProgress } from "#db/schema";
import { tokyoDay } from "~/assignments/assignment-status";
import { createAssignment } from "~/assignments/assignments.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease, invalidateReleaseCache, type LoadedRelease } from "~/content/release.server";
import * as teamRoute from "~/routes/team";
import { cachedTeamPage, createTeamCache, type TeamCache } from "~/team/team-cache.server";
import { makeBundle, safeUseTrack } from "../helpers/content";
import { createUser, get, post } from "../helpers/factories";

const DAY = 86_400_000;
const p = `tc${randomUUID().slice(0, 5)}`;
const track = { ...safeUseTrack, id: `t-team-cache-${p}`, courses: [`c-team-cache-${p}`] };
const due = tokyoDay(new Date(Date.now() + 30 * DAY));

type U = Awaited<ReturnType<typeof createUser>>;
let hr: U, manager: U, starter: U, holder: U, newcomer: U;
let release: LoadedRelease;

/** A clock the test moves by hand, one millisecond on at every reading (so separate computations differ). */
function manualClock() {
  let now = Date.now();
  return { clock: () => new Date(now++), advance: (seconds: number) => (now += seconds * 1000) };
}

function view(cache: TeamCache, options: { fresh?: boolean; maxAgeSeconds?: number; managerId?: string } = {}) {
  return cachedTeamPage(
    { managerId: options.managerId ?? manager.id, release, filter: { status: null, track: null }, page: 1, pageSize: 50, fresh: options.fresh },
    { cache, maxAgeSeconds: options.maxAgeSeconds ?? 60 },
  );
}
const statusOf = (page: Awaited<ReturnType<typeof view>>, person: U) => page.team.people.find((x) => x.id === person.id)?.cells[track.id]?.status;

beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [track] }), { id: null, name: "test" });
  invalidateReleaseCache();
  release = (await getCurrentRelease())!;
  hr = await createUser({ roles: ["hr"] });
  manager = await createUser({ familyNameKana: "かんり" });
  starter = await createUser({ managerId: manager.id, familyNameKana: "あ" });
  holder = await createUser({ managerId: manager.id, familyNameKana: "い" });
  newcomer = await createUser({ managerId: manager.id, familyNameKana: "う" });
  await createAssignment(hr.id, { trackId: track.id, scope: "people", departmentIds: [], userIds: [starter.id, holder.id], dueOn: due, newHireDays: null });
});

describe("the team view's kept pages", () => {
  it("keeps a page while fresh; a learner's own progress shows within the max age, or at once with Refresh now", async () => {
    const { clock, advance } = manualClock();
    const cache = createTeamCache({ clock });
    const first = await view(cache);
    expect(first.fromCache).toBe(false);
    expect(statusOf(first, starter)).toBe("not-started");
    const kept = await view(cache);
    expect(kept).toMatchObject({ fromCache: true, computedAt: first.computedAt });

    // The learner starts a lesson (not audited): the kept page does not show it yet…
    await getDb().insert(lessonProgress).values({ userId: starter.id, lessonId: "l1", courseId: track.courses[0]! });
    advance(59);
    expect(statusOf(await view(cache), starter)).toBe("not-started");
    // …Refresh now does, and refills the page for the next view.
    const refreshed = await view(cache, { fresh: true });
    expect(refreshed.fromCache).toBe(false);
    expect(statusOf(refreshed, starter)).toBe("in-progress");
    expect(await view(cache)).toMatchObject({ fromCache: true, computedAt: refreshed.computedAt });

    // Without a refresh, the change shows once the page is older than the max age.
    await getDb().insert(lessonProgress).values({ userId: holder.id, lessonId: "l1", courseId: track.courses[0]! });
    advance(59);
    expect(statusOf(await view(cache), holder)).toBe("not-started");
    advance(2);
    const aged = await view(cache);
    expect(aged.fromCache).toBe(false);
    expect(statusOf(aged, holder)).toBe("in-progress");
  });

  it("shows HR's changes at once, whatever the max age: a certificate recorded, an assignment made", async () => {
    const cache = createTeamCache();
    const before = await view(cache, { maxAgeSeconds: 3600 });
    expect(statusOf(before, holder)).not.toBe("certified");
    expect(before.team.people.find((x) => x.id === newcomer.id)?.cells).toEqual({});

    await recordExternalCertificate({ userId: holder.id, track, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    const certified = await view(cache, { maxAgeSeconds: 3600 });
    expect(certified.fromCache).toBe(false);
    expect(statusOf(certified, holder)).toBe("certified");

    await createAssignment(hr.id, { trackId: track.id, scope: "people", departmentIds: [], userIds: [newcomer.id], dueOn: due, newHireDays: null });
    const assigned = await view(cache, { maxAgeSeconds: 3600 });
    expect(assigned.fromCache).toBe(false);
    expect(statusOf(assigned, newcomer)).toBe("not-started");
    expect(assigned.team.summary.people).toBe(3);
  });

  it("keeps each manager's own page: another manager never gets it", async () => {
    const cache = createTeamCache();
    const other = await createUser();
    const report = await createUser({ managerId: other.id });
    await view(cache);
    const theirs = await view(cache, { managerId: other.id });
    expect(theirs.fromCache).toBe(false);
    expect(theirs.team.people.map((x) => x.id)).toEqual([report.id]);
  });

  it("with a max age of 0 computes every view", async () => {
    const cache = createTeamCache();
    await view(cache, { maxAgeSeconds: 0 });
    expect((await view(cache, { maxAgeSeconds: 0 })).fromCache).toBe(false);
    expect(cache.size).toBe(0);
  });
});

describe("the /team page with kept pages", () => {
  type PageData = Awaited<ReturnType<typeof teamRoute.loader>>;
  const load = async (path: string) => (await teamRoute.loader({ request: await get(path, manager.id, { "Accept-Language": "en" }), params: {}, context: {} })) as PageData;

  it("says when its page was computed, refreshes with fresh=1, and shows a Remind at once", async () => {
    const first = await load("/team");
    expect(first.maxAgeSeconds).toBe(60);
    expect(first.computedToday).toBe(true);
    const kept = await load("/team");
    expect(kept.computedAt).toBe(first.computedAt);
    const refreshed = await load("/team?fresh=1");
    expect(new Date(refreshed.computedAt).getTime()).toBeGreaterThan(new Date(first.computedAt).getTime());

    // Whom the manager reminded today is read on every view, so the kept page still shows the Remind.
    const target = Object.entries(kept.targets).find(([, t]) => !t.reminded)![0];
    const request = await post("/team", { intent: "remind", personId: target }, { userId: manager.id, headers: { "Accept-Language": "en" } });
    await teamRoute.action({ request, params: {}, context: {} } as ActionFunctionArgs).catch((thrown: unknown) => {
      if (!(thrown instanceof Response)) throw thrown;
    });
    const after = await load("/team");
    expect(after.computedAt).toBe(refreshed.computedAt);
    expect(after.targets[target]!.reminded).toBe(true);
  });
});
