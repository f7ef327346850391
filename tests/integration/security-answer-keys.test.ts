import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { examAttempts } from "#db/schema";
import { grantCourseExemption } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { requireRelease } from "~/content/release.server";
import type { Question } from "~/content/types";
import * as root from "~/root";
import * as home from "~/routes/_index";
import * as certificatesPage from "~/routes/certificates._index";
import * as answerRoute from "~/routes/exams.$attemptId_.answer";
import * as examRoute from "~/routes/exams.$attemptId";
import * as resultRoute from "~/routes/exams.$attemptId_.result";
import * as lessonRoute from "~/routes/learn.$courseId.$lessonId";
import * as courseRoute from "~/routes/learn.$courseId._index";
import * as myLearning from "~/routes/learn._index";
import * as toolsPage from "~/routes/tools";
import * as trackRoute from "~/routes/tracks.$trackId";
import { catalogTool, examBundle } from "../helpers/content";
import { createUser, get, post, settle } from "../helpers/factories";

// Answer-key leak scan (issue #14, security sweep). While an attempt is open, every response of the exam
// pages and endpoints — loaders, actions, the answer endpoint, redirects and their headers, the pages
// around the exam (track, course, lessons, home, my learning, certificates, tools, the root) — is
// collected in both languages and scanned for:
//   - the explanation of any exam question of the bank, in English or Japanese (phrase breaks removed);
//   - a correct option id anywhere but as the `id` of an option in the question's option list (the
//     learner here only ever saves wrong answers, so the key has no other honest place to be);
//   - an option object that differs from its siblings by anything but id and text (a `correct: true`);
//   - a property named like a key or an explanation.
// The scanner is shown to catch each kind of leak, and to see the keys on the result page after submit.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const FORBIDDEN_PROPERTY = /^(key|keys|answerKey|correct|correctAnswer|correctOptions|isCorrect|isKey|explanation|explanations|rationale|solution)$/i;
const stripBreaks = (s: string) => s.replaceAll("\u2063", "");

/** What a response shows a browser: its status, headers (a Location) and body, or serialised loader data. */
async function captured(value: unknown): Promise<Json> {
  if (value instanceof Response) {
    const text = await value.text();
    let body: Json = text;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: value.status, headers: Object.fromEntries(value.headers) as Json, body };
  }
  if (value && typeof value === "object" && (value as { type?: unknown }).type === "DataWithResponseInit") {
    const d = value as { data: unknown; init: unknown };
    return JSON.parse(JSON.stringify({ init: d.init ?? null, data: d.data })) as Json;
  }
  return JSON.parse(JSON.stringify(value ?? null)) as Json;
}

/** Every leak of these questions' keys or explanations in one captured response. */
export function leaksIn(response: Json, questions: Question[]): string[] {
  const leaks: string[] = [];
  const text = stripBreaks(JSON.stringify(response));
  for (const q of questions) {
    for (const lang of ["en", "ja"] as const) {
      if (text.includes(stripBreaks(q.explanation[lang]))) leaks.push(`explanation (${lang}) of ${q.id}`);
    }
  }
  const keyOf = new Map<string, string>();
  const optionOf = new Map<string, string>();
  for (const q of questions) {
    if (q.type === "truefalse") continue; // "true"/"false" are everywhere: the property and sibling checks cover them.
    for (const id of q.answer) keyOf.set(id, q.id);
    for (const o of q.options) optionOf.set(o.id, q.id);
  }
  /** `optionId`: this string is the `id` of an option in its question's option list, the key's one honest place. */
  const walk = (value: Json, path: string, optionId: boolean) => {
    if (typeof value === "string") {
      // A key in any string (a URL, a sentence, a value) is a leak unless it is an option's own id.
      for (const [id, qid] of keyOf) {
        if (value.includes(id) && !(optionId && value === id)) leaks.push(`key of ${qid} at ${path}`);
      }
      return;
    }
    if (Array.isArray(value)) {
      const isOption = (v: Json): v is { [k: string]: Json } => !!v && typeof v === "object" && !Array.isArray(v) && typeof v.id === "string" && optionOf.has(v.id);
      const options = value.filter(isOption);
      if (options.length > 1) {
        // Options of one question must look alike apart from id and text.
        const rest = options.map((o) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => k !== "id" && k !== "text").sort())));
        if (new Set(rest).size > 1) leaks.push(`options differ beyond id and text at ${path}: ${rest.join(" | ")}`);
      }
      value.forEach((v, i) => {
        if (!isOption(v)) return walk(v, `${path}[${i}]`, false);
        for (const [k, inner] of Object.entries(v)) {
          if (FORBIDDEN_PROPERTY.test(k)) leaks.push(`property "${k}" at ${path}[${i}]`);
          walk(inner, `${path}[${i}].${k}`, k === "id");
        }
      });
      return;
    }
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        if (FORBIDDEN_PROPERTY.test(k)) leaks.push(`property "${k}" at ${path}`);
        walk(v, `${path}.${k}`, false);
      }
    }
  };
  walk(response, "$", false);
  return leaks;
}

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────────

