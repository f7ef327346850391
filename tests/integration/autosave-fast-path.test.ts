import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { examAnswers, examAttempts, examEvents, sessions, users } from "#db/schema";
import { API_CSP } from "~/access/api-fast-path.server";
import { withAutosaveFastPath } from "~/assessment/autosave-fast-path.server";
import { startExam } from "~/assessment/exams.server";
import { grantCourseExemption } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { requireRelease } from "~/content/release.server";
import type { Question } from "~/content/types";
import { preReadBody } from "~/http/read-body.server";
import * as answerRoute from "~/routes/exams.$attemptId_.answer";
import { examBundle } from "../helpers/content";
import { createUser, csrfFor, signedInCookie } from "../helpers/factories";

// The autosave fast path (server.mjs wraps Express with it) answers POST /exams/<id>/answer the way the
// Remix route does — same status, type, cache header and body, same session and CSRF rules, same rows
// written — with fixed security headers, and hands every other request to the next handler, with the
// body when it had already read it.

let server: Server;
let base: string;
let ready = true;
const passedOn: string[] = [];

beforeAll(async () => {
  server = createServer(
    withAutosaveFastPath({ isReady: () => ready, secure: true }, (req, res) => {
      const handed = preReadBody(req);
      passedOn.push(`${req.method} ${req.url}${handed?.kind === "ok" ? ` body=${new TextDecoder().decode(handed.body)}` : ""}`);
      res.statusCode = 299;
      res.end("next");
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function setup() {
  await publishRelease(examBundle(), { id: null, name: "test" });
  const hr = await createUser({ roles: ["hr"] });
  const learner = await createUser();
  await grantCourseExemption({ userId: learner.id, trackId: "t1", reason: "test", actorId: hr.id });
  const started = await startExam({ userId: learner.id, trackId: "t1", lang: "ja" });
  if (started.kind !== "started") throw new Error(`not started: ${started.kind}`);
  const [row] = await getDb().select({ items: examAttempts.items }).from(examAttempts).where(eq(examAttempts.id, started.attemptId));
  const release = await requireRelease();
  const questions = row!.items.map((i) => release.questions.get(i.questionId)!);
  const cookie = await signedInCookie(learner.id);
  const { token } = await csrfFor(cookie);
  return { learner, attemptId: started.attemptId, questions, cookie, token };
}

/** An answer the option list offers (for true/false, "true"). */
const anOption = (q: Question) => (q.type === "truefalse" ? "true" : q.options[0]!.id);

type Sent = { cookie?: string; body: string; headers?: Record<string, string> };

async function viaFastPath(attemptId: string, sent: Sent) {
  const res = await fetch(`${base}/exams/${attemptId}/answer`, {
    method: "POST",
    body: sent.body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(sent.cookie ? { Cookie: sent.cookie } : {}), ...sent.headers },
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function viaRoute(attemptId: string, sent: Sent) {
  const request = new Request(`http://localhost/exams/${attemptId}/answer`, {
    method: "POST",
    body: sent.body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(sent.cookie ? { Cookie: sent.cookie } : {}), ...sent.headers },
  });
  const res = (await answerRoute.action({ request, params: { attemptId }, context: {} })) as Response;
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** The time of a save differs between two requests; everything else must not. */
const withoutTime = (body: string) => body.replace(/"savedAt":"[^"]+"/, '"savedAt":"…"');

/** Sends the same request to both and compares; returns the status. */
async function same(attemptId: string, sent: Sent): Promise<number> {
  const fast = await viaFastPath(attemptId, sent);
  const route = await viaRoute(attemptId, sent);
  expect(fast.status, sent.body).toBe(route.status);
  expect(withoutTime(fast.body), sent.body).toBe(withoutTime(route.body));
  expect(fast.headers.get("content-type"), sent.body).toBe(route.headers.get("content-type"));
  expect(fast.headers.get("cache-control"), sent.body).toBe(route.headers.get("cache-control"));
  expect(fast.headers.get("content-security-policy")).toBe(API_CSP);
  expect(fast.headers.get("x-content-type-options")).toBe("nosniff");
  expect(fast.headers.get("x-frame-options")).toBe("DENY");
  expect(fast.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
  expect(fast.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}$/);
  return fast.status;
}

const form = (fields: Record<string, string | string[]>) => {
  const f = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) f.append(k, x);
  return f.toString();
};

const events = async (attemptId: string, kind: "save" | "flag" | "late-save") =>
  (await getDb().select().from(examEvents).where(and(eq(examEvents.attemptId, attemptId), eq(examEvents.kind, kind)))).length;

describe("the autosave fast path", () => {
  it("saves as the route does: the answer, the flag, where the learner is, one event per save", async () => {
    const { attemptId, questions, cookie, token } = await setup();
    passedOn.length = 0;
    const answer = anOption(questions[0]!);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, position: "0", setAnswer: "1", answer, at: "2" }) })).toBe(200);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, position: "1", flagged: "true" }) })).toBe(200);
    const rows = await getDb().select().from(examAnswers).where(eq(examAnswers.attemptId, attemptId));
    expect(rows.map((r) => ({ position: r.position, answer: r.answer, flagged: r.flagged })).sort((a, b) => a.position - b.position)).toEqual([
      { position: 0, answer: [answer], flagged: false },
      { position: 1, answer: [], flagged: true },
    ]);
    // A flag leaves the stored answer as it is; clearing an answer (setAnswer with no values) leaves the flag.
    expect(await same(attemptId, { cookie, body: form({ csrf: token, position: "0", flagged: "true" }) })).toBe(200);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, position: "1", setAnswer: "1" }) })).toBe(200);
    const after = await getDb().select().from(examAnswers).where(eq(examAnswers.attemptId, attemptId));
    expect(after.map((r) => ({ position: r.position, answer: r.answer, flagged: r.flagged })).sort((a, b) => a.position - b.position)).toEqual([
      { position: 0, answer: [answer], flagged: true },
      { position: 1, answer: [], flagged: true },
    ]);
    const [attempt] = await getDb().select({ position: examAttempts.position }).from(examAttempts).where(eq(examAttempts.id, attemptId));
    expect(attempt!.position).toBe(1);
    expect(await events(attemptId, "save")).toBe(4);
    expect(await events(attemptId, "flag")).toBe(4);
    expect(passedOn).toEqual([]);
  });

  it("refuses as the route does: signed out, an ended or damaged session, CSRF, invalid input, someone else's attempt", async () => {
    const { attemptId, questions, cookie, token } = await setup();
    passedOn.length = 0;
    const ok = { position: "0", setAnswer: "1", answer: anOption(questions[0]!) };
    expect(await same(attemptId, { body: form({ csrf: token, ...ok }) })).toBe(401);
    expect(await same(attemptId, { cookie: "manabi_session=%FF", body: form({ csrf: token, ...ok }) })).toBe(401);
    expect(await same(attemptId, { cookie, body: form(ok) })).toBe(403);
    const otherCookie = await signedInCookie((await createUser()).id);
    const otherToken = (await csrfFor(otherCookie)).token;
    expect(await same(attemptId, { cookie, body: form({ csrf: otherToken, ...ok }) })).toBe(403);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, position: "0" }) })).toBe(400);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, ...ok, position: "-1" }) })).toBe(400);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, ...ok, answer: "x9-z" }) })).toBe(400);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, ...ok, position: "99" }) })).toBe(400);
    expect(await same(attemptId, { cookie, body: form({ csrf: token, ...ok, answer: Array.from({ length: 11 }, () => "a") }) })).toBe(400);
    // Another person's attempt, and an attempt that does not exist.
    expect(await same(attemptId, { cookie: otherCookie, body: form({ csrf: otherToken, ...ok }) })).toBe(404);
    expect(await same("A".repeat(22), { cookie, body: form({ csrf: token, ...ok }) })).toBe(404);
    // The session ended (signed out elsewhere): 401 even with the token it had.
    await getDb().delete(sessions).where(eq(sessions.id, cookie.split("=")[1]!));
    expect(await same(attemptId, { cookie, body: form({ csrf: token, ...ok }) })).toBe(401);
    expect(await events(attemptId, "save")).toBe(0);
    expect(passedOn).toEqual([]);
  });

  it("keeps lucia's session rules in the one-statement save: renews a session due for it, refuses one past its lifetime", async () => {
    const { attemptId, questions, cookie, token } = await setup();
    const sessionId = cookie.split("=")[1]!;
    const ok = { csrf: token, position: "0", setAnswer: "1", answer: anOption(questions[0]!) };
    // Less than half of the idle time left: the save goes through lucia, which extends the session.
    const soon = new Date(Date.now() + 60_000);
    await getDb().update(sessions).set({ expiresAt: soon }).where(eq(sessions.id, sessionId));
    expect(await same(attemptId, { cookie, body: form(ok) })).toBe(200);
    const [renewed] = await getDb().select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.id, sessionId));
    expect(renewed!.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 60_000);
    // Signed in longer ago than the absolute lifetime (however active): signed out, nothing saved.
    await getDb().update(sessions).set({ createdAt: new Date(Date.now() - 400 * 86_400_000) }).where(eq(sessions.id, sessionId));
    const before = await events(attemptId, "save");
    const fast = await viaFastPath(attemptId, { cookie, body: form(ok) });
    expect({ status: fast.status, body: JSON.parse(fast.body) }).toEqual({ status: 401, body: { kind: "signed-out" } });
    expect(await events(attemptId, "save")).toBe(before);
    // A deactivated person's live session saves nothing either.
    const other = await setup();
    await getDb().update(users).set({ active: false }).where(eq(users.id, other.learner.id));
    expect(await same(other.attemptId, { cookie: other.cookie, body: form({ ...ok, csrf: other.token, answer: anOption(other.questions[0]!) }) })).toBe(401);
    expect(await events(other.attemptId, "save")).toBe(0);
  });

  it("refuses a late save as the route does, and the attempt is finished with what was saved in time", async () => {
    const { attemptId, questions, cookie, token } = await setup();
    const ok = { csrf: token, position: "0", setAnswer: "1", answer: anOption(questions[0]!) };
    await getDb().update(examAttempts).set({ deadline: new Date(Date.now() - 1000) }).where(eq(examAttempts.id, attemptId));
    const fast = await viaFastPath(attemptId, { cookie, body: form(ok) });
    expect({ status: fast.status, body: JSON.parse(fast.body) }).toEqual({ status: 409, body: { kind: "deadline-passed" } });
    expect(await events(attemptId, "late-save")).toBe(1);
    const [attempt] = await getDb().select({ status: examAttempts.status, endReason: examAttempts.endReason }).from(examAttempts).where(eq(examAttempts.id, attemptId));
    expect(attempt).toEqual({ status: "finished", endReason: "timeout" });
    expect(await same(attemptId, { cookie, body: form(ok) })).toBe(409);
    expect(JSON.parse((await viaFastPath(attemptId, { cookie, body: form(ok) })).body)).toEqual({ kind: "finished" });
  });

  it("hands on everything else — with the body when it read it — and takes nothing before start-up finished", async () => {
    const { attemptId, cookie, token } = await setup();
    passedOn.length = 0;
    const body = form({ csrf: token, position: "0", flagged: "true" });
    const path = `/exams/${attemptId}/answer`;
    const status = async (target: string, init: RequestInit) => (await fetch(`${base}${target}`, { ...init, headers: { Cookie: cookie, ...(init.headers ?? {}) } })).status;
    const urlencoded = { "Content-Type": "application/x-www-form-urlencoded" };
    expect(await status(path, { method: "GET" })).toBe(299);
    expect(await status(`${path}?x=1`, { method: "POST", body, headers: urlencoded })).toBe(299);
    expect(await status(`/exams/${attemptId}`, { method: "POST", body, headers: urlencoded })).toBe(299);
    expect(await status(`/exams/${attemptId}x/answer`, { method: "POST", body, headers: urlencoded })).toBe(299);
    const multipart = new FormData();
    multipart.set("csrf", token);
    expect(await status(path, { method: "POST", body: multipart })).toBe(299);
    expect(await status(path, { method: "POST", body, headers: { ...urlencoded, Origin: "https://evil.example" } })).toBe(299);
    expect(await status(path, { method: "POST", body: "a=1", headers: { "Content-Type": "application/json" } })).toBe(299);
    expect(await status(path, { method: "POST", body: `${body}&pad=${"x".repeat(9000)}`, headers: urlencoded })).toBe(299);
    // A NUL byte in a field: read here, then handed on with its body for the request guard to refuse.
    expect(await status(path, { method: "POST", body: `${body}&at=%00`, headers: urlencoded })).toBe(299);
    ready = false;
    try {
      expect(await status(path, { method: "POST", body, headers: urlencoded })).toBe(299);
    } finally {
      ready = true;
    }
    expect(passedOn).toHaveLength(10);
    expect(passedOn[8]).toBe(`POST ${path} body=${body}&at=%00`);
    expect(passedOn.filter((p) => p.includes("body="))).toHaveLength(1);
    expect(await events(attemptId, "flag")).toBe(0);
  });
});
