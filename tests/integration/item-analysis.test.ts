import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, courseExemptions, examAttempts, knowledgeCheckAnswers } from "#db/schema";
import { examSession, saveExamAnswer, startExam, submitExam } from "~/assessment/exams.server";
import { publishRelease } from "~/content/publish.server";
import { invalidateReleaseCache } from "~/content/release.server";
import type { ContentBundle, Language, Track } from "~/content/types";
import * as page from "~/routes/authoring.items";
import * as csv from "~/routes/authoring.items[.csv]";
import * as detail from "~/routes/authoring.items_.$questionId";
import { examItem, lesson, makeBundle, question } from "../helpers/content";
import { createUser, get } from "../helpers/factories";

/**
 * A course with one knowledge check (q1, key b) and a track whose exam draws every exam item: x1 and
 * x2 (single choice, keys x1-b and x2-b) and y2 (true/false, key false). Six finished attempts and
 * four first tries make a fixture small enough to work out by hand (see the comments in the tests).
 */
const track: Track = {
  id: "t1",
  title: { en: "Test track", ja: "テスト認定" },
  summary: { en: "A track for tests.", ja: "テスト用の認定です。" },
  courses: ["c1"],
  exam: {
    timeLimitMinutes: 30,
    passPercent: 50,
    minimums: [],
    attempts: 3,
    retakeWaitHours: 0,
    blueprint: [
      { domain: "d1", count: 2 },
      { domain: "d2", count: 1 },
    ],
  },
  validityMonths: 12,
  recertificationWindowDays: 30,
};

function bundle(stemSuffix = ""): ContentBundle {
  const base = makeBundle();
  const q1 = question("q1", "c1", "l1");
  return {
    ...base,
    domains: [
      { id: "d1", name: { en: "Domain one", ja: "分野1" } },
      { id: "d2", name: { en: "Domain two", ja: "分野2" } },
    ],
    lessons: [lesson("l1", "c1", 0, ["q1"]), lesson("l2", "c1", 1)],
    questions: [
      { ...q1, stem: { en: `Question q1${stemSuffix}?`, ja: `問題 q1${stemSuffix}？` }, sourceHash: { en: `en-q1${stemSuffix}`, ja: `ja-q1${stemSuffix}` } },
      examItem("x1", "d1"),
      examItem("x2", "d1"),
      examItem("y2", "d2", { type: "truefalse", answer: ["false"] }),
    ],
    tracks: [track],
  };
}

let author: Awaited<ReturnType<typeof createUser>>;
let hr: Awaited<ReturnType<typeof createUser>>;
let manager: Awaited<ReturnType<typeof createUser>>;
let learner: Awaited<ReturnType<typeof createUser>>;

const T0 = Date.now() - 3_600_000;
const at = (seconds: number) => new Date(T0 + seconds * 1000);

type Plan = {
  lang: Language;
  /** Answers by question id; a missing question is left unanswered. */
  answers: Record<string, string[]>;
  /** Switch the page to this language before answering these questions. */
  switchTo?: { lang: Language; before: string[] };
};

async function sitExam(plan: Plan) {
  const user = await createUser();
  await getDb().insert(courseExemptions).values({ userId: user.id, trackId: "t1", reason: "test fixture" });
  const started = await startExam({ userId: user.id, trackId: "t1", lang: plan.lang, now: at(0) });
  if (started.kind !== "started") throw new Error(`could not start: ${started.kind}`);
  const [row] = await getDb().select({ items: examAttempts.items }).from(examAttempts).where(eq(examAttempts.id, started.attemptId));
  const position = (id: string) => row!.items.findIndex((i) => i.questionId === id);
  let clock = 10;
  for (const [questionId, answer] of Object.entries(plan.answers)) {
    if (plan.switchTo && plan.switchTo.before[0] === questionId) {
      const view = await examSession(user.id, started.attemptId, plan.switchTo.lang, at(clock++));
      expect(view.kind).toBe("open");
    }
    const saved = await saveExamAnswer({ userId: user.id, attemptId: started.attemptId, position: position(questionId), answer, now: at(clock++) });
    expect(saved.kind).toBe("saved");
  }
  const submitted = await submitExam({ userId: user.id, attemptId: started.attemptId, now: at(clock + 5) });
  expect(submitted.kind).toBe("finished");
}