const context = { clientIp: "192.0.2.9", requestId: "leak-scan" };
let learnerId: string;
let attemptId: string;
let questions: Question[];
let bank: Question[];

const wrong = (q: Question) => (q.type === "truefalse" ? [q.answer[0] === "true" ? "false" : "true"] : [q.options.map((o) => o.id).find((id) => !q.answer.includes(id))!]);

beforeAll(async () => {
  await publishRelease(examBundle({ tools: [catalogTool("chat", ["t1"])] }), { id: null, name: "leak scan" });
  const hr = await createUser({ roles: ["hr"] });
  const learner = await createUser();
  learnerId = learner.id;
  await grantCourseExemption({ userId: learner.id, trackId: "t1", reason: "leak scan", actorId: hr.id });
  const started = await settle(async () => trackRoute.action({ request: await post("/tracks/t1", { intent: "start" }, { userId: learnerId }), params: { trackId: "t1" }, context }));
  const location = started.value instanceof Response ? started.value.headers.get("Location") : null;
  expect(location).toMatch(/^\/exams\/[A-Za-z0-9_-]{22}$/);
  attemptId = location!.split("/")[2]!;
  const [row] = await getDb().select({ items: examAttempts.items }).from(examAttempts).where(eq(examAttempts.id, attemptId));
  const release = await requireRelease();
  questions = row!.items.map((i) => release.questions.get(i.questionId)!);
  bank = [...release.questions.values()].filter((q) => q.use === "exam");
});

/** Runs a loader or action and captures what it answered (thrown Responses included); a crash fails. */
async function run(label: string, fn: () => Promise<unknown>): Promise<[string, Json]> {
  const { thrown, value } = await settle(fn);
  if (thrown && !(value instanceof Response)) throw new Error(`${label} crashed: ${String(value)}`);
  return [label, await captured(value)];
}

