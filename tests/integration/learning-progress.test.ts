import { describe, expect, it } from "vitest";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease, requireRelease } from "~/content/release.server";
import { answerKnowledgeCheck, getLearnerProgress, markLessonRead, progressOfCourses } from "~/learning/progress.server";
import * as lessonRoute from "~/routes/learn.$courseId.$lessonId";
import { lesson, makeBundle } from "../helpers/content";
import { createUser, get, post, settle } from "../helpers/factories";

async function publish(bundle = makeBundle()) {
  await publishRelease(bundle, { id: null, name: "test" });
  return requireRelease();
}

describe("lesson progress", () => {
  it("completes a lesson only when read to the end and its checks were answered right once", async () => {
    const release = await publish();
    const user = await createUser();
    const l1 = release.lessons.get("l1")!;
    const q1 = release.questions.get("q1")!;

    expect((await markLessonRead(user.id, l1)).complete).toBe(false);
    const wrong = await answerKnowledgeCheck({ userId: user.id, release, lesson: l1, question: q1, rawAnswer: ["a"], language: "ja" });
    expect(wrong).toMatchObject({ ok: true, correct: false, lessonComplete: false, explanation: "bだからです。" });
    const right = await answerKnowledgeCheck({ userId: user.id, release, lesson: l1, question: q1, rawAnswer: ["b"], language: "en" });
    expect(right).toMatchObject({ ok: true, correct: true, lessonComplete: true, explanation: "Because b." });

    const [course] = progressOfCourses(release, await getLearnerProgress(user.id));
    expect(course).toMatchObject({ completed: 1, total: 2, resumeLessonId: "l2", minutesLeft: 5, status: "in-progress" });
    expect((await markLessonRead(user.id, release.lessons.get("l2")!)).complete).toBe(true);
    const [done] = progressOfCourses(release, await getLearnerProgress(user.id));
    expect(done).toMatchObject({ completed: 2, status: "complete", minutesLeft: 0 });
  });

  it("rejects an answer that names no option", async () => {
    const release = await publish();
    const user = await createUser();
    const result = await answerKnowledgeCheck({
      userId: user.id,
      release,
      lesson: release.lessons.get("l1")!,
      question: release.questions.get("q1")!,
      rawAnswer: ["z"],
      language: "ja",
    });
    expect(result).toEqual({ ok: false, reason: "invalid-answer" });
  });

  it("keeps progress across a new release, and a removed lesson no longer counts", async () => {
    const release = await publish();
    const user = await createUser();
    await markLessonRead(user.id, release.lessons.get("l2")!);
    await answerKnowledgeCheck({ userId: user.id, release, lesson: release.lessons.get("l1")!, question: release.questions.get("q1")!, rawAnswer: ["b"], language: "ja" });

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

  it("answers a knowledge check through the lesson page, graded on the server", async () => {
    await publish();
    const user = await createUser();
    const request = await post("/learn/c1/l1", { intent: "answer", questionId: "q1", answer: "b" }, { userId: user.id });
    const result = await lessonRoute.action({ request, params: { courseId: "c1", lessonId: "l1" }, context: {} });
    expect(result).toMatchObject({ intent: "answer", questionId: "q1", correct: true, answer: ["b"] });

    // A question that is not one of this lesson's checks is refused.
    const other = await post("/learn/c1/l1", { intent: "answer", questionId: "q2", answer: "a" }, { userId: user.id });
    const { value } = await settle(() => lessonRoute.action({ request: other, params: { courseId: "c1", lessonId: "l1" }, context: {} }));
    expect((value as Response).status).toBe(404);
  });

  it("never sends answer keys to the lesson page", async () => {
    await publish();
    const user = await createUser();
    const data = await lessonRoute.loader({ request: await get("/learn/c1/l1", user.id), params: { courseId: "c1", lessonId: "l1" }, context: {} });
    expect(JSON.stringify(data)).not.toMatch(/"answer"|explanation|Because b/);
    expect(data.questions.q1).toEqual({
      id: "q1",
      type: "single",
      stem: "問題 q1？",
      options: ["a", "b", "c", "d"].map((o) => ({ id: o, text: `選択肢 ${o}` })),
    });
  });
});
