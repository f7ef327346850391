import { and, eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { knowledgeCheckAnswers, lessonProgress } from "#db/schema";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease, requireRelease } from "~/content/release.server";
import { lessonStatus } from "~/learning/completion";
import { answerKnowledgeCheck, getLearnerProgress, markLessonOpened, markLessonRead, progressOfCourses } from "~/learning/progress.server";
import { minimumReadingSeconds } from "~/learning/reading";
import { createReadingToken } from "~/learning/reading-token.server";
import * as lessonRoute from "~/routes/learn.$courseId.$lessonId";
import { lesson, makeBundle, question } from "../helpers/content";
import { createUser, get, post, settle } from "../helpers/factories";

async function publish(bundle = makeBundle()) {
  await publishRelease(bundle, { id: null, name: "test" });
  return requireRelease();
}

/** A reading proof for a page shown long enough ago to count as read. */
function proofShownEarlier(userId: string, lessonId: string, minutes = 5) {
  return createReadingToken({ userId, lessonId }, new Date(Date.now() - (minimumReadingSeconds(minutes) + 1) * 1000));
}

const read = (userId: string, lessonId: string, courseId = "c1") =>
  markLessonRead({ userId, courseId, lessonId, proof: proofShownEarlier(userId, lessonId) });

const answer = (userId: string, lessonId: string, questionId: string, given: string[], lang: "ja" | "en" = "ja", courseId = "c1") =>
  answerKnowledgeCheck({ userId, courseId, lessonId, questionId, answer: given, lang });