/** Every response of the exam pages and endpoints of the open attempt, and the pages around it. */
async function everyResponseDuringTheAttempt(): Promise<[string, Json][]> {
  const out: [string, Json][] = [];
  const p = { attemptId };
  for (const lang of ["ja", "en"] as const) {
    const at = async (path: string) => {
      return get(path, learnerId, { "Accept-Language": lang });
    };
    // The exam page at every question, and with the submit confirmation open.
    for (let q = 1; q <= questions.length; q++) out.push(await run(`${lang} exam ?q=${q}`, async () => examRoute.loader({ request: await at(`/exams/${attemptId}?q=${q}`), params: p, context })));
    out.push(await run(`${lang} exam confirm`, async () => examRoute.loader({ request: await at(`/exams/${attemptId}?confirm=1`), params: p, context })));
    out.push(await run(`${lang} exam no query`, async () => examRoute.loader({ request: await at(`/exams/${attemptId}`), params: p, context })));
    // The page's form: save-and-go with a wrong answer, flag, open the submit confirmation, an invalid answer.
    for (const [position, q] of questions.entries()) {
      const fields = new URLSearchParams({ intent: "save-and-go", position: String(position), go: String((position + 1) % questions.length) });
      for (const a of wrong(q)) fields.append("answer", a);
      out.push(await run(`${lang} exam save-and-go ${position}`, async () => examRoute.action({ request: await formPost(`/exams/${attemptId}`, fields, lang), params: p, context })));
    }
    out.push(await run(`${lang} exam flag`, async () => examRoute.action({ request: await post(`/exams/${attemptId}`, { intent: "flag", position: "1", flagTo: "true" }, { userId: learnerId, headers: { "Accept-Language": lang } }), params: p, context })));
    out.push(await run(`${lang} exam submit-confirm`, async () => examRoute.action({ request: await post(`/exams/${attemptId}`, { intent: "submit-confirm", position: "0" }, { userId: learnerId, headers: { "Accept-Language": lang } }), params: p, context })));
    out.push(await run(`${lang} exam invalid answer`, async () => examRoute.action({ request: await post(`/exams/${attemptId}`, { intent: "save-and-go", position: "0", go: "1", answer: "not-an-option" }, { userId: learnerId, headers: { "Accept-Language": lang } }), params: p, context })));
    // The autosave endpoint: every question, a flag, an invalid answer, a bad form, a GET.
    for (const [position, q] of questions.entries()) {
      out.push(await run(`${lang} autosave ${position}`, async () => answerRoute.action({ request: await post(`/exams/${attemptId}/answer`, { position: String(position), setAnswer: "1", answer: wrong(q)[0]! }, { userId: learnerId, headers: { "Accept-Language": lang } }), params: p, context })));
    }
    out.push(await run(`${lang} autosave flag`, async () => answerRoute.action({ request: await post(`/exams/${attemptId}/answer`, { position: "2", flagged: "true" }, { userId: learnerId }), params: p, context })));
    out.push(await run(`${lang} autosave invalid option`, async () => answerRoute.action({ request: await post(`/exams/${attemptId}/answer`, { position: "0", setAnswer: "1", answer: "not-an-option" }, { userId: learnerId }), params: p, context })));
    out.push(await run(`${lang} autosave bad form`, async () => answerRoute.action({ request: await post(`/exams/${attemptId}/answer`, { position: "-1" }, { userId: learnerId }), params: p, context })));
    out.push(await run(`${lang} autosave GET`, async () => answerRoute.loader()));
    // The result page before submit sends the learner back to the questions.
    out.push(await run(`${lang} result before submit`, async () => resultRoute.loader({ request: await at(`/exams/${attemptId}/result`), params: p, context })));
    // The track page (and a second start, which resumes), the course and its lessons, home, lists, root.
    out.push(await run(`${lang} track`, async () => trackRoute.loader({ request: await at("/tracks/t1"), params: { trackId: "t1" }, context })));
    out.push(await run(`${lang} track start again`, async () => trackRoute.action({ request: await post("/tracks/t1", { intent: "start" }, { userId: learnerId }), params: { trackId: "t1" }, context })));
    out.push(await run(`${lang} course`, async () => courseRoute.loader({ request: await at("/learn/c1"), params: { courseId: "c1" }, context })));
    for (const lessonId of ["l1", "l2"]) {
      out.push(await run(`${lang} lesson ${lessonId}`, async () => lessonRoute.loader({ request: await at(`/learn/c1/${lessonId}`), params: { courseId: "c1", lessonId }, context })));
    }
    out.push(await run(`${lang} home`, async () => home.loader({ request: await at("/"), params: {}, context })));
    out.push(await run(`${lang} my learning`, async () => myLearning.loader({ request: await at("/learn"), params: {}, context })));
    out.push(await run(`${lang} certificates`, async () => certificatesPage.loader({ request: await at("/certificates"), params: {}, context })));
    out.push(await run(`${lang} tools`, async () => toolsPage.loader({ request: await at("/tools"), params: {}, context })));
    out.push(await run(`${lang} root`, async () => root.loader({ request: await at(`/exams/${attemptId}`), params: {}, context: { ...context, nonce: "n" } })));
  }
  return out;
}

