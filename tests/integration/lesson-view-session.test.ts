import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb, statementCount } from "#db/client.server";
import { knowledgeCheckAnswers, lessonProgress, sessions, users } from "#db/schema";
import { getSessionWith } from "~/auth/session.server";
import { publishRelease } from "~/content/publish.server";
import { requireRelease } from "~/content/release.server";
import { minimumReadingSeconds } from "~/learning/reading";
import { answerKnowledgeCheck, getLearnerProgress, markLessonOpened, markLessonRead, progressWithSession } from "~/learning/progress.server";
import { createReadingToken } from "~/learning/reading-token.server";
import * as root from "~/root";
import * as lessonRoute from "~/routes/learn.$courseId.$lessonId";
import * as logoutRoute from "~/routes/logout";
import { makeBundle } from "../helpers/content";
import { createDepartment, createUser, csrfFor, settle, signedInCookie } from "../helpers/factories";

/**
 * The lesson page's session check and the learner's progress travel in one statement (the root loader's
 * session check included), and the answers are the ones separate queries give: sign-out, expiry,
 * deactivation and role changes count at once.
 */
const context = { clientIp: "10.0.0.1", requestId: "t", nonce: "n" };
const page = (cookie: string, lessonId = "l1") =>
  new Request(`http://localhost/learn/c1/${lessonId}`, { headers: { Cookie: cookie } });

/** Both loaders of a page view, started together as Remix starts them. */
async function view(cookie: string, lessonId = "l1") {
  const request = page(cookie, lessonId);
  const [rootResult, lesson] = await Promise.all([
    settle(() => root.loader({ request, params: {}, context })),
    settle(() => lessonRoute.loader({ request, params: { courseId: "c1", lessonId }, context })),
  ]);
  const rootData = rootResult.thrown ? null : (rootResult.value as { data: { viewer: { roles: string[] } | null } }).data;
  return { rootData, lesson };
}

