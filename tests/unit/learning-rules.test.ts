import { describe, expect, it } from "vitest";
import { isCorrect, normalizeAnswer } from "~/assessment/grading";
import { canonicalJson, staleTranslations, summarizeChanges } from "~/content/diff";
import { courseProgress, lessonStatus } from "~/learning/completion";
import { lesson, makeBundle, question } from "../helpers/content";

describe("grading", () => {
  const single = question("q", "c", "l", ["b"]);
  const multiple = question("m", "c", "l", ["a", "c"]);
  const tf = { type: "truefalse" as const, options: [], answer: ["false"] };

  it("accepts only known options, one for single choice", () => {
    expect(normalizeAnswer(single, ["b"])).toEqual(["b"]);
    expect(normalizeAnswer(single, ["a", "b"])).toBeNull();
    expect(normalizeAnswer(single, ["x"])).toBeNull();
    expect(normalizeAnswer(single, [])).toBeNull();
    expect(normalizeAnswer(multiple, ["c", "a", "a"])).toEqual(["a", "c"]);
    expect(normalizeAnswer(tf, ["false"])).toEqual(["false"]);
    expect(normalizeAnswer(tf, ["maybe"])).toBeNull();
  });

  it("gives credit only for exactly the keyed options", () => {
    expect(isCorrect(single, ["b"])).toBe(true);
    expect(isCorrect(single, ["a"])).toBe(false);
    expect(isCorrect(multiple, ["c", "a"])).toBe(true);
    expect(isCorrect(multiple, ["a"])).toBe(false);
    expect(isCorrect(multiple, ["a", "b", "c"])).toBe(false);
    expect(isCorrect(tf, ["false"])).toBe(true);
    expect(isCorrect(tf, ["true"])).toBe(false);
  });
});

describe("lesson and course completion", () => {
  const l1 = lesson("l1", "c1", 0, ["q1", "q2"]);
  const l2 = lesson("l2", "c1", 1);
  const lessons = new Map([l1, l2].map((l) => [l.id, l]));
  const course = { id: "c1", lessons: ["l1", "l2", "gone"] };
  const opened = { lessonId: "l1", startedAt: new Date(), readAt: null };
  const read = { ...opened, readAt: new Date() };

  it("needs both reading to the end and every check answered right", () => {
    expect(lessonStatus(l1, undefined, new Set())).toBe("not-started");
    expect(lessonStatus(l1, opened, new Set(["q1", "q2"]))).toBe("in-progress");
    expect(lessonStatus(l1, read, new Set(["q1"]))).toBe("in-progress");
    expect(lessonStatus(l1, read, new Set(["q1", "q2"]))).toBe("complete");
    expect(lessonStatus(l2, { lessonId: "l2", startedAt: new Date(), readAt: new Date() }, new Set())).toBe("complete");
  });

  it("resumes at the first unfinished lesson and counts minutes left, ignoring lessons the release lacks", () => {
    const none = courseProgress(course, lessons, new Map(), new Set());
    expect(none).toMatchObject({ total: 2, completed: 0, status: "not-started", resumeLessonId: "l1", minutesTotal: 10, minutesLeft: 10 });
    const half = courseProgress(course, lessons, new Map([["l1", read]]), new Set(["q1", "q2"]));
    expect(half).toMatchObject({ completed: 1, status: "in-progress", resumeLessonId: "l2", minutesLeft: 5 });
    const all = courseProgress(course, lessons, new Map([["l1", read], ["l2", { ...read, lessonId: "l2" }]]), new Set(["q1", "q2"]));
    expect(all).toMatchObject({ completed: 2, status: "complete", resumeLessonId: "l1", minutesLeft: 0 });
  });
});

describe("release change summaries", () => {
  it("lists lessons and questions added, changed and removed", () => {
    const before = makeBundle();
    const after = makeBundle({
      lessons: [lesson("l1", "c1", 0, ["q1"], "2"), lesson("l3", "c1", 1)],
      questions: [question("q1", "c1", "l1", ["c"])],
    });
    const summary = summarizeChanges(before, after);
    expect(summary.lessons).toEqual({ added: ["l3"], changed: ["l1"], removed: ["l2"] });
    expect(summary.questions).toEqual({ added: [], changed: ["q1"], removed: ["q2"] });
    expect(summarizeChanges(null, before).lessons.added).toEqual(["l1", "l2"]);
  });

  it("flags the language that did not change when the other did", () => {
    const before = makeBundle();
    const after = structuredClone(before);
    after.lessons[0]!.sourceHash.ja = "new";
    after.questions[1]!.sourceHash.en = "new";
    expect(staleTranslations(before, after)).toEqual([
      { kind: "lesson", id: "l1", stale: "en" },
      { kind: "question", id: "q2", stale: "ja" },
    ]);
    expect(staleTranslations(null, after)).toEqual([]);
  });

  it("compares JSON regardless of key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe(canonicalJson({ a: { c: [3, { e: 0, f: 1 }], d: 2 }, b: 1 }));
  });
});

describe("stale translation warnings", () => {
  it("point at the file of the language that did not change", async () => {
    const { staleTranslationProblems } = await import("~/content/diff");
    const bundle = makeBundle();
    const problems = staleTranslationProblems(
      [
        { kind: "lesson", id: "l1", stale: "ja" },
        { kind: "question", id: "q1", stale: "en" },
      ],
      bundle,
      7,
    );
    expect(problems.map((p) => [p.severity, p.code, p.file])).toEqual([
      ["warning", "stale-translation", "courses/c1/l1.ja.mdx"],
      ["warning", "stale-translation", "courses/c1/questions.yaml"],
    ]);
    expect(problems[0]!.message).toBe("Lesson l1: the English version changed since release #7, the Japanese one did not");
  });
});

describe("the minimum reading time", () => {
  it("is a quarter of the lesson's minutes, at least 20 s and at most 3 min", async () => {
    const { minimumReadingSeconds, readingCheck } = await import("~/learning/reading");
    expect(minimumReadingSeconds(6)).toBe(90);
    expect(minimumReadingSeconds(1)).toBe(20);
    expect(minimumReadingSeconds(60)).toBe(180);
    const shownAt = new Date("2026-11-30T00:00:00Z");
    expect(readingCheck(6, shownAt, new Date(shownAt.getTime() + 89_999))).toEqual({ ok: false, readableAt: new Date(shownAt.getTime() + 90_000) });
    expect(readingCheck(6, shownAt, new Date(shownAt.getTime() + 90_000))).toEqual({ ok: true });
  });

  it("can be scaled down for demos and browser tests, never up", async () => {
    const { minimumReadingSeconds } = await import("~/learning/reading");
    expect(minimumReadingSeconds(6, 0.02)).toBe(1.8);
    expect(minimumReadingSeconds(6, 0)).toBe(0);
    expect(minimumReadingSeconds(6, 5)).toBe(90);
  });
});
