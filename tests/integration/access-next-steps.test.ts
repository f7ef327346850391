import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { examAttempts, knowledgeCheckAnswers, lessonProgress, type AttemptResult } from "#db/schema";
import { nextStepFromEligibility } from "~/access/decision";
import { toolDecision } from "~/access/decisions.server";
import { eligibilityByTrack } from "~/assessment/exams.server";
import { grantCourseExemption, recordExternalCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease } from "~/content/release.server";
import type { Tool, Track } from "~/content/types";
import { makeBundle } from "../helpers/content";
import { createUser } from "../helpers/factories";

// The API and My AI tools name the next step for each missing track from one query
// (app/access/next-steps.server.ts). These cases check it against the exam pages' own rules
// (eligibilityByTrack, several queries) and against the expected step.

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const exam = { timeLimitMinutes: 20, passPercent: 80, minimums: [], attempts: 3, retakeWaitHours: 24, blueprint: [{ domain: "d1", count: 1 }] };
const safeUse: Track = {
  id: "t-safe",
  title: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
  summary: { en: "Safe use.", ja: "安全な利用です。" },
  courses: ["c1"],
  exam,
  validityMonths: 12,
  recertificationWindowDays: 60,
};
const chat: Tool = {
  id: "chat",
  name: { en: "Chat", ja: "チャット" },
  vendor: { en: "In-house", ja: "自社運用" },
  description: { en: "A tool.", ja: "ツールです。" },
  dataClass: "internal",
  requiredTracks: ["t-safe"],
  guidance: { en: "- Rule.", ja: "- ルールです。" },
};

let hr: Awaited<ReturnType<typeof createUser>>;
let releaseNumber: number;
beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [safeUse], tools: [chat] }), { id: null, name: "test" });
  releaseNumber = (await getCurrentRelease())!.number;
  hr = await createUser({ roles: ["hr"] });
});

async function finishCourse(userId: string) {
  await getDb()
    .insert(lessonProgress)
    .values(["l1", "l2"].map((lessonId) => ({ userId, lessonId, courseId: "c1", readAt: new Date(Date.now() - DAY) })));
  await getDb()
    .insert(knowledgeCheckAnswers)
    .values({ userId, questionId: "q1", lessonId: "l1", releaseNumber, answer: ["q1-b"], correct: true, language: "en" });
}

async function attempt(userId: string, startedAt: Date, result: "open" | "failed" | "passed") {
  const deadline = new Date(startedAt.getTime() + 20 * 60 * 1000);
  await getDb()
    .insert(examAttempts)
    .values({
      id: randomUUID().replace(/-/g, "").slice(0, 22),
      userId,
      trackId: "t-safe",
      releaseNumber,
      seed: "seed",
      items: [],
      status: result === "open" ? "open" : "finished",
      startedAt,
      deadline,
      finishedAt: result === "open" ? null : new Date(startedAt.getTime() + 10 * 60 * 1000),
      endReason: result === "open" ? null : "submitted",
      passed: result === "open" ? null : result === "passed",
      // The next step reads only the attempt's times and outcome; the graded details stay out of this test.
      result: result === "open" ? null : ({ passed: result === "passed" } as unknown as AttemptResult),
    });
}

/** The step the decision names, and the step the exam rules name for the same person at the same moment. */
async function stepsOf(userId: string, now = new Date()) {
  const result = await toolDecision(userId, "chat", { now, nextSteps: true });
  if (result.kind !== "decided") throw new Error(result.kind);
  const eligibility = await eligibilityByTrack((await getCurrentRelease())!, userId, ["t-safe"], now);
  return { decided: result.decision.tracks[0]!.missing, examRules: nextStepFromEligibility(eligibility.get("t-safe")!) };
}

describe("the next step of a locked tool, read in one query", () => {
  it("is the unfinished course while a lesson is unread", async () => {
    const learner = await createUser();
    await getDb().insert(lessonProgress).values({ userId: learner.id, lessonId: "l1", courseId: "c1", readAt: new Date() });
    const { decided, examRules } = await stepsOf(learner.id);
    expect(decided).toEqual({ kind: "courses", courseIds: ["c1"] });
    expect(decided).toEqual(examRules);
  });

  it("is the exam once every lesson is read and its knowledge checks answered right", async () => {
    const learner = await createUser();
    await finishCourse(learner.id);
    const { decided, examRules } = await stepsOf(learner.id);
    expect(decided).toEqual({ kind: "exam" });
    expect(decided).toEqual(examRules);
  });

  it("is the exam for a person HR exempted from the courses", async () => {
    const learner = await createUser();
    await grantCourseExemption({ userId: learner.id, trackId: "t-safe", reason: "prior training", actorId: hr.id });
    const { decided, examRules } = await stepsOf(learner.id);
    expect(decided).toEqual({ kind: "exam" });
    expect(decided).toEqual(examRules);
  });

  it("is the open attempt, before and after its deadline", async () => {
    const learner = await createUser();
    await finishCourse(learner.id);
    const started = new Date(Date.now() - 5 * 60 * 1000);
    await attempt(learner.id, started, "open");
    const within = await stepsOf(learner.id);
    expect(within.decided).toMatchObject({ kind: "exam-in-progress" });
    expect(within.decided).toEqual(within.examRules);
    const overdue = await stepsOf(learner.id, new Date(started.getTime() + HOUR));
    expect(overdue.decided).toEqual(within.decided);
    expect(overdue.decided).toEqual(overdue.examRules);
  });

  it("is the retake date after a failed attempt, and the exam once it has passed", async () => {
    const learner = await createUser();
    await finishCourse(learner.id);
    const started = new Date(Date.now() - 2 * HOUR);
    await attempt(learner.id, started, "failed");
    const waiting = await stepsOf(learner.id);
    const opensAt = new Date(started.getTime() + 10 * 60 * 1000 + 24 * HOUR).toISOString();
    expect(waiting.decided).toEqual({ kind: "retake", opensAt });
    expect(waiting.decided).toEqual(waiting.examRules);
    const later = await stepsOf(learner.id, new Date(Date.parse(opensAt) + 1));
    expect(later.decided).toEqual({ kind: "exam" });
    expect(later.decided).toEqual(later.examRules);
  });

  it("says no attempts are left after the track's limit of failures", async () => {
    const learner = await createUser();
    await finishCourse(learner.id);
    for (const daysAgo of [9, 6, 3]) await attempt(learner.id, new Date(Date.now() - daysAgo * DAY), "failed");
    const { decided, examRules } = await stepsOf(learner.id);
    expect(decided).toEqual({ kind: "no-attempts-left" });
    expect(decided).toEqual(examRules);
  });

  it("counts only the attempts since the last pass, once that certificate has expired", async () => {
    const learner = await createUser();
    await finishCourse(learner.id);
    const passedAt = new Date(Date.now() - 400 * DAY);
    await attempt(learner.id, passedAt, "passed");
    await recordExternalCertificate({ userId: learner.id, track: safeUse, passedAt, evidence: "old pass", actorId: hr.id });
    await attempt(learner.id, new Date(Date.now() - 3 * DAY), "failed");
    const { decided, examRules } = await stepsOf(learner.id);
    expect(decided).toEqual({ kind: "exam" });
    expect(decided).toEqual(examRules);
  });
});
