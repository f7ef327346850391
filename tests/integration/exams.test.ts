import { spawn } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "#db/client.server";
import { certificates, courseExemptions, examAttempts, examEvents, lessonProgress, knowledgeCheckAnswers } from "#db/schema";
import { examResultView, examSession, finalizeOverdueAttempts, saveExamAnswer, startExam, submitExam, trackView } from "~/assessment/exams.server";
import { publishRelease } from "~/content/publish.server";
import { invalidateReleaseCache, requireRelease } from "~/content/release.server";
import type { ContentBundle, Question, Track } from "~/content/types";
import { lesson, makeBundle, question } from "../helpers/content";
import { createUser } from "../helpers/factories";

const root = path.resolve(import.meta.dirname, "../..");

/** A course c1 with one lesson, 8 exam questions in two domains, and a track drawing 2 + 2 of them. */
function examBundle(overrides: { exam?: Partial<Track["exam"]>; stemSuffix?: string } = {}): ContentBundle {
  const exam = (id: string, domain: string, key: string): Question => ({
    ...question(id, "c1", "l1", [key], "exam"),
    domain,
    stem: { en: `Exam ${id}${overrides.stemSuffix ?? ""}?`, ja: `試験 ${id}${overrides.stemSuffix ?? ""}？` },
    explanation: { en: `SECRET-EXPLANATION-${id}`, ja: `秘密の解説-${id}` },
  });
  const questions = [
    question("p1", "c1", "l1"),
    ...["a", "b", "c", "d"].map((k, i) => exam(`x${i + 1}`, "d1", k)),
    ...["a", "b", "c", "d"].map((k, i) => exam(`y${i + 1}`, "d2", k)),
  ];
  const track: Track = {
    id: "t1",
    title: { en: "Track one", ja: "トラック1" },
    summary: { en: "A track.", ja: "トラックです。" },
    courses: ["c1"],
    exam: {
      timeLimitMinutes: 10,
      passPercent: 75,
      minimums: [],
      attempts: 2,
      retakeWaitHours: 24,
      blueprint: [
        { domain: "d1", count: 2 },
        { domain: "d2", count: 2 },
      ],
      ...overrides.exam,
    },
    validityMonths: 12,
    recertificationWindowDays: 30,
  };
  return makeBundle({
    domains: [
      { id: "d1", name: { en: "Domain one", ja: "分野1" } },
      { id: "d2", name: { en: "Domain two", ja: "分野2" } },
    ],
    courses: [{ id: "c1", title: { en: "Course", ja: "コース" }, summary: { en: "S", ja: "概要" }, lessons: ["l1"] }],
    lessons: [lesson("l1", "c1", 0, ["p1"])],
    questions,
    tracks: [track],
  });
}

async function publish(bundle = examBundle()) {
  await publishRelease(bundle, { id: null, name: "test" });
  invalidateReleaseCache();
  return requireRelease();
}

/** A learner who has completed the course (lesson read, its check answered right). */
async function readyLearner() {
  const user = await createUser();
  const now = new Date();
  await getDb().insert(lessonProgress).values({ userId: user.id, lessonId: "l1", courseId: "c1", readAt: now, completedAt: now });
  await getDb()
    .insert(knowledgeCheckAnswers)
    .values({ userId: user.id, questionId: "p1", lessonId: "l1", releaseNumber: 1, answer: ["b"], correct: true, language: "ja" });
  return user;
}

async function attemptRow(attemptId: string) {
  const [row] = await getDb().select().from(examAttempts).where(eq(examAttempts.id, attemptId));
  return row!;
}

/** The keys of an attempt's questions, from the release (as a test may; the browser never can). */
async function keysOf(attemptId: string) {
  const row = await attemptRow(attemptId);
  const release = await requireRelease();
  return row.items.map((item) => release.questions.get(item.questionId)!.answer);
}

async function start(userId: string, now = new Date()) {
  const started = await startExam({ userId, trackId: "t1", lang: "ja", now });
  if (started.kind !== "started" && started.kind !== "resumed") throw new Error(`could not start: ${JSON.stringify(started)}`);
  return started.attemptId;
}

