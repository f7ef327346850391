import type { ContentBundle, Lesson, MdxNode, Question } from "~/content/types";

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
