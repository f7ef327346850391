import { beforeAll, describe, expect, it } from "vitest";
import type { ContentBundle, MdxNode } from "~/content/types";
import { shippedContent } from "../helpers/shipped-content";

// The curriculum Manabi ships with: the promises of its issue, checked on the real content/.
let bundle: ContentBundle;
let warnings: string[];
beforeAll(async () => {
  const result = await shippedContent();
  if (!result.bundle) throw new Error("content/ does not pass the check");
  bundle = result.bundle;
  warnings = result.problems.filter((p) => p.severity === "warning").map((p) => `${p.file}:${p.line} ${p.message}`);
}, 30_000);

// Exam banks only: practice questions (knowledge checks in lessons) are never drawn by a blueprint.
const examQuestions = (id: string) => bundle.questions.filter((q) => q.courseId === id && q.use === "exam");
function has(nodes: readonly MdxNode[], name: string): boolean {
  return nodes.some((n) => n.type === "element" && (n.name === name || has(n.children, name)));
}

describe("the shipped curriculum", () => {
  it("passes the check without warnings", () => {
    expect(warnings).toEqual([]);
  });

  it("has the three courses with 4, 5 and at least 10 lessons of 5–10 minutes", () => {
    const lessons = (id: string) => bundle.courses.find((c) => c.id === id)?.lessons.length;
    expect(lessons("genai-basics")).toBe(4);
    // Issue 12 point 12: department scenarios, insider information, trade secrets, portraits, agents and connectors.
    expect(lessons("safe-use")).toBe(7);
    // Issue 12 point 13: the whole G検定 2024 syllabus, about twelve lessons (eight technical ones, the rest law and ethics).
    expect(lessons("ai-foundations")).toBeGreaterThanOrEqual(10);
    for (const l of bundle.lessons) {
      expect(l.minutes, l.id).toBeGreaterThanOrEqual(5);
      expect(l.minutes, l.id).toBeLessThanOrEqual(10);
    }
  });

  it("gives every lesson, in both languages, a knowledge check and glossary terms", () => {
    for (const l of bundle.lessons) {
      for (const lang of ["en", "ja"] as const) {
        expect(has(l.body[lang], "KnowledgeCheck"), `${l.id} ${lang}`).toBe(true);
        expect(has(l.body[lang], "Term"), `${l.id} ${lang}`).toBe(true);
      }
    }
  });

  it("shows risky next to safe prompts in the prompting and safety lessons", () => {
    const prompting = bundle.lessons.filter((l) => l.id === "genai-prompting" || l.courseId === "safe-use");
    for (const l of prompting) {
      expect(has(l.body.en, "Example") || has(l.body.en, "DoDont"), l.id).toBe(true);
      expect(has(l.body.ja, "Example") || has(l.body.ja, "DoDont"), l.id).toBe(true);
    }
  });

  // Issue 12 point 12: safe-use teaches, in both languages, and examines the topics that department work brings.
  it("teaches and examines insider information, trade secrets, portrait rights and AI agents in safe-use", () => {
    const flat = (nodes: readonly MdxNode[]): string =>
      nodes.map((n) => (n.type === "text" ? n.value : `${Object.values(n.props).join(" ")} ${flat(n.children)}`)).join(" ");
    const safeUse = bundle.lessons.filter((l) => l.courseId === "safe-use");
    const ja = safeUse.map((l) => flat(l.body.ja)).join(" ");
    const en = safeUse.map((l) => flat(l.body.en)).join(" ");
    for (const term of ["金融商品取引法", "重要事実", "不正競争防止法", "営業秘密", "秘密管理性", "有用性", "非公知性", "肖像権", "パブリシティ権", "AIエージェント", "コネクター"]) {
      expect(ja, term).toContain(term);
    }
    for (const term of ["Financial Instruments and Exchange Act", "material fact", "Unfair Competition Prevention Act", "trade secret", "portrait right", "publicity right", "least", "connector"]) {
      expect(en.toLowerCase(), term).toContain(term.toLowerCase());
    }
    for (const department of ["Legal", "HR", "Sales and customer service", "PR and IR", "Engineering"]) expect(en, department).toContain(department);
    const exam = examQuestions("safe-use");
    for (const lesson of ["safe-by-department", "safe-agents-connectors"]) {
      expect(exam.filter((q) => q.lesson === lesson).length, lesson).toBeGreaterThanOrEqual(3);
    }
  });

  it("has about 180 exam questions: genai-basics ≥ 30, safe-use ≥ 40, ai-foundations ≥ 110", () => {
    expect(examQuestions("genai-basics").length).toBeGreaterThanOrEqual(30);
    expect(examQuestions("safe-use").length).toBeGreaterThanOrEqual(40);
    expect(examQuestions("ai-foundations").length).toBeGreaterThanOrEqual(110);
  });

  it("holds in each domain at least twice what any blueprint draws from it, so two attempts rarely repeat", () => {
    for (const track of bundle.tracks) {
      const pool = bundle.questions.filter((q) => q.use === "exam" && track.courses.includes(q.courseId));
      for (const { domain, count } of track.exam.blueprint) {
        expect(pool.filter((q) => q.domain === domain).length, `${track.id} ${domain}`).toBeGreaterThanOrEqual(2 * count);
      }
    }
  });

  it("has no 'all of the above' and an explanation in both languages for every question", () => {
    for (const q of bundle.questions) {
      const texts = q.options.flatMap((o) => [o.text.en, o.text.ja]).join(" ");
      expect(texts, q.id).not.toMatch(/all of the above|none of the above|上記すべて|上記のすべて|いずれでもない/i);
      expect(q.explanation.en.length, q.id).toBeGreaterThan(20);
      expect(q.explanation.ja.length, q.id).toBeGreaterThan(10);
    }
  });

  it("defines the two tracks as specified", () => {
    const safe = bundle.tracks.find((t) => t.id === "ai-safe-use")!;
    expect(safe.courses).toEqual(["genai-basics", "safe-use"]);
    expect(safe.exam).toMatchObject({ timeLimitMinutes: 25, passPercent: 80, attempts: 3, retakeWaitHours: 24 });
    expect(safe.exam.blueprint.reduce((n, b) => n + b.count, 0)).toBe(20);
    expect([safe.validityMonths, safe.recertificationWindowDays]).toEqual([12, 60]);

    const practitioner = bundle.tracks.find((t) => t.id === "ai-practitioner")!;
    expect(practitioner.courses).toEqual(["genai-basics", "safe-use", "ai-foundations"]);
    expect(practitioner.exam).toMatchObject({ timeLimitMinutes: 66, passPercent: 70 });
    expect(practitioner.exam.minimums).toEqual([
      { domains: ["law-contracts", "ethics-governance"], percent: 60 },
      { domains: ["confidential-data-code"], percent: 60 },
    ]);
    expect(practitioner.exam.blueprint.reduce((n, b) => n + b.count, 0)).toBe(66);
    expect([practitioner.validityMonths, practitioner.recertificationWindowDays]).toEqual([24, 90]);
  });

  it("has five to seven tools; everyday tools need ai-safe-use, code and confidential-data tools need the practitioner track", () => {
    expect(bundle.tools.length).toBeGreaterThanOrEqual(5);
    expect(bundle.tools.length).toBeLessThanOrEqual(7);
    for (const tool of bundle.tools) {
      expect(tool.requiredTracks, tool.id).toContain("ai-safe-use");
      expect(tool.requiredTracks.includes("ai-practitioner"), tool.id).toBe(tool.dataClass === "confidential");
    }
  });

  it("has a glossary of at least 40 terms in both languages", () => {
    expect(bundle.glossary.length).toBeGreaterThanOrEqual(40);
    for (const t of bundle.glossary) expect(t.definition.ja && t.definition.en, t.id).toBeTruthy();
  });

  it("lists the sources of every lesson in content/SOURCES.md", async () => {
    const fs = await import("node:fs");
    const sources = fs.readFileSync("content/SOURCES.md", "utf8");
    for (const l of bundle.lessons) expect(sources, l.id).toContain(`### ${l.id}`);
  });

  // Issue 12: the exam shows options without letters, Japanese training material does not address the
  // reader as 「あなた」, and the data classes carry one set of names in lessons, questions and tools.
  function japaneseTexts(): { where: string; text: string }[] {
    const flat = (nodes: readonly MdxNode[]): string =>
      nodes.map((n) => (n.type === "text" ? n.value : `${Object.values(n.props).join(" ")} ${flat(n.children)}`)).join(" ");
    return [
      ...bundle.lessons.map((l) => ({ where: l.id, text: `${l.title.ja} ${l.summary.ja} ${flat(l.body.ja)}` })),
      ...bundle.questions.map((q) => ({
        where: q.id,
        text: [q.stem.ja, ...q.options.map((o) => o.text.ja), q.explanation.ja, q.hint?.ja ?? ""].join(" "),
      })),
      ...bundle.tools.map((t) => ({ where: t.id, text: `${t.name.ja} ${t.description.ja} ${t.guidance?.ja ?? ""}` })),
      ...bundle.glossary.map((t) => ({ where: t.id, text: `${t.term.ja} ${t.definition.ja}` })),
    ];
  }

  it("never refers to an option by a letter, which the exam does not show", () => {
    const letter = /[（(][a-eａ-ｅ][)）]|\bOptions? [a-e]\b|\boption [a-e]\b|選択肢\s*[a-eａ-ｅA-E]/;
    for (const q of bundle.questions) {
      for (const text of [q.explanation.en, q.explanation.ja, q.hint?.en ?? "", q.hint?.ja ?? ""]) {
        expect(text, q.id).not.toMatch(letter);
      }
    }
  });

  it("never addresses the reader as 「あなた」 in Japanese", () => {
    for (const { where, text } of japaneseTexts()) expect(text, where).not.toContain("あなた");
  });

  it("names the data classes 公開・社外秘・極秘, never 社内区分 or 機密区分", () => {
    for (const { where, text } of japaneseTexts()) expect(text, where).not.toMatch(/社内区分|機密区分|公開区分/);
  });

  it("has every tool state its data class in the words the lessons use", () => {
    const names = { public: ["Public", "公開"], internal: ["Internal", "社外秘"], confidential: ["Confidential", "極秘"] };
    for (const tool of bundle.tools) {
      const [en, ja] = names[tool.dataClass];
      expect(`${tool.description.en} ${tool.guidance?.en ?? ""}`, tool.id).toContain(en);
      expect(`${tool.description.ja} ${tool.guidance?.ja ?? ""}`, tool.id).toContain(ja);
    }
  });
});