async function answerAll(userId: string, attemptId: string, rightCount: number, now = new Date()) {
  const keys = await keysOf(attemptId);
  for (const [position, key] of keys.entries()) {
    const wrong = ["a", "b", "c", "d"].find((o) => o !== key[0])!;
    const result = await saveExamAnswer({ userId, attemptId, position, answer: position < rightCount ? key : [wrong], now });
    expect(result.kind).toBe("saved");
  }
}

describe("starting an exam", () => {
  it("refuses before the courses are complete, unless HR exempts the learner", async () => {
    await publish();
    const user = await createUser();
    expect(await startExam({ userId: user.id, trackId: "t1", lang: "ja" })).toEqual({
      kind: "refused",
      eligibility: { kind: "courses-incomplete", missing: ["c1"] },
    });
    await getDb().insert(courseExemptions).values({ userId: user.id, trackId: "t1", reason: "Prior G検定 pass" });
    expect(await startExam({ userId: user.id, trackId: "t1", lang: "ja" })).toMatchObject({ kind: "started" });
  });

  it("fixes the attempt at the start: questions per domain, option order, deadline and release", async () => {
    const release = await publish();
    const user = await readyLearner();
    const now = new Date("2026-11-30T01:00:00Z");
    const attemptId = await start(user.id, now);
    const row = await attemptRow(attemptId);
    expect(row.releaseNumber).toBe(release.number);
    expect(new Date(row.deadline).getTime() - now.getTime()).toBe(10 * 60_000);
    expect(row.items).toHaveLength(4);
    const domains = row.items.map((i) => release.questions.get(i.questionId)!.domain).sort();
    expect(domains).toEqual(["d1", "d1", "d2", "d2"]);
    for (const item of row.items) expect([...item.optionOrder].sort()).toEqual(["a", "b", "c", "d"]);
    // Never a practice question.
    expect(row.items.map((i) => i.questionId)).not.toContain("p1");
    // Starting again (a second tab) resumes the same attempt.
    expect(await startExam({ userId: user.id, trackId: "t1", lang: "ja", now })).toEqual({ kind: "resumed", attemptId });
  });

  it("gives two tabs starting at the same moment one attempt", async () => {
    await publish();
    const user = await readyLearner();
    const results = await Promise.all(Array.from({ length: 6 }, () => startExam({ userId: user.id, trackId: "t1", lang: "ja" })));
    const ids = new Set(results.map((r) => ("attemptId" in r ? r.attemptId : r.kind)));
    expect(ids.size).toBe(1);
    expect(await getDb().select().from(examAttempts).where(eq(examAttempts.userId, user.id))).toHaveLength(1);
  });

  it("enforces the retake wait and the attempt limit on the server", async () => {
    await publish();
    const user = await readyLearner();
    const t0 = new Date("2026-11-30T01:00:00Z");
    const first = await start(user.id, t0);
    await answerAll(user.id, first, 0, t0);
    await submitExam({ userId: user.id, attemptId: first, now: new Date(t0.getTime() + 60_000) });

    const soon = await startExam({ userId: user.id, trackId: "t1", lang: "ja", now: new Date(t0.getTime() + 2 * 3600_000) });
    expect(soon).toMatchObject({ kind: "refused", eligibility: { kind: "retake-wait", attemptsLeft: 1 } });

    const t1 = new Date(t0.getTime() + 25 * 3600_000);
    const second = await start(user.id, t1);
    // The retake avoids the questions of the previous attempt where the bank allows (8 questions, 4 drawn).
    const before = new Set((await attemptRow(first)).items.map((i) => i.questionId));
    expect((await attemptRow(second)).items.some((i) => before.has(i.questionId))).toBe(false);
    await submitExam({ userId: user.id, attemptId: second, now: new Date(t1.getTime() + 60_000) });

    const later = await startExam({ userId: user.id, trackId: "t1", lang: "ja", now: new Date(t1.getTime() + 48 * 3600_000) });
    expect(later).toMatchObject({ kind: "refused", eligibility: { kind: "no-attempts-left", used: 2, limit: 2 } });
  });
});