async function firstTry(userId: string, lang: Language, answer: string[], releaseNumber = 1, attempt = 1) {
  await getDb()
    .insert(knowledgeCheckAnswers)
    .values({ userId, questionId: "q1", lessonId: "l1", releaseNumber, answer, correct: answer.join() === "b", attempt, language: lang });
}

beforeAll(async () => {
  await publishRelease(bundle(), { id: null, name: "test" });
  invalidateReleaseCache();
  author = await createUser({ roles: ["author"] });
  hr = await createUser({ roles: ["hr"] });
  manager = await createUser();
  await createUser({ managerId: manager.id });
  learner = await createUser();
});

async function call(loader: (args: LoaderFunctionArgs) => unknown, path: string, userId: string, lang: Language = "en", params: Record<string, string> = {}) {
  const request = await get(path, userId, { "Accept-Language": lang });
  try {
    return await loader({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type PageData = Awaited<ReturnType<typeof page.loader>>;
type DetailData = Awaited<ReturnType<typeof detail.loader>>;

describe("item analysis", () => {
  it("shows an empty state before anyone has answered", async () => {
    const data = (await call(page.loader, "/authoring/items", author.id)) as PageData;
    expect(data.answers).toBe(0);
    expect(data.rows.map((r) => r.id)).toEqual(["q1", "x1", "x2", "y2"]);
    expect(data.rows.every((r) => r.n === 0 && r.facility === null && r.flags.length === 0)).toBe(true);
  });

  it("refuses learners, HR and managers the page, a question's detail and the CSV", async () => {
    for (const user of [learner, hr, manager]) {
      for (const [loader, path, params] of [
        [page.loader, "/authoring/items", {}],
        [detail.loader, "/authoring/items/x1", { questionId: "x1" }],
        [csv.loader, "/authoring/items.csv", {}],
      ] as const) {
        const response = await call(loader, path, user.id, "en", params);
        expect(response, `${path} for ${user.id}`).toBeInstanceOf(Response);
        expect((response as Response).status).toBe(403);
      }
    }
    const before = await getDb().select().from(auditLog).where(eq(auditLog.action, "export.item-analysis"));
    expect(before).toEqual([]);
  });

  it("works out facility, discrimination and option choices by language from finished attempts and first tries", async () => {
    // Attempt (language): x1, x2, y2 → score
    // A1 (ja): b ✓, b ✓, false ✓ → 3
    // A2 (ja): b ✓, a ✗, true ✗ → 1
    // A3 (ja): c ✗, b ✓, false ✓ → 2
    // A4 (en): a ✗, c ✗, — (unanswered) → 0
    // A5 (en): b ✓, b ✓, true ✗ → 2
    // A6 (en, then ja before x2): c ✗ (en), b ✓ (ja), false ✓ (ja) → 2
    await sitExam({ lang: "ja", answers: { x1: ["x1-b"], x2: ["x2-b"], y2: ["false"] } });
    await sitExam({ lang: "ja", answers: { x1: ["x1-b"], x2: ["x2-a"], y2: ["true"] } });
    await sitExam({ lang: "ja", answers: { x1: ["x1-c"], x2: ["x2-b"], y2: ["false"] } });
    await sitExam({ lang: "en", answers: { x1: ["x1-a"], x2: ["x2-c"] } });
    await sitExam({ lang: "en", answers: { x1: ["x1-b"], x2: ["x2-b"], y2: ["true"] } });
    await sitExam({ lang: "en", answers: { x1: ["x1-c"], x2: ["x2-b"], y2: ["false"] }, switchTo: { lang: "ja", before: ["x2"] } });
    // An attempt still open does not count.
    const open = await createUser();
    await getDb().insert(courseExemptions).values({ userId: open.id, trackId: "t1", reason: "test fixture" });
    const started = await startExam({ userId: open.id, trackId: "t1", lang: "en", now: new Date() });
    if (started.kind !== "started") throw new Error(started.kind);

    // Knowledge check q1 (key b), first tries: ja b ✓, ja a ✗, en b ✓, en c ✗; second tries do not count.
    const people = await Promise.all([createUser(), createUser(), createUser(), createUser()]);
    await firstTry(people[0]!.id, "ja", ["b"]);
    await firstTry(people[0]!.id, "ja", ["b"], 1, 2);
    await firstTry(people[1]!.id, "ja", ["a"]);
    await firstTry(people[1]!.id, "ja", ["b"], 1, 2);
    await firstTry(people[2]!.id, "en", ["b"]);
    await firstTry(people[3]!.id, "en", ["c"]);

    const data = (await call(page.loader, "/authoring/items", author.id)) as PageData;
    const row = (id: string) => data.rows.find((r) => r.id === id)!;
    expect(data.answers).toBe(6 * 3 + 4);

    // x1: right 1,1,0,0,1,0; rest (score − x)/2: 1, 0, 1, 0, 0.5, 1.
    // n 6, Σx 3, Σy 3.5, Σy² 3.25, Σxy 1.5 → r = (9 − 10.5) / √(9 · 7.25) = −0.18570
    expect(row("x1")).toMatchObject({ n: 6, facility: 0.5, ja: { n: 3 }, en: { n: 3 } });
    expect(row("x1").discrimination).toBeCloseTo(-0.1857, 4);
    expect(row("x1").ja.facility).toBeCloseTo(2 / 3);
    expect(row("x1").en.facility).toBeCloseTo(1 / 3);
    expect(row("x1").languageGap).toBeCloseTo(1 / 3);
    // x2: right 1,0,1,0,1,1 (A6 answered after switching to Japanese); rest 1, .5, .5, 0, .5, .5
    // n 6, Σx 4, Σy 3, Σy² 2, Σxy 2.5 → r = (15 − 12) / √(8 · 3) = 0.61237
    expect(row("x2")).toMatchObject({ n: 6, ja: { n: 4, facility: 0.75 }, en: { n: 2, facility: 0.5 } });
    expect(row("x2").facility).toBeCloseTo(4 / 6);
    expect(row("x2").discrimination).toBeCloseTo(0.61237, 4);
    // y2: right 1,0,1,0,0,1 (A4 unanswered, counted wrong in English, the language when it ended)
    // rest 1, .5, .5, 0, 1, .5 → Σx 3, Σy 3.5, Σy² 2.75, Σxy 2 → r = (12 − 10.5) / √(9 · 4.25) = 0.24254
    expect(row("y2")).toMatchObject({ n: 6, facility: 0.5, ja: { n: 4, facility: 0.75 }, en: { n: 2, facility: 0 } });
    expect(row("y2").discrimination).toBeCloseTo(0.24254, 4);
    // q1: first tries only; no discrimination for knowledge checks.
    expect(row("q1")).toMatchObject({ use: "practice", n: 4, facility: 0.5, discrimination: null, ja: { n: 2, facility: 0.5 }, en: { n: 2, facility: 0.5 } });
    // Too few answers for any flag.
    expect(data.rows.every((r) => r.flags.length === 0)).toBe(true);

    const x1 = (await call(detail.loader, "/authoring/items/x1", author.id, "ja", { questionId: "x1" })) as DetailData;
    expect(x1.question).toMatchObject({ id: "x1", stem: "試験問題 x1？", since: 1 });
    expect(x1.options.map((o) => [o.id, o.isKey, o.count, o.byLanguage.ja.count, o.byLanguage.en.count, o.text])).toEqual([
      ["x1-a", false, 1, 0, 1, "x1の選択肢a"],
      ["x1-b", true, 3, 2, 1, "x1の選択肢b"],
      ["x1-c", false, 2, 1, 1, "x1の選択肢c"],
      ["x1-d", false, 0, 0, 0, "x1の選択肢d"],
    ]);
    const y2 = (await call(detail.loader, "/authoring/items/y2", author.id, "en", { questionId: "y2" })) as DetailData;
    expect(y2.analysis.omitted).toBe(1);
    expect(y2.analysis.byLanguage.en.omitted).toBe(1);
    expect(y2.options.map((o) => [o.id, o.text, o.isKey, o.count])).toEqual([
      ["true", "True", false, 2],
      ["false", "False", true, 3],
    ]);
    const missing = await call(detail.loader, "/authoring/items/nope", author.id, "en", { questionId: "nope" });
    expect((missing as Response).status).toBe(404);
  });

  it("sorts by a column and filters by domain through the URL", async () => {
    const sorted = (await call(page.loader, "/authoring/items?sort=discrimination&dir=asc", author.id)) as PageData;
    // Knowledge checks have no discrimination and go last.
    expect(sorted.rows.map((r) => r.id)).toEqual(["x1", "y2", "x2", "q1"]);
    const desc_ = (await call(page.loader, "/authoring/items?sort=discrimination&dir=desc", author.id)) as PageData;
    expect(desc_.rows.map((r) => r.id)).toEqual(["x2", "y2", "x1", "q1"]);
    const d2 = (await call(page.loader, "/authoring/items?domain=d2", author.id)) as PageData;
    expect(d2.rows.map((r) => r.id)).toEqual(["y2"]);
    const flagged = (await call(page.loader, "/authoring/items?flagged=1", author.id)) as PageData;
    expect(flagged.rows).toEqual([]);
    const junk = (await call(page.loader, "/authoring/items?sort=drop+table&dir=sideways", author.id)) as PageData;
    expect(junk.query).toMatchObject({ sort: "id", dir: "asc" });
  });

  it("exports the table as CSV with headers in the reader's language and writes who exported how many rows", async () => {
    const response = (await call(csv.loader, "/authoring/items.csv?sort=facility&dir=asc", author.id, "ja")) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes).replace(/^\ufeff/, "");
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("問題ID,用途,形式,コース,分野,問題文,解答数,正答率,識別力,日本語の解答数,日本語の正答率,英語の解答数,英語の正答率,差（日−英）,印,誰も選んでいない選択肢");
    expect(lines).toHaveLength(5);
    // Facility ascending: q1, x1, y2 (0.5; ties by id), then x2.
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["q1", "x1", "y2", "x2"]);
    expect(lines[2]).toBe("x1,試験,単一選択,コース,分野1,試験問題 x1？,6,0.5,-0.186,3,0.667,3,0.333,0.333,,");
    const [entry] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "export.item-analysis"), eq(auditLog.actorId, author.id)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(entry).toMatchObject({ targetType: "content-release", targetId: "1", details: { rows: 4, complete: true, release: 1, format: "csv", versions: "current" } });
  });

  it("counts a changed question afresh from the release that changed it, unless all versions are asked for", async () => {
    await publishRelease(bundle(" (revised)"), { id: null, name: "test" });
    invalidateReleaseCache();
    const person = await createUser();
    await firstTry(person.id, "en", ["d"], 2);
    const current = (await call(page.loader, "/authoring/items", author.id)) as PageData;
    expect(current.release).toBe(2);
    expect(current.rows.find((r) => r.id === "q1")).toMatchObject({ n: 1, facility: 0, stem: "Question q1 (revised)?" });
    // Unchanged exam items keep their answers from release 1.
    expect(current.rows.find((r) => r.id === "x1")).toMatchObject({ n: 6 });
    const all = (await call(page.loader, "/authoring/items?versions=all", author.id)) as PageData;
    expect(all.rows.find((r) => r.id === "q1")).toMatchObject({ n: 5, facility: 0.4 });
    const q1 = (await call(detail.loader, "/authoring/items/q1", author.id, "en", { questionId: "q1" })) as DetailData;
    expect(q1.question.since).toBe(2);
  });
});
