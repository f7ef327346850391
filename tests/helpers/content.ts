import type { ContentBundle, Lesson, MdxNode, Question, Tool, Track } from "~/content/types";

const text = (value: string): MdxNode => ({ type: "text", value });
const p = (...children: MdxNode[]): MdxNode => ({ type: "element", name: "p", props: {}, children });
const kc = (id: string): MdxNode => ({ type: "element", name: "KnowledgeCheck", props: { id }, children: [] });

export function lesson(id: string, courseId: string, position: number, checks: string[] = [], hash = "1"): Lesson {
  return {
    id,
    courseId,
    position,
    title: { en: `Lesson ${id}`, ja: `レッスン ${id}` },
    summary: { en: "A lesson.", ja: "レッスンです。" },
    minutes: 5,
    body: { en: [p(text(`Body of ${id}.`)), ...checks.map(kc)], ja: [p(text(`${id}の本文です。`)), ...checks.map(kc)] },
    knowledgeChecks: checks,
    sourceHash: { en: `en-${id}-${hash}`, ja: `ja-${id}-${hash}` },
    files: { en: `courses/${courseId}/${id}.en.mdx`, ja: `courses/${courseId}/${id}.ja.mdx` },
  };
}

export function question(id: string, courseId: string, lessonId: string, answer = ["b"], use: Question["use"] = "practice"): Question {
  return {
    id,
    courseId,
    use,
    domain: "d1",
    lesson: lessonId,
    type: answer.length > 1 ? "multiple" : "single",
    stem: { en: `Question ${id}?`, ja: `問題 ${id}？` },
    options: ["a", "b", "c", "d"].map((o) => ({ id: o, text: { en: `Option ${o}`, ja: `選択肢 ${o}` } })),
    answer,
    explanation: { en: "Because b.", ja: "bだからです。" },
    hint: use === "practice" ? { en: "Read the lesson's first section again.", ja: "レッスンの最初の節を読み直しましょう。" } : null,
    sourceHash: { en: `en-${id}`, ja: `ja-${id}` },
  };
}

/** A small valid bundle: one course "c1" with lessons l1 (one check, q1) and l2 (no checks). */
export function makeBundle(overrides: Partial<ContentBundle> = {}): ContentBundle {
  return {
    domains: [{ id: "d1", name: { en: "Domain", ja: "分野" } }],
    glossary: [],
    courses: [{ id: "c1", title: { en: "Course", ja: "コース" }, summary: { en: "S", ja: "概要" }, lessons: ["l1", "l2"] }],
    lessons: [lesson("l1", "c1", 0, ["q1"]), lesson("l2", "c1", 1)],
    questions: [question("q1", "c1", "l1"), question("q2", "c1", "l1", ["a", "c"])],
    tracks: [],
    tools: [],
    ...overrides,
  };
}

/**
 * An exam item: option ids carry the question id ("x1-a" … "x1-d") and the explanation names it, so a
 * test can search any response for this question's key or explanation without false hits.
 */
export function examItem(id: string, domain: string, opts: { lessonId?: string; answer?: string[]; type?: Question["type"] } = {}): Question {
  const type = opts.type ?? (opts.answer && opts.answer.length > 1 ? "multiple" : "single");
  return {
    id,
    courseId: "c1",
    use: "exam",
    domain,
    lesson: opts.lessonId ?? (domain === "d2" ? "l2" : "l1"),
    type,
    stem: { en: `Exam question ${id}?`, ja: `試験問題 ${id}？` },
    options: type === "truefalse" ? [] : ["a", "b", "c", "d"].map((o) => ({ id: `${id}-${o}`, text: { en: `Choice ${o} of ${id}`, ja: `${id}の選択肢${o}` } })),
    answer: type === "truefalse" ? (opts.answer ?? ["true"]) : (opts.answer ?? [`${id}-b`]),
    explanation: { en: `Explanation of ${id} (secret-en).`, ja: `${id}の解説（秘密）です。` },
    hint: null,
    sourceHash: { en: `en-${id}`, ja: `ja-${id}` },
  };
}

/**
 * `makeBundle` plus a track "t1" over course c1 with an exam: 3 questions of domain d1 and 2 of d2
 * drawn from a bank of 4 + 3 (one true/false), 70% to pass and at least 50% in d2, 2 attempts,
 * a 24-hour retake wait, 20 minutes.
 */
export function examBundle(overrides: Partial<ContentBundle> = {}): ContentBundle {
  const base = makeBundle();
  return {
    ...base,
    domains: [
      { id: "d1", name: { en: "Domain one", ja: "分野1" } },
      { id: "d2", name: { en: "Domain two", ja: "分野2" } },
    ],
    questions: [
      ...base.questions,
      examItem("x1", "d1"),
      examItem("x2", "d1"),
      examItem("x3", "d1", { answer: ["x3-a", "x3-c"] }),
      examItem("x4", "d1"),
      examItem("y1", "d2"),
      examItem("y2", "d2", { type: "truefalse", answer: ["false"] }),
      examItem("y3", "d2"),
    ],
    tracks: [
      {
        id: "t1",
        title: { en: "Test track", ja: "テスト認定" },
        summary: { en: "A track for tests.", ja: "テスト用の認定です。" },
        courses: ["c1"],
        exam: {
          timeLimitMinutes: 20,
          passPercent: 70,
          minimums: [{ domains: ["d2"], percent: 50 }],
          attempts: 2,
          retakeWaitHours: 24,
          blueprint: [
            { domain: "d1", count: 3 },
            { domain: "d2", count: 2 },
          ],
        },
        validityMonths: 12,
        recertificationWindowDays: 30,
      },
    ],
    ...overrides,
  };
}

/** The tracks and tools the access tests decide with: AI Safe Use (12 months, a 60-day window) and a practitioner track. */
const accessExam = { timeLimitMinutes: 20, passPercent: 80, minimums: [], attempts: 3, retakeWaitHours: 24, blueprint: [{ domain: "d1", count: 1 }] };
export const safeUseTrack: Track = {
  id: "t-safe",
  title: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
  summary: { en: "Safe use.", ja: "安全な利用です。" },
  courses: ["c1"],
  exam: accessExam,
  validityMonths: 12,
  recertificationWindowDays: 60,
};
export const practitionerTrack: Track = { ...safeUseTrack, id: "t-prac", title: { en: "Practitioner", ja: "実践者" }, validityMonths: 24 };

/** A catalog tool requiring these tracks (names "Tool <id>" / "ツール <id>" unless given). */
export function catalogTool(id: string, requiredTracks: string[], name?: { en: string; ja: string }): Tool {
  return {
    id,
    name: name ?? { en: `Tool ${id}`, ja: `ツール ${id}` },
    vendor: { en: "In-house", ja: "自社運用" },
    description: { en: "A tool.", ja: "ツールです。" },
    dataClass: "internal",
    requiredTracks,
    guidance: null,
  };
}