async function formPost(path: string, fields: URLSearchParams, lang: string): Promise<Request> {
  const base = await post(path, {}, { userId: learnerId });
  const body = new URLSearchParams(await base.text());
  for (const [k, v] of fields) body.append(k, v);
  const headers = new Headers(base.headers);
  headers.set("Accept-Language", lang);
  return new Request(base.url, { method: "POST", body, headers });
}

// ── The tests ───────────────────────────────────────────────────────────────────────────────────────

describe("answer keys and explanations during an unfinished attempt", () => {
  it("the scanner catches each kind of leak it looks for", () => {
    const q = questions.find((x) => x.type !== "truefalse")!;
    const key = q.answer[0]!;
    const options = q.options.map((o) => ({ id: o.id, text: o.text.en }));
    expect(leaksIn({ questions: [{ options }] }, [q])).toEqual([]);
    expect(leaksIn({ questions: [{ options: options.map((o) => (o.id === key ? { ...o, correct: true } : o)) }] }, [q]).join()).toMatch(/property "correct"/);
    expect(leaksIn({ questions: [{ options: options.map((o) => ({ ...o, weight: o.id === key ? 1 : 0 })) }] }, [q]).join()).toMatch(/options differ/);
    expect(leaksIn({ review: [{ mine: [key] }] }, [q]).join()).toMatch(new RegExp(`key of ${q.id}`));
    expect(leaksIn({ headers: { location: `/exams/a?answer=${key}` } }, [q]).join()).toMatch(new RegExp(`key of ${q.id}`));
    expect(leaksIn({ text: `…${q.explanation.en}…` }, [q]).join()).toMatch(/explanation \(en\)/);
    expect(leaksIn({ text: q.explanation.ja.split("").join("\u2063") }, [q]).join()).toMatch(/explanation \(ja\)/);
  });

  it("no response of the exam pages and endpoints, in either language, holds a key or an explanation", async () => {
    const responses = await everyResponseDuringTheAttempt();
    // The scan sees the questions themselves, in both languages, and the saves were accepted.
    const all = stripBreaks(JSON.stringify(responses));
    expect(all).toContain("Exam question");
    expect(all).toContain("試験問題");
    expect(responses.filter(([label]) => label.includes("autosave") && /^\D+\d+$/.test(label)).every(([, r]) => (r as { status: number }).status === 200)).toBe(true);
    const leaks = responses.flatMap(([label, r]) => leaksIn(r, bank).map((l) => `${label}: ${l}`));
    expect(leaks).toEqual([]);
    // No response was a 5xx.
    const failures = responses.filter(([, r]) => typeof r === "object" && r !== null && !Array.isArray(r) && typeof r.status === "number" && r.status >= 500);
    expect(failures.map(([label]) => label)).toEqual([]);
  });

  it("after submit the result page shows the keys and explanations, and the scan sees them (it is not blind)", async () => {
    const submitted = await settle(async () => examRoute.action({ request: await post(`/exams/${attemptId}`, { intent: "submit" }, { userId: learnerId }), params: { attemptId }, context }));
    expect((submitted.value as Response).headers.get("Location")).toBe(`/exams/${attemptId}/result`);
    const [, result] = await run("result after submit", async () =>
      resultRoute.loader({ request: await get(`/exams/${attemptId}/result`, learnerId, { "Accept-Language": "en" }), params: { attemptId }, context }),
    );
    const leaks = leaksIn(result, questions).join("\n");
    for (const q of questions) expect(leaks, q.id).toContain(`explanation (en) of ${q.id}`);
  });
});