describe("lesson progress", () => {
  it("completes a lesson only when read to the end and its checks were answered right once", async () => {
    await publish();
    const user = await createUser();

    expect(await read(user.id, "l1")).toEqual({ kind: "read", complete: false });
    const wrong = await answer(user.id, "l1", "q1", ["a"]);
    expect(wrong).toMatchObject({ kind: "incorrect", attempt: 1, reveal: null });
    const right = await answer(user.id, "l1", "q1", ["b"], "en");
    expect(right).toEqual({ kind: "correct", questionId: "q1", key: ["b"], explanation: "Because b.", lessonComplete: true });

    const release = await requireRelease();
    const [course] = progressOfCourses(release, await getLearnerProgress(user.id));
    expect(course).toMatchObject({ completed: 1, total: 2, resumeLessonId: "l2", minutesLeft: 5, status: "in-progress" });
    expect(await read(user.id, "l2")).toEqual({ kind: "read", complete: true });
    const [done] = progressOfCourses(release, await getLearnerProgress(user.id));
    expect(done).toMatchObject({ completed: 2, status: "complete", minutesLeft: 0 });
  });

  it("gives a first wrong answer a hint and no key, and reveals the key from the second wrong try", async () => {
    await publish();
    const user = await createUser();
    const first = await answer(user.id, "l1", "q1", ["a"]);
    // Japanese hints and explanations come with their phrase breaks (U+2063, shown as <wbr>).
    expect(first).toEqual({ kind: "incorrect", questionId: "q1", attempt: 1, hint: "レッスンの\u2063最初の\u2063節を\u2063読み直しましょう。", reveal: null });
    expect(JSON.stringify(first)).not.toContain("bだから");
    const second = await answer(user.id, "l1", "q1", ["c"]);
    expect(second).toMatchObject({ kind: "incorrect", attempt: 2, reveal: { key: ["b"], explanation: "bだからです。" } });

    // Every try is recorded with its number, for item analysis.
    const rows = await getDb()
      .select({ attempt: knowledgeCheckAnswers.attempt, correct: knowledgeCheckAnswers.correct, answer: knowledgeCheckAnswers.answer })
      .from(knowledgeCheckAnswers)
      .where(eq(knowledgeCheckAnswers.userId, user.id))
      .orderBy(knowledgeCheckAnswers.attempt);
    expect(rows).toEqual([
      { attempt: 1, correct: false, answer: ["a"] },
      { attempt: 2, correct: false, answer: ["c"] },
    ]);
  });

  it("refuses an exam question, a question of another lesson and a lesson reached through another course", async () => {
    await publish(
      makeBundle({
        questions: [question("q1", "c1", "l1"), question("q2", "c1", "l1", ["a", "c"]), question("x1", "c1", "l1", ["b"], "exam")],
        lessons: [lesson("l1", "c1", 0, ["q1", "x1"]), lesson("l2", "c1", 1)],
      }),
    );
    const user = await createUser();
    // An exam item is never graded here, even if a (tampered) lesson embeds it.
    expect(await answer(user.id, "l1", "x1", ["b"])).toEqual({ kind: "not-found" });
    expect(await answer(user.id, "l2", "q1", ["b"])).toEqual({ kind: "not-found" });
    expect(await answer(user.id, "l1", "q1", ["b"], "ja", "other-course")).toEqual({ kind: "not-found" });
    expect(await answer(user.id, "l1", "q1", ["z"])).toEqual({ kind: "invalid-answer", questionId: "q1" });
  });

  it("counts a lesson as read only with a proof that the page was shown long enough ago", async () => {
    await publish();
    const user = await createUser();
    const other = await createUser();
    const base = { userId: user.id, courseId: "c1", lessonId: "l2" };
    expect(await markLessonRead({ ...base, proof: null })).toEqual({ kind: "invalid-proof" });
    expect(await markLessonRead({ ...base, proof: "garbage" })).toEqual({ kind: "invalid-proof" });
    // Another person's or another lesson's proof does not count.
    expect(await markLessonRead({ ...base, proof: proofShownEarlier(other.id, "l2") })).toEqual({ kind: "invalid-proof" });
    expect(await markLessonRead({ ...base, proof: proofShownEarlier(user.id, "l1") })).toEqual({ kind: "invalid-proof" });
    // Shown just now: too soon to have read it.
    const now = new Date();
    const tooSoon = await markLessonRead({ ...base, proof: createReadingToken({ userId: user.id, lessonId: "l2" }, now), now });
    expect(tooSoon).toMatchObject({ kind: "too-soon" });
    expect(await getLearnerProgress(user.id).then((p) => p.byLesson.get("l2")?.readAt ?? null)).toBeNull();
    expect(await markLessonRead({ ...base, proof: proofShownEarlier(user.id, "l2") })).toEqual({ kind: "read", complete: true });
  });

  it("ends consistent when reading to the end races the last knowledge-check answer", async () => {
    // Many lessons, each with one check: the "read" post and the right answer arrive together.
    const lessons = Array.from({ length: 25 }, (_, i) => lesson(`r${i}`, "c1", i, [`rq${i}`]));
    await publish(
      makeBundle({
        courses: [{ id: "c1", title: { en: "Course", ja: "コース" }, summary: { en: "S", ja: "概要" }, lessons: lessons.map((l) => l.id) }],
        lessons,
        questions: lessons.map((l, i) => question(`rq${i}`, "c1", l.id)),
      }),
    );
    const user = await createUser();
    await Promise.all(lessons.flatMap((l, i) => [read(user.id, l.id), answer(user.id, l.id, `rq${i}`, ["b"])]));

    const rows = await getDb()
      .select({ lessonId: lessonProgress.lessonId, startedAt: lessonProgress.startedAt, readAt: lessonProgress.readAt, completedAt: lessonProgress.completedAt })
      .from(lessonProgress)
      .where(eq(lessonProgress.userId, user.id));
    const progress = await getLearnerProgress(user.id);
    expect(rows).toHaveLength(lessons.length);
    for (const row of rows) {
      const l = lessons.find((x) => x.id === row.lessonId)!;
      expect(lessonStatus(l, row, progress.correct)).toBe("complete");
      expect(row.completedAt, `completed_at of ${row.lessonId}`).not.toBeNull();
    }
  });

  // On the server, a write in flight holds the progress row's lock and the other write waits for it
  // (PGlite runs one transaction at a time, so there the writes cannot interleave at all).
  if (process.env.DATABASE_URL) {
    it("makes a knowledge-check answer wait for a read of the same lesson that is still in flight", async () => {
      await publish();
      const user = await createUser();
      await markLessonOpened({ userId: user.id, courseId: "c1", lessonId: "l1" });
      const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        let release!: () => void;
        const holding = new Promise<void>((resolve) => (release = resolve));
        let locked!: () => void;
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        const inFlight = other.begin(async (tx) => {
          await tx`select 1 from lesson_progress where user_id = ${user.id} and lesson_id = 'l1' for update`;
          await tx`update lesson_progress set read_at = now() where user_id = ${user.id} and lesson_id = 'l1'`;
          locked();
          await holding;
        });
        await isLocked;
        let done = false;
        const answering = answer(user.id, "l1", "q1", ["b"]).then((r) => ((done = true), r));
        await new Promise((r) => setTimeout(r, 300));
        expect(done, "the answer must wait for the read in flight").toBe(false);
        release();
        await inFlight;
        // It then sees the committed read and completes the lesson.
        expect(await answering).toMatchObject({ kind: "correct", lessonComplete: true });
      } finally {
        await other.end();
      }
    });
  }

  it("keeps progress across a new release, and a removed lesson no longer counts", async () => {
    await publish();
    const user = await createUser();
    await read(user.id, "l2");
    await answer(user.id, "l1", "q1", ["b"]);

    // The next release drops l1 and adds l3: l2 stays complete, the course now counts l2 and l3.
    await publish(
      makeBundle({
        lessons: [lesson("l2", "c1", 0), lesson("l3", "c1", 1)],
        courses: [{ id: "c1", title: { en: "Course", ja: "コース" }, summary: { en: "S", ja: "概要" }, lessons: ["l2", "l3"] }],
      }),
    );
    const next = (await getCurrentRelease())!;
    const [course] = progressOfCourses(next, await getLearnerProgress(user.id));
    expect(course).toMatchObject({ total: 2, completed: 1, resumeLessonId: "l3" });
  });
});