async function learnerWithProgress() {
  await publishRelease(makeBundle(), { id: null, name: "test" });
  const user = await createUser();
  const shownEarlier = createReadingToken({ userId: user.id, lessonId: "l1" }, new Date(Date.now() - (minimumReadingSeconds(5) + 1) * 1000));
  await markLessonRead({ userId: user.id, courseId: "c1", lessonId: "l1", proof: shownEarlier });
  await answerKnowledgeCheck({ userId: user.id, courseId: "c1", lessonId: "l1", questionId: "q1", answer: ["a"], lang: "en" });
  await answerKnowledgeCheck({ userId: user.id, courseId: "c1", lessonId: "l1", questionId: "q1", answer: ["b"], lang: "en" });
  await markLessonOpened({ userId: user.id, courseId: "c1", lessonId: "l2" });
  return { user, cookie: await signedInCookie(user.id) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a lesson view", () => {
  it("sends one statement for the session, the root's check and the learner's progress", async () => {
    const { cookie } = await learnerWithProgress();
    await view(cookie); // the release and the demo-account check are cached per process
    // Time stands still (the caches above do not expire mid-test); timers still run.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const before = statementCount();
    const { rootData, lesson } = await view(cookie);
    expect(statementCount() - before).toBe(1);
    expect(rootData?.viewer).not.toBeNull();
    expect(lesson.thrown).toBe(false);
    expect(lesson.value).toMatchObject({ status: "complete", opened: true, read: true, answeredCorrectly: ["q1"], courseComplete: false });
  });

  it("shows the progress separate queries show", async () => {
    const { user, cookie } = await learnerWithProgress();
    const db = getDb();
    const rows = await db
      .select({ lessonId: lessonProgress.lessonId, startedAt: lessonProgress.startedAt, readAt: lessonProgress.readAt, completedAt: lessonProgress.completedAt })
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, user.id));
    const correct = await db
      .selectDistinct({ questionId: knowledgeCheckAnswers.questionId })
      .from(knowledgeCheckAnswers)
      .where(and(eq(knowledgeCheckAnswers.userId, user.id), eq(knowledgeCheckAnswers.correct, true)));
    const expected = { byLesson: new Map(rows.map((r) => [r.lessonId, r])), correct: new Set(correct.map((r) => r.questionId)) };
    expect(rows).toHaveLength(2);
    expect(expected.correct).toEqual(new Set(["q1"]));

    const withSession = await getSessionWith(page(cookie), progressWithSession);
    expect(withSession.user?.id).toBe(user.id);
    expect(withSession.value).toEqual(expected);
    expect(await getLearnerProgress(user.id)).toEqual(expected);

    // Another learner with nothing yet: empty, not someone else's.
    const other = await createUser();
    expect((await getSessionWith(page(await signedInCookie(other.id)), progressWithSession)).value).toEqual({ byLesson: new Map(), correct: new Set() });
    expect(await getLearnerProgress(other.id)).toEqual({ byLesson: new Map(), correct: new Set() });
  });

  it("also works when the progress is asked for after the session statement went (its own query)", async () => {
    const { user, cookie } = await learnerWithProgress();
    const request = page(cookie);
    await root.loader({ request, params: {}, context });
    const before = statementCount();
    const late = await getSessionWith(request, progressWithSession);
    expect(statementCount() - before).toBe(1);
    expect(late.value).toEqual(await getLearnerProgress(user.id));
  });

  it("is refused at once after signing out, at expiry, after deactivation; a role change shows at once", async () => {
    const { user, cookie } = await learnerWithProgress();
    expect((await view(cookie)).lesson.thrown).toBe(false);

    const redirectedToSignIn = (result: { thrown: boolean; value: unknown }) =>
      result.thrown && result.value instanceof Response && result.value.status === 302 && result.value.headers.get("Location")?.startsWith("/login?");

    // Role change: granted HR, the very next view's viewer says so; a manager (having a report) too.
    await getDb().update(users).set({ roles: ["hr"] }).where(eq(users.id, user.id));
    expect((await view(cookie)).rootData?.viewer?.roles).toEqual(["learner", "hr"]);
    const dept = await createDepartment();
    await createUser({ managerId: user.id, departmentId: dept.id });
    expect((await view(cookie)).rootData?.viewer?.roles).toEqual(["learner", "manager", "hr"]);

    // Deactivated: refused, and back when active again.
    await getDb().update(users).set({ active: false }).where(eq(users.id, user.id));
    const inactive = await view(cookie);
    expect(redirectedToSignIn(inactive.lesson)).toBe(true);
    expect(inactive.rootData?.viewer).toBeNull();
    await getDb().update(users).set({ active: true }).where(eq(users.id, user.id));
    expect((await view(cookie)).lesson.thrown).toBe(false);

    // Idle expiry passed: refused (and the ended session is deleted).
    const expiring = await signedInCookie(user.id);
    const expiringId = decodeURIComponent(expiring.split("=")[1]!);
    await getDb().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, expiringId));
    expect(redirectedToSignIn((await view(expiring)).lesson)).toBe(true);
    expect(await getDb().select().from(sessions).where(eq(sessions.id, expiringId))).toEqual([]);

    // Absolute lifetime passed although used a moment ago: refused.
    const old = await signedInCookie(user.id);
    const oldId = decodeURIComponent(old.split("=")[1]!);
    await getDb().update(sessions).set({ createdAt: new Date(Date.now() - 400 * 86_400_000) }).where(eq(sessions.id, oldId));
    expect(redirectedToSignIn((await view(old)).lesson)).toBe(true);

    // Signed out: the very next view is refused.
    const csrf = await csrfFor(cookie);
    const logout = new Request("http://localhost/logout", {
      method: "POST",
      body: new URLSearchParams({ csrf: csrf.token }),
      headers: { Cookie: csrf.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    });
    await settle(() => logoutRoute.action({ request: logout, params: {}, context }));
    const after = await view(cookie);
    expect(redirectedToSignIn(after.lesson)).toBe(true);
    expect(after.rootData?.viewer).toBeNull();
  });
});