describe("taking an exam", () => {
  it("grades once when submitted twice at the same time, and awards one certificate", async () => {
    await publish();
    const user = await readyLearner();
    const attemptId = await start(user.id);
    await answerAll(user.id, attemptId, 4);
    const results = await Promise.all(Array.from({ length: 5 }, () => submitExam({ userId: user.id, attemptId })));
    expect(results.filter((r) => r.kind === "finished" && !r.already)).toHaveLength(1);
    expect(results.every((r) => r.kind === "finished" && r.passed)).toBe(true);
    expect(await getDb().select().from(certificates).where(eq(certificates.userId, user.id))).toHaveLength(1);
    const events = await getDb().select().from(examEvents).where(eq(examEvents.attemptId, attemptId));
    expect(events.filter((e) => e.kind === "submit")).toHaveLength(1);
    expect(events.filter((e) => e.kind === "save")).toHaveLength(4);
    expect(events.filter((e) => e.kind === "start")).toHaveLength(1);
  });

  it("counts a save that wins the race with the deadline, refuses one that loses, and finalises with what was saved in time", async () => {
    await publish();
    const user = await readyLearner();
    const t0 = new Date("2026-11-30T01:00:00Z");
    const attemptId = await start(user.id, t0);
    const keys = await keysOf(attemptId);
    const deadline = new Date(t0.getTime() + 10 * 60_000);
    const justBefore = new Date(deadline.getTime() - 1);
    // Three right answers saved in time, the fourth arriving at the deadline.
    for (let p = 0; p < 3; p++) expect(await saveExamAnswer({ userId: user.id, attemptId, position: p, answer: keys[p]!, now: justBefore })).toMatchObject({ kind: "saved" });
    const late = await saveExamAnswer({ userId: user.id, attemptId, position: 3, answer: keys[3]!, now: deadline });
    expect(late).toEqual({ kind: "deadline-passed" });
    const row = await attemptRow(attemptId);
    expect(row).toMatchObject({ status: "finished", endReason: "timeout", passed: true });
    expect(row.result).toMatchObject({ correct: 3, total: 4 });
    expect(await saveExamAnswer({ userId: user.id, attemptId, position: 0, answer: keys[0]!, now: deadline })).toEqual({ kind: "finished" });
  });

  it("finalises an overdue attempt whether or not the learner comes back", async () => {
    await publish();
    const user = await readyLearner();
    const t0 = new Date("2026-11-30T01:00:00Z");
    const swept = await start(user.id, t0);
    await answerAll(user.id, swept, 3, t0);
    // Nobody returns: the sweep finishes it.
    expect(await finalizeOverdueAttempts(new Date(t0.getTime() + 11 * 60_000))).toBeGreaterThanOrEqual(1);
    expect(await attemptRow(swept)).toMatchObject({ status: "finished", endReason: "timeout", passed: true });
  });

  it("finalises an overdue attempt when the learner returns, even if no sweep ran", async () => {
    await publish();
    const user = await readyLearner();
    const t0 = new Date("2026-11-30T01:00:00Z");
    const attemptId = await start(user.id, t0);
    await answerAll(user.id, attemptId, 1, t0);
    expect(await examSession(user.id, attemptId, "ja", new Date(t0.getTime() + 11 * 60_000))).toEqual({ kind: "finished" });
    expect(await attemptRow(attemptId)).toMatchObject({ status: "finished", endReason: "timeout", passed: false });
  });

  it("refuses another learner's attempt everywhere", async () => {
    await publish();
    const owner = await readyLearner();
    const other = await readyLearner();
    const attemptId = await start(owner.id);
    expect(await examSession(other.id, attemptId, "ja")).toEqual({ kind: "not-found" });
    expect(await saveExamAnswer({ userId: other.id, attemptId, position: 0, answer: ["a"] })).toEqual({ kind: "not-found" });
    expect(await submitExam({ userId: other.id, attemptId })).toEqual({ kind: "not-found" });
    expect(await examResultView(other.id, attemptId, "ja")).toBeNull();
    expect((await attemptRow(attemptId)).status).toBe("open");
  });

  it("never sends a key or an explanation while the attempt is open", async () => {
    const release = await publish();
    const user = await readyLearner();
    const attemptId = await start(user.id);
    const session = await examSession(user.id, attemptId, "en");
    const saved = await saveExamAnswer({ userId: user.id, attemptId, position: 0, answer: ["a"] });
    const track = await trackView(user.id, "t1", "en");
    const result = await examResultView(user.id, attemptId, "en");
    const everything = JSON.stringify([session, saved, track, result]);
    for (const q of release.bundle.questions.filter((x) => x.use === "exam")) {
      expect(everything).not.toContain(q.explanation.en);
      expect(everything).not.toContain(q.explanation.ja);
    }
    expect(everything).not.toMatch(/"(answer|key|explanation|correct)"/);
    expect(result).toEqual({ kind: "open" });
  });

  it("keeps an attempt on the question versions it started with when a release is published mid-attempt", async () => {
    await publish();
    const user = await readyLearner();
    const attemptId = await start(user.id);
    const before = await examSession(user.id, attemptId, "en");
    await publish(examBundle({ stemSuffix: " (reworded)", exam: { passPercent: 100 } }));
    const after = await examSession(user.id, attemptId, "en");
    expect(after).toEqual({ ...before, serverNow: expect.any(String) });
    expect(JSON.stringify(after)).not.toContain("reworded");
    // Graded against the pass mark of the release it started under (75%), not the new one (100%).
    await answerAll(user.id, attemptId, 3);
    expect(await submitExam({ userId: user.id, attemptId })).toMatchObject({ kind: "finished", passed: true });
  });

  it("shows the result with a review, the domains to study and the retake, once finished", async () => {
    await publish();
    const user = await readyLearner();
    const attemptId = await start(user.id);
    await answerAll(user.id, attemptId, 1);
    await submitExam({ userId: user.id, attemptId });
    const view = await examResultView(user.id, attemptId, "ja");
    expect(view).toMatchObject({ kind: "finished", passed: false, score: { correct: 1, total: 4, percent: 25, passPercent: 75 } });
    if (!view || view.kind !== "finished") return;
    expect(view.review).toHaveLength(4);
    // Japanese text carries phrase breaks (U+2063, shown as <wbr>).
    expect(view.review[0]!.explanation?.replaceAll("\u2063", "")).toMatch(/^秘密の解説-/);
    expect(view.study.length).toBeGreaterThan(0);
    expect(view.study[0]!.lessons).toEqual([{ courseId: "c1", lessonId: "l1", title: "レッスン l1" }]);
    expect(view.next).toMatchObject({ kind: "retake-wait" });
  });
});