describe("the lesson page", () => {
  const params = { courseId: "c1", lessonId: "l1" };

  it("writes nothing when the page is only fetched; the page itself posts that it was opened", async () => {
    await publish();
    const user = await createUser();
    const data = await lessonRoute.loader({ request: await get("/learn/c1/l1", user.id), params, context: {} });
    expect(data.opened).toBe(false);
    expect(data.status).toBe("in-progress");
    const rows = () => getDb().select().from(lessonProgress).where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, "l1")));
    expect(await rows()).toHaveLength(0);

    const opened = await lessonRoute.action({ request: await post("/learn/c1/l1", { intent: "open" }, { userId: user.id }), params, context: {} });
    expect(opened).toEqual({ intent: "open" });
    expect(await rows()).toHaveLength(1);
    expect(await markLessonOpened({ userId: user.id, courseId: "c2", lessonId: "l1" })).toEqual({ kind: "not-found" });
  });

  it("answers a knowledge check through the lesson page, graded on the server", async () => {
    await publish();
    const user = await createUser();
    const request = await post("/learn/c1/l1", { intent: "answer", questionId: "q1", answer: "b" }, { userId: user.id });
    const result = await lessonRoute.action({ request, params, context: {} });
    expect(result).toMatchObject({ intent: "answer", result: { kind: "correct", questionId: "q1", key: ["b"] } });

    // A question that is not one of this lesson's checks is refused.
    const other = await post("/learn/c1/l1", { intent: "answer", questionId: "q2", answer: "a" }, { userId: user.id });
    expect(await lessonRoute.action({ request: other, params, context: {} })).toEqual({ intent: "answer", result: { kind: "not-found" } });
  });

  it("refuses a read posted straight after fetching the page, and takes the page's proof once the reading time has passed", async () => {
    await publish();
    const user = await createUser();
    const data = await lessonRoute.loader({ request: await get("/learn/c1/l1", user.id), params, context: {} });
    const tooSoon = await lessonRoute.action({ request: await post("/learn/c1/l1", { intent: "read", proof: data.reading.token }, { userId: user.id }), params, context: {} });
    expect(tooSoon).toMatchObject({ intent: "read", ok: false, reason: "too-soon" });
    const later = await lessonRoute.action({
      request: await post("/learn/c1/l1", { intent: "read", proof: proofShownEarlier(user.id, "l1") }, { userId: user.id }),
      params,
      context: {},
    });
    expect(later).toEqual({ intent: "read", ok: true, complete: false });
  });

  it("never sends answer keys to the lesson page", async () => {
    await publish();
    const user = await createUser();
    const data = await lessonRoute.loader({ request: await get("/learn/c1/l1", user.id), params, context: {} });
    expect(JSON.stringify(data)).not.toMatch(/"answer"|explanation|Because b|hint|読み直/);
    expect(data.questions.q1).toEqual({
      id: "q1",
      type: "single",
      stem: "問題 q1？",
      options: ["a", "b", "c", "d"].map((o) => ({ id: o, text: `選択肢 ${o}` })),
    });
  });

  it("refuses a person who may not learn", async () => {
    await publish();
    const user = await createUser({ active: false });
    const { value } = await settle(async () =>
      lessonRoute.action({ request: await post("/learn/c1/l1", { intent: "open" }, { userId: user.id }), params, context: {} }),
    );
    expect((value as Response).status).toBe(302);
  });
});
