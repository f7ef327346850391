import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { examAnswers, examAttempts, examEvents } from "#db/schema";
import { myTracksView } from "~/assessment/exams.server";
import { grantCourseExemption } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { requireRelease } from "~/content/release.server";
import { withPhraseBreaks } from "~/content/phrase-breaks";
import type { Question } from "~/content/types";
import { BREAK } from "~/mdx/compact";
import * as answerRoute from "~/routes/exams.$attemptId_.answer";
import * as examRoute from "~/routes/exams.$attemptId";
import * as resultRoute from "~/routes/exams.$attemptId_.result";
import * as myLearning from "~/routes/learn._index";
import * as trackRoute from "~/routes/tracks.$trackId";
import { examBundle } from "../helpers/content";
import { createUser, csrfFor, get, post, settle, signedInCookie } from "../helpers/factories";

const context = {};

/** A form post with repeated fields (several answers of a multiple-choice question). */
async function postForm(path: string, form: URLSearchParams, userId: string): Promise<Request> {
  const csrf = await csrfFor(await signedInCookie(userId));
  form.set("csrf", csrf.token);
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: form,
    headers: { Cookie: csrf.cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
}

async function setup() {
  await publishRelease(examBundle(), { id: null, name: "test" });
  const hr = await createUser({ roles: ["hr"] });
  const learner = await createUser();
  await grantCourseExemption({ userId: learner.id, trackId: "t1", reason: "test", actorId: hr.id });
  return { hr, learner };
}

/** Starts the exam through the track page's action, as the Start button does; returns the attempt id. */
async function startThroughPage(userId: string): Promise<string> {
  const { value } = await settle(async () => trackRoute.action({ request: await post("/tracks/t1", { intent: "start" }, { userId }), params: { trackId: "t1" }, context }));
  const location = locationOf(value) ?? "";
  expect(location).toMatch(/^\/exams\/[A-Za-z0-9_-]{22}$/);
  return location.split("/")[2]!;
}

async function pinned(attemptId: string): Promise<Question[]> {
  const [row] = await getDb().select({ items: examAttempts.items }).from(examAttempts).where(eq(examAttempts.id, attemptId));
  const release = await requireRelease();
  return row!.items.map((i) => release.questions.get(i.questionId)!);
}

/** A wrong answer the option list offers (for true/false the other value). */
const wrong = (q: Question) => (q.type === "truefalse" ? [q.answer[0] === "true" ? "false" : "true"] : [q.options.map((o) => o.id).find((id) => !q.answer.includes(id))!]);

async function saveViaEndpoint(userId: string | undefined, attemptId: string, fields: Record<string, string>, csrf = true) {
  const request = await post(`/exams/${attemptId}/answer`, fields, { userId, csrf });
  const response = (await answerRoute.action({ request, params: { attemptId }, context })) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const examLoader = async (userId: string, attemptId: string, query = "") =>
  settle(async () => examRoute.loader({ request: await get(`/exams/${attemptId}${query}`, userId), params: { attemptId }, context }));

const examAction = async (userId: string, attemptId: string, fields: Record<string, string>) =>
  settle(async () => examRoute.action({ request: await post(`/exams/${attemptId}`, fields, { userId }), params: { attemptId }, context }));

const resultLoader = async (userId: string, attemptId: string) =>
  settle(async () => resultRoute.loader({ request: await get(`/exams/${attemptId}/result`, userId), params: { attemptId }, context }));

const statusOf = (v: unknown) => (v instanceof Response ? v.status : null);
const locationOf = (v: unknown) => (v instanceof Response ? v.headers.get("Location") : null);

describe("the track page", () => {
  it("states the rules, starts one attempt and resumes it on a second start", async () => {
    const { learner } = await setup();
    const view = await trackRoute.loader({ request: await get("/tracks/t1", learner.id), params: { trackId: "t1" }, context });
    expect(view.rules).toMatchObject({ questions: 5, timeLimitMinutes: 20, passPercent: 70, attempts: 2, retakeWaitHours: 24 });
    expect(view.rules.minimums).toEqual([{ domains: ["分野2"], percent: 50 }]);
    expect(view.eligibility).toEqual({ kind: "ready", attemptsLeft: 2, recertification: false });

    const first = await startThroughPage(learner.id);
    const second = await startThroughPage(learner.id);
    expect(second).toBe(first);
    const again = await trackRoute.loader({ request: await get("/tracks/t1", learner.id), params: { trackId: "t1" }, context });
    expect(again.eligibility).toEqual({ kind: "resume", attemptId: first });
  });

  it("names the courses still to finish and refuses to start before they are done", async () => {
    await publishRelease(examBundle(), { id: null, name: "test" });
    const learner = await createUser();
    const view = await trackRoute.loader({ request: await get("/tracks/t1", learner.id), params: { trackId: "t1" }, context });
    expect(view.eligibility).toEqual({ kind: "courses-incomplete", missing: ["c1"] });
    expect(view.courses).toEqual([expect.objectContaining({ id: "c1", status: "not-started" })]);
    const refused = await trackRoute.action({ request: await post("/tracks/t1", { intent: "start" }, { userId: learner.id }), params: { trackId: "t1" }, context });
    expect(refused).toMatchObject({ init: { status: 409 }, data: { refused: "courses-incomplete" } });
    expect(await getDb().select().from(examAttempts).where(eq(examAttempts.userId, learner.id))).toHaveLength(0);
  });

  it("sends a signed-out visitor to sign in and answers 404 for an unknown track", async () => {
    await setup();
    const signedOut = await settle(async () => trackRoute.loader({ request: await get("/tracks/t1"), params: { trackId: "t1" }, context }));
    expect(locationOf(signedOut.value)).toMatch(/^\/login\?redirectTo=%2Ftracks%2Ft1/);
    const user = await createUser();
    const unknown = await settle(async () => trackRoute.loader({ request: await get("/tracks/nope", user.id), params: { trackId: "nope" }, context }));
    expect(statusOf(unknown.value)).toBe(404);
  });
});

describe("only the owner reads or writes an attempt", () => {
  it("is 404 to another learner on the page, the save endpoint and the result, before and after it is finished", async () => {
    const { learner } = await setup();
    const other = await createUser();
    const attemptId = await startThroughPage(learner.id);
    const [q0] = await pinned(attemptId);

    expect(statusOf((await examLoader(other.id, attemptId)).value)).toBe(404);
    expect(await saveViaEndpoint(other.id, attemptId, { position: "0", setAnswer: "1", answer: wrong(q0!)[0]! })).toEqual({ status: 404, body: { kind: "not-found" } });
    expect(statusOf((await resultLoader(other.id, attemptId)).value)).toBe(404);
    expect(statusOf((await examAction(other.id, attemptId, { intent: "submit" })).value)).toBe(404);
    // Nothing of the other person's was written.
    expect(await getDb().select().from(examAnswers).where(eq(examAnswers.attemptId, attemptId))).toHaveLength(0);

    await examAction(learner.id, attemptId, { intent: "submit" });
    expect(statusOf((await resultLoader(other.id, attemptId)).value)).toBe(404);
    expect(statusOf((await examLoader(other.id, attemptId)).value)).toBe(404);
    // A malformed id is a 404 too, not an error.
    expect(statusOf((await examLoader(learner.id, "not-an-attempt")).value)).toBe(404);
  });
});

describe("keys and explanations stay on the server until the attempt is finished", () => {
  it("appear in no response about an unfinished attempt", async () => {
    const { learner } = await setup();
    const attemptId = await startThroughPage(learner.id);
    const questions = await pinned(attemptId);
    const responses: unknown[] = [];
    // Save a wrong answer to every question, flag one, and send one invalid answer.
    for (const [position, q] of questions.entries()) {
      responses.push(await saveViaEndpoint(learner.id, attemptId, { position: String(position), setAnswer: "1", answer: wrong(q)[0]! }));
    }
    responses.push(await saveViaEndpoint(learner.id, attemptId, { position: "1", flagged: "true" }));
    responses.push(await saveViaEndpoint(learner.id, attemptId, { position: "0", setAnswer: "1", answer: "not-an-option" }));
    for (const lang of ["ja", "en"]) {
      const headers = { "Accept-Language": lang };
      responses.push((await examLoader(learner.id, attemptId)).value);
      responses.push(await examRoute.loader({ request: await get(`/exams/${attemptId}?q=3`, learner.id, headers), params: { attemptId }, context }));
      responses.push(await trackRoute.loader({ request: await get("/tracks/t1", learner.id, headers), params: { trackId: "t1" }, context }));
      responses.push(await myLearning.loader({ request: await get("/learn", learner.id, headers), params: {}, context }));
    }
    // The result of an open attempt is not shown: it sends the learner back to the questions.
    const result = await resultLoader(learner.id, attemptId);
    expect(locationOf(result.value)).toBe(`/exams/${attemptId}`);

    // Japanese text carries phrase breaks (U+2063): compare without them.
    const text = JSON.stringify(responses).replaceAll("\u2063", "").replaceAll("\\u2063", "");
    expect(text).toContain("Exam question"); // the scan sees the questions themselves
    for (const q of questions) {
      expect(text, `key of ${q.id}`).not.toContain(JSON.stringify(q.answer));
      expect(text, `explanation of ${q.id}`).not.toContain(q.explanation.en);
      expect(text, `explanation of ${q.id}`).not.toContain(q.explanation.ja);
    }
    expect(text).not.toMatch(/"(key|explanation|correct|isCorrect)"/);
  });
});

describe("Japanese exam text", () => {
  it("breaks stems, options and explanations between phrases, as lessons do, and English not at all", async () => {
    const { learner } = await setup();
    const attemptId = await startThroughPage(learner.id);
    const questions = await pinned(attemptId);
    const ja = { "Accept-Language": "ja" };
    const open = (await examRoute.loader({ request: await get(`/exams/${attemptId}`, learner.id, ja), params: { attemptId }, context })) as {
      questions: { stem: string; options: { id: string; text: string }[] }[];
    };
    const withBreaks = open.questions.filter((q) => q.options.some((o) => o.text.includes(BREAK)));
    expect(withBreaks.length).toBeGreaterThan(0);
    for (const [position, q] of questions.entries()) {
      const shown = open.questions[position]!;
      expect(shown.stem).toBe(withPhraseBreaks(q.stem.ja));
      if (q.type !== "truefalse") {
        const ja = new Map(q.options.map((o) => [o.id, o.text.ja]));
        for (const o of shown.options) expect(o.text).toBe(withPhraseBreaks(ja.get(o.id)!));
      }
    }
    const en = (await examRoute.loader({ request: await get(`/exams/${attemptId}`, learner.id, { "Accept-Language": "en" }), params: { attemptId }, context })) as {
      questions: { stem: string }[];
    };
    expect(en.questions[0]!.stem).toMatch(/^Exam question/);
    expect(JSON.stringify(en.questions)).not.toContain(BREAK);

    await examAction(learner.id, attemptId, { intent: "submit" });
    const result = (await resultRoute.loader({ request: await get(`/exams/${attemptId}/result`, learner.id, ja), params: { attemptId }, context })) as {
      review: { stem: string; explanation: string }[];
    };
    for (const [position, q] of questions.entries()) {
      expect(result.review[position]!.stem).toBe(withPhraseBreaks(q.stem.ja));
      expect(result.review[position]!.explanation).toBe(withPhraseBreaks(q.explanation.ja));
    }
  });
});

describe("the save endpoint", () => {
  it("acknowledges a save with its time, and refuses with statuses the page acts on", async () => {
    const { learner } = await setup();
    const attemptId = await startThroughPage(learner.id);
    const [q0] = await pinned(attemptId);
    const choice = wrong(q0!)[0]!;

    const saved = await saveViaEndpoint(learner.id, attemptId, { position: "0", setAnswer: "1", answer: choice, at: "2" });
    expect(saved.status).toBe(200);
    expect(Object.keys(saved.body).sort()).toEqual(["kind", "savedAt"]);
    expect(saved.body.kind).toBe("saved");
    expect(Date.parse(String(saved.body.savedAt))).toBeGreaterThan(Date.now() - 60_000);
    const [row] = await getDb().select({ answer: examAnswers.answer }).from(examAnswers).where(eq(examAnswers.attemptId, attemptId));
    expect(row!.answer).toEqual([choice]);
    // The page resumes where the saves left it (at=2 → question 3), with the answer.
    const page = await examRoute.loader({ request: await get(`/exams/${attemptId}`, learner.id), params: { attemptId }, context });
    expect(page.position).toBe(2);
    expect(page.answers).toEqual([{ position: 0, answer: [choice], flagged: false }]);

    // Signed out (or the session ended): 401 JSON, never a redirect to the sign-in page.
    expect(await saveViaEndpoint(undefined, attemptId, { position: "0", setAnswer: "1", answer: choice })).toEqual({ status: 401, body: { kind: "signed-out" } });
    // Without the CSRF token: refused.
    expect(await saveViaEndpoint(learner.id, attemptId, { position: "0", setAnswer: "1", answer: choice }, false)).toEqual({ status: 403, body: { kind: "csrf" } });
    // Malformed input and an answer that is no option of the question.
    expect((await saveViaEndpoint(learner.id, attemptId, { position: "0" })).status).toBe(400);
    expect((await saveViaEndpoint(learner.id, attemptId, { position: "-1", setAnswer: "1", answer: choice })).status).toBe(400);
    expect(await saveViaEndpoint(learner.id, attemptId, { position: "0", setAnswer: "1", answer: "x9-z" })).toEqual({ status: 400, body: { kind: "invalid" } });
    expect(await saveViaEndpoint(learner.id, attemptId, { position: "99", setAnswer: "1", answer: choice })).toEqual({ status: 400, body: { kind: "invalid" } });
    // GET is not a save.
    const get405 = (await answerRoute.loader()) as Response;
    expect(get405.status).toBe(405);
  });

  it("refuses a save after the deadline with a clear reason, and the attempt is then finished with what was saved in time", async () => {
    const { learner } = await setup();
    const attemptId = await startThroughPage(learner.id);
    // One right answer saved in time (a question with a one-option key: this form posts one value).
    const questions = await pinned(attemptId);
    const inTime = questions.findIndex((q) => q.answer.length === 1);
    const late = inTime === 0 ? 1 : 0;
    expect(await saveViaEndpoint(learner.id, attemptId, { position: String(inTime), setAnswer: "1", answer: questions[inTime]!.answer[0]! })).toMatchObject({
      status: 200,
      body: { kind: "saved" },
    });
    await getDb().update(examAttempts).set({ deadline: new Date(Date.now() - 1000) }).where(eq(examAttempts.id, attemptId));

    expect(await saveViaEndpoint(learner.id, attemptId, { position: String(late), setAnswer: "1", answer: "true" })).toEqual({ status: 409, body: { kind: "deadline-passed" } });
    expect(await saveViaEndpoint(learner.id, attemptId, { position: String(late), setAnswer: "1", answer: "true" })).toEqual({ status: 409, body: { kind: "finished" } });
    const result = await resultRoute.loader({ request: await get(`/exams/${attemptId}/result`, learner.id), params: { attemptId }, context });
    expect(result).toMatchObject({ kind: "finished", endReason: "timeout", score: { correct: 1, total: 5 } });
    // The exam page of a finished attempt opens its result.
    expect(locationOf((await examLoader(learner.id, attemptId)).value)).toBe(`/exams/${attemptId}/result`);
  });

  it("is a resource route, and moving between questions does not reload the exam page's data", () => {
    expect("default" in answerRoute).toBe(false);
    const move = (from: string, to: string, formMethod?: "POST") =>
      examRoute.shouldRevalidate({
        currentUrl: new URL(`http://x/exams/a${from}`),
        nextUrl: new URL(`http://x/exams/a${to}`),
        formMethod,
        defaultShouldRevalidate: true,
      } as never);
    expect(move("?q=1", "?q=2")).toBe(false);
    expect(move("", "?q=5")).toBe(false);
    expect(move("?q=2", "?q=2&confirm=1")).toBe(true);
    expect(move("?q=2", "?q=3", "POST")).toBe(true);
  });
});

describe("without JavaScript", () => {
  it("saves and moves with plain form posts, confirms the submit with the unanswered count, and grades once", async () => {
    const { learner } = await setup();
    const attemptId = await startThroughPage(learner.id);
    const questions = await pinned(attemptId);

    // save-and-go: the navigation buttons carry only `go` (and a multiple-choice answer several values).
    const first = new URLSearchParams({ position: "0", go: "1" });
    for (const a of questions[0]!.answer) first.append("answer", a);
    const moved = await settle(async () => examRoute.action({ request: await postForm(`/exams/${attemptId}`, first, learner.id), params: { attemptId }, context }));
    expect(locationOf(moved.value)).toBe(`/exams/${attemptId}?q=2`);
    // Flag question 2 without answering it; the redirect stays on it.
    const flagged = await examAction(learner.id, attemptId, { intent: "flag", position: "1", flagTo: "true" });
    expect(locationOf(flagged.value)).toBe(`/exams/${attemptId}?q=2`);
    // Answer every other question rightly (multiple choice sends several values).
    for (const [position, q] of questions.entries()) {
      if (position < 2) continue;
      const form = new URLSearchParams({ position: String(position), go: String(Math.min(position + 1, questions.length - 1)) });
      for (const a of q.answer) form.append("answer", a);
      const moved = await settle(async () =>
        examRoute.action({ request: await postForm(`/exams/${attemptId}`, form, learner.id), params: { attemptId }, context }),
      );
      expect(statusOf(moved.value)).toBe(302);
    }
    const page = await examRoute.loader({ request: await get(`/exams/${attemptId}?q=2`, learner.id), params: { attemptId }, context });
    expect(page.position).toBe(1);
    expect(page.answers.find((a) => a.position === 1)).toEqual({ position: 1, answer: [], flagged: true });
    expect(page.answers.filter((a) => a.answer.length > 0)).toHaveLength(questions.length - 1);

    const confirm = await examAction(learner.id, attemptId, { intent: "submit-confirm", position: "1" });
    expect(locationOf(confirm.value)).toBe(`/exams/${attemptId}?q=2&confirm=1`);
    const confirmPage = await examRoute.loader({ request: await get(`/exams/${attemptId}?q=2&confirm=1`, learner.id), params: { attemptId }, context });
    expect(confirmPage.confirm).toBe(true);

    // Submit twice (a double click, or a retry): one grading, one result.
    const [a, b] = await Promise.all([examAction(learner.id, attemptId, { intent: "submit" }), examAction(learner.id, attemptId, { intent: "submit" })]);
    expect(locationOf(a.value)).toBe(`/exams/${attemptId}/result`);
    expect(locationOf(b.value)).toBe(`/exams/${attemptId}/result`);
    const graded = await getDb()
      .select()
      .from(examEvents)
      .where(and(eq(examEvents.attemptId, attemptId), eq(examEvents.kind, "submit")));
    expect(graded).toHaveLength(1);

    const result = await resultRoute.loader({ request: await get(`/exams/${attemptId}/result`, learner.id), params: { attemptId }, context });
    if (result.kind !== "finished") throw new Error("expected a finished attempt");
    // 4 of 5: 80% ≥ 70%, but question 2 (left unanswered) decides the d2 minimum.
    expect(result.score).toEqual({ correct: 4, total: 5, percent: 80, passPercent: 70 });
    const second = questions[1]!;
    expect(result.review[1]).toMatchObject({ mine: [], key: second.answer, correct: false, explanation: withPhraseBreaks(second.explanation.ja) });
    expect(result.review.every((r) => r.explanation.length > 0)).toBe(true);
    const d2 = result.domains.find((d) => d.domain === "d2")!;
    expect(result.passed).toBe(d2.percent >= 50);
    if (!result.passed) {
      expect(result.study.map((s) => s.domain)).toContain("d2");
      expect(result.study.find((s) => s.domain === "d2")!.lessons).toEqual([{ courseId: "c1", lessonId: "l2", title: "レッスン l2" }]);
      expect(result.next).toMatchObject({ kind: "retake-wait", attemptsLeft: 1 });
    } else {
      expect(result.certificateId).toEqual(expect.any(String));
    }
  });
});

describe("My learning", () => {
  it("lists the track with where the learner stands: not started, exam ready, in progress, retake from", async () => {
    await publishRelease(examBundle(), { id: null, name: "test" });
    const hr = await createUser({ roles: ["hr"] });
    const learner = await createUser();
    const status = async () => (await myTracksView(learner.id, "en")).find((t) => t.id === "t1")!.status;
    expect(await status()).toEqual({ kind: "not-started", total: 1 });
    await grantCourseExemption({ userId: learner.id, trackId: "t1", reason: "test", actorId: hr.id });
    expect(await status()).toEqual({ kind: "exam-ready" });
    const attemptId = await startThroughPage(learner.id);
    expect(await status()).toEqual({ kind: "exam-in-progress", attemptId });
    // Submitting with nothing answered fails: the retake opens 24 hours later.
    await examAction(learner.id, attemptId, { intent: "submit" });
    const after = await status();
    expect(after.kind).toBe("retake-wait");
    const opensAt = after.kind === "retake-wait" ? Date.parse(after.opensAt) : 0;
    expect(Math.abs(opensAt - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);

    const page = await myLearning.loader({ request: await get("/learn", learner.id), params: {}, context });
    expect(page.tracks.map((t) => t.id)).toEqual(["t1"]);
  });
});