describe("an app process killed mid-exam", () => {
  it("loses no acknowledged answer: after SIGKILL the attempt resumes and grades with it", async () => {
    await publish();
    const user = await readyLearner();
    const attemptId = await start(user.id);
    const keys = await keysOf(attemptId);
    // PGlite serves one process at a time: the child opens the database after this file lets go.
    await closeDatabase();
    const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/exam-save-then-hang.ts", user.id, attemptId, JSON.stringify(keys)], {
      cwd: root,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let errors = "";
    child.stderr.on("data", (chunk) => (errors += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no acknowledgement from the child: ${output} ${errors}`)), 60_000);
      child.stdout.on("data", (chunk) => {
        output += String(chunk);
        if (output.includes("ACK 4")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("exit", (code) => reject(new Error(`child exited (${code}) before acknowledging: ${output} ${errors}`)));
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const session = await examSession(user.id, attemptId, "ja");
    expect(session.kind).toBe("open");
    if (session.kind !== "open") return;
    expect(session.answers.map((a) => a.answer)).toEqual(keys);
    expect(session.position).toBe(3);
    expect(await submitExam({ userId: user.id, attemptId })).toMatchObject({ kind: "finished", passed: true });
    expect((await attemptRow(attemptId)).result).toMatchObject({ correct: 4, total: 4 });
  });
});
