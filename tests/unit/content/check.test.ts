import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkContent } from "~/content/load.server";
import type { MdxNode, Problem } from "~/content/types";
import { VALID_FIXTURE, withFixture, type FixtureResult } from "./fixture";
import { shippedContent } from "../../helpers/shipped-content";

const COURSE = "courses/intro/course.yaml";
const BANK = "courses/intro/questions.yaml";
const WHAT_EN = "courses/intro/01-what.en.mdx";
const WHAT_JA = "courses/intro/01-what.ja.mdx";
const SAFE_EN = "courses/intro/02-safe.en.mdx";
const SAFE_JA = "courses/intro/02-safe.ja.mdx";
const TRACK = "tracks/starter.yaml";
const TOOL = "tools/chat.yaml";

/** Expects an error with this code in this file, on this line, and no bundle. */
function expectError(result: FixtureResult, code: string, file: string, line: number): Problem {
  const found = result.problems.find((p) => p.code === code && p.file === file && p.line === line);
  expect(found, `expected ${code} at ${file}:${line}, got:\n${listProblems(result.problems)}`).toBeDefined();
  expect(found!.severity).toBe("error");
  expect(found!.hint.length).toBeGreaterThan(0);
  expect(result.bundle).toBeNull();
  return found!;
}

function listProblems(problems: Problem[]) {
  return problems.map((p) => `  ${p.file}:${p.line}:${p.column} ${p.severity} [${p.code}] ${p.message}`).join("\n");
}

function hasWbr(nodes: MdxNode[]): boolean {
  return nodes.some((n) => n.type === "element" && (n.name === "wbr" || hasWbr(n.children)));
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe("the valid fixture", () => {
  it("passes with zero problems and produces the expected bundle", async () => {
    const result = await withFixture();
    expect(result.problems).toEqual([]);
    const bundle = result.bundle!;
    expect(bundle.domains.map((d) => d.id)).toEqual(["basics", "safety"]);
    expect(bundle.glossary.map((t) => t.id)).toEqual(["llm", "hallucination"]);
    expect(bundle.courses).toEqual([
      { id: "intro", title: { en: "Introduction", ja: "はじめに" }, summary: expect.any(Object), lessons: ["intro-what", "intro-safe"] },
    ]);
    expect(bundle.lessons.map((l) => [l.id, l.courseId, l.position, l.minutes])).toEqual([
      ["intro-what", "intro", 0, 6], // 5 in English, 6 in Japanese: the larger
      ["intro-safe", "intro", 1, 7],
    ]);
    const [what] = bundle.lessons;
    expect(what!.title).toEqual({ en: "What a language model is", ja: "言語モデルとは" });
    expect(what!.knowledgeChecks).toEqual(["in-001", "in-002"]);
    expect(what!.files).toEqual({ en: WHAT_EN, ja: WHAT_JA });
    expect(what!.sourceHash.en).toBe(sha256(await readFile(path.join(VALID_FIXTURE, WHAT_EN))));
    expect(what!.sourceHash.ja).toBe(sha256(await readFile(path.join(VALID_FIXTURE, WHAT_JA))));
    expect(hasWbr(what!.body.ja)).toBe(true);
    expect(hasWbr(what!.body.en)).toBe(false);

    expect(bundle.questions.map((q) => [q.id, q.use, q.type, q.answer, q.options.length])).toEqual([
      ["in-001", "practice", "single", ["b"], 3],
      ["in-002", "practice", "truefalse", ["false"], 0],
      ["in-003", "practice", "multiple", ["a", "c"], 4],
      ["in-004", "exam", "truefalse", ["true"], 0],
      ["in-005", "exam", "single", ["b"], 3], // use left out: exam
      ["in-006", "exam", "single", ["a"], 3],
      ["in-007", "exam", "truefalse", ["false"], 0],
      ["in-008", "exam", "truefalse", ["true"], 0],
      ["in-009", "exam", "truefalse", ["true"], 0],
    ]);
    expect(bundle.questions[0]!.hint).toEqual({ en: "Reread how it writes.", ja: "文章の書き方をもう一度読みましょう。" });
    expect(bundle.questions[1]!.hint).toBeNull();
    for (const q of bundle.questions) {
      expect(q.sourceHash.en).toMatch(/^[0-9a-f]{64}$/);
      expect(q.sourceHash.ja).toMatch(/^[0-9a-f]{64}$/);
      expect(q.sourceHash.en).not.toBe(q.sourceHash.ja);
    }
    expect(bundle.tracks).toEqual([
      expect.objectContaining({
        id: "starter",
        courses: ["intro"],
        exam: {
          timeLimitMinutes: 10,
          passPercent: 80,
          minimums: [{ domains: ["safety"], percent: 50 }],
          attempts: 3,
          retakeWaitHours: 24,
          blueprint: [
            { domain: "basics", count: 1 },
            { domain: "safety", count: 1 },
          ],
        },
        validityMonths: 12,
        recertificationWindowDays: 30,
      }),
    ]);
    expect(bundle.tools).toEqual([
      expect.objectContaining({
        id: "chat",
        dataClass: "internal",
        requiredTracks: ["starter"],
        guidance: { en: "Never enter passwords.", ja: "パスワードは入力しないでください。" },
      }),
    ]);
  });

  it("changes a question's hash only in the language whose words changed", async () => {
    const before = (await withFixture()).bundle!.questions[0]!;
    const after = (await withFixture((f) => f.replace(BANK, "データベースで事実を調べる。", "データベースを検索する。"))).bundle!
      .questions[0]!;
    expect(after.sourceHash.en).toBe(before.sourceHash.en);
    expect(after.sourceHash.ja).not.toBe(before.sourceHash.ja);
  });

  it("treats exam minimums as optional", async () => {
    const result = await withFixture((f) => f.replace(TRACK, "  minimums:\n    - domains: [safety]\n      percent: 50\n", ""));
    expect(result.problems).toEqual([]);
    expect(result.bundle!.tracks[0]!.exam.minimums).toEqual([]);
  });
});

describe("schema errors", () => {
  it("reports a title without its Japanese text at the title's line", async () => {
    const result = await withFixture((f) =>
      f.replace(COURSE, 'title: { en: "Introduction", ja: "はじめに" }', 'title: { en: "Introduction" }'),
    );
    const problem = expectError(result, "schema", COURSE, 2);
    expect(problem.message).toContain("title.ja");
  });

  it("reports an unknown key at the key itself", async () => {
    const result = await withFixture((f) => f.replace(TOOL, "dataClass: internal", "dataClass: internal\ndataclas: public"));
    expectError(result, "schema", TOOL, result.lineOf(TOOL, "dataclas:"));
  });

  it("reports a value outside its enum at the value", async () => {
    const result = await withFixture((f) => f.replace(TOOL, "dataClass: internal", "dataClass: secret"));
    expectError(result, "schema", TOOL, result.lineOf(TOOL, "dataClass"));
  });

  it("reports a pass mark outside 1–100", async () => {
    const result = await withFixture((f) => f.replace(TRACK, "passPercent: 80", "passPercent: 120"));
    expectError(result, "schema", TRACK, result.lineOf(TRACK, "passPercent"));
  });

  it("reports lesson frontmatter with minutes out of range at the frontmatter line", async () => {
    const result = await withFixture((f) => f.replace(SAFE_EN, "minutes: 7", "minutes: 0"));
    expectError(result, "schema", SAFE_EN, 4);
  });

  it("reports a multiple-choice answer with fewer than two ids", async () => {
    const result = await withFixture((f) => f.replace(BANK, "answer: [a, c]", "answer: [a]"));
    expectError(result, "schema", BANK, result.lineOf(BANK, "answer: [a]"));
  });

  it("reports invalid YAML at its line", async () => {
    const result = await withFixture((f) =>
      f.replace(
        "glossary.yaml",
        '  - id: hallucination\n    term: { en: "Hallucination", ja: "ハルシネーション" }',
        '  - id: hallucination\n    term: { en: "Hallucination", ja: "ハルシネーション"',
      ),
    );
    const problem = result.withCode("yaml-syntax")[0];
    expect(problem?.file).toBe("glossary.yaml");
    expect(problem?.line).toBeGreaterThanOrEqual(result.lineOf("glossary.yaml", "Hallucination"));
    expect(result.bundle).toBeNull();
  });
});

describe("lessons", () => {
  it("reports a lesson present in one language only", async () => {
    const result = await withFixture((f) => f.remove(SAFE_JA));
    const problem = expectError(result, "missing-translation", SAFE_EN, 1);
    expect(problem.message).toContain("Japanese");
  });

  it("reports a lesson id used twice", async () => {
    const result = await withFixture(async (f) => {
      await f.replace(SAFE_EN, "id: intro-safe", "id: intro-what");
      await f.replace(SAFE_JA, "id: intro-safe", "id: intro-what");
    });
    const problem = expectError(result, "duplicate-id", SAFE_EN, 2);
    expect(problem.message).toContain(WHAT_EN);
  });

  it("reports the two language files of a lesson with different ids", async () => {
    const result = await withFixture((f) => f.replace(SAFE_JA, "id: intro-safe", "id: intro-safe-ja"));
    expectError(result, "translation-mismatch", SAFE_JA, 2);
  });

  it("reports knowledge checks that differ between the languages", async () => {
    const result = await withFixture((f) => f.replace(WHAT_JA, '<KnowledgeCheck id="in-002" />', '<KnowledgeCheck id="in-004" />'));
    expectError(result, "translation-mismatch", WHAT_JA, result.lineOf(WHAT_JA, "in-004"));
  });

  it("reports a course listing a missing lesson", async () => {
    const result = await withFixture((f) => f.replace(COURSE, "  - intro-safe\n", "  - intro-safe\n  - intro-extra\n"));
    expectError(result, "missing-lesson", COURSE, result.lineOf(COURSE, "intro-extra"));
  });

  it("reports a lesson file its course does not list", async () => {
    const result = await withFixture((f) => f.replace(COURSE, "  - intro-safe\n", ""));
    expectError(result, "unlisted-lesson", SAFE_EN, 2);
  });

  it("reports a course whose folder name is not its id", async () => {
    const result = await withFixture((f) => f.replace(COURSE, "id: intro", "id: introduction"));
    expectError(result, "course-folder-mismatch", COURSE, 1);
  });

  it("reports a lesson file with a wrong name", async () => {
    const result = await withFixture(async (f) => f.write("courses/intro/03-extra.de.mdx", "---\nid: x\n---\n"));
    expectError(result, "bad-file-name", "courses/intro/03-extra.de.mdx", 1);
  });

  it("warns, without failing, when the two languages' minutes differ by more than 2", async () => {
    const result = await withFixture((f) => f.replace(SAFE_JA, "minutes: 7", "minutes: 10"));
    expect(result.problems.map((p) => [p.severity, p.code, p.file, p.line])).toEqual([["warning", "minutes-mismatch", SAFE_JA, 4]]);
    expect(result.bundle!.lessons[1]!.minutes).toBe(10);
  });
});

describe("MDX in lessons", () => {
  it("reports an MDX syntax error with its line", async () => {
    const result = await withFixture((f) =>
      f.replace(WHAT_EN, "Fluent is not the same as **true**.\n</Callout>", "Fluent is not the same as **true**."),
    );
    expectError(result, "mdx-syntax", WHAT_EN, result.lineOf(WHAT_EN, "<Callout"));
  });

  it("reports an unknown component", async () => {
    const result = await withFixture((f) => f.replace(WHAT_EN, "## How it writes", '<Quiz id="x" />\n\n## How it writes'));
    expectError(result, "unknown-component", WHAT_EN, result.lineOf(WHAT_EN, "<Quiz"));
  });

  it("reports import, export and expressions", async () => {
    const result = await withFixture((f) =>
      f.replace(WHAT_EN, "## How it writes", 'import Quiz from "./quiz.js"\n\nexport const x = 1\n\nTwo is {1 + 1}.\n\n## How it writes'),
    );
    expectError(result, "mdx-esm", WHAT_EN, result.lineOf(WHAT_EN, "import Quiz"));
    expectError(result, "mdx-esm", WHAT_EN, result.lineOf(WHAT_EN, "export const"));
    expectError(result, "mdx-expression", WHAT_EN, result.lineOf(WHAT_EN, "{1 + 1}"));
  });

  it("reports a KnowledgeCheck whose id is not in the course's bank", async () => {
    const result = await withFixture(async (f) => {
      await f.replace(SAFE_EN, '<KnowledgeCheck id="in-003" />', '<KnowledgeCheck id="in-999" />');
      await f.replace(SAFE_JA, '<KnowledgeCheck id="in-003" />', '<KnowledgeCheck id="in-999" />');
    });
    expectError(result, "unknown-question", SAFE_EN, result.lineOf(SAFE_EN, "in-999"));
    expectError(result, "unknown-question", SAFE_JA, result.lineOf(SAFE_JA, "in-999"));
  });

  it("reports a Term whose id is not in the glossary", async () => {
    const result = await withFixture((f) => f.replace(WHAT_EN, '<Term id="llm">', '<Term id="gpt">'));
    const problem = expectError(result, "unknown-term", WHAT_EN, result.lineOf(WHAT_EN, 'id="gpt"'));
    expect(problem.column).toBe(3);
  });
});

describe("question banks", () => {
  it("reports a question id used twice", async () => {
    const result = await withFixture((f) => f.replace(BANK, "  - id: in-004", "  - id: in-001"));
    expectError(result, "duplicate-id", BANK, result.lineOf(BANK, "id: in-001", 2));
  });

  it("reports a domain that is not in domains.yaml", async () => {
    const result = await withFixture((f) => f.replace(BANK, "  - id: in-006\n    domain: basics", "  - id: in-006\n    domain: ethics"));
    expectError(result, "unknown-domain", BANK, result.lineOf(BANK, "domain: ethics"));
  });

  it("reports a lesson that is not a lesson of the course", async () => {
    const result = await withFixture((f) =>
      f.replace(
        BANK,
        "  - id: in-006\n    domain: basics\n    lesson: intro-what",
        "  - id: in-006\n    domain: basics\n    lesson: intro-other",
      ),
    );
    expectError(result, "unknown-lesson", BANK, result.lineOf(BANK, "lesson: intro-other"));
  });

  it("reports an answer pointing at no option", async () => {
    const result = await withFixture((f) =>
      f.replace(BANK, '    answer: b\n    explanation: { en: "It predicts', '    answer: d\n    explanation: { en: "It predicts'),
    );
    expectError(result, "answer-not-an-option", BANK, result.lineOf(BANK, "answer: d"));
  });

  it("reports one id of a multiple-choice answer pointing at no option", async () => {
    const result = await withFixture((f) => f.replace(BANK, "answer: [a, c]", "answer: [a, e]"));
    const problem = expectError(result, "answer-not-an-option", BANK, result.lineOf(BANK, "answer: [a, e]"));
    expect(problem.column).toBe("    answer: [a, ".length + 1);
  });
});

describe("practice and exam questions", () => {
  it("rejects a KnowledgeCheck naming an exam question, in both languages, at the component", async () => {
    const result = await withFixture((f) => f.replace(BANK, "  - id: in-003\n    use: practice", "  - id: in-003\n    use: exam"));
    const en = expectError(result, "exam-question-in-lesson", SAFE_EN, result.lineOf(SAFE_EN, '<KnowledgeCheck id="in-003" />'));
    expect(en.column).toBe(1);
    expect(en.message).toContain("in-003");
    expectError(result, "exam-question-in-lesson", SAFE_JA, result.lineOf(SAFE_JA, '<KnowledgeCheck id="in-003" />'));
    expect(result.problems.map((p) => p.code)).toEqual(["exam-question-in-lesson", "exam-question-in-lesson"]);
  });

  it("treats a question without use as an exam question, which a lesson may not embed", async () => {
    const result = await withFixture((f) => f.replace(BANK, "  - id: in-002\n    use: practice\n", "  - id: in-002\n"));
    expectError(result, "exam-question-in-lesson", WHAT_EN, result.lineOf(WHAT_EN, '<KnowledgeCheck id="in-002" />'));
    expectError(result, "exam-question-in-lesson", WHAT_JA, result.lineOf(WHAT_JA, '<KnowledgeCheck id="in-002" />'));
  });

  it("rejects use: bogus as a schema error at the value", async () => {
    const result = await withFixture((f) => f.replace(BANK, "  - id: in-004\n    use: exam", "  - id: in-004\n    use: bogus"));
    const problem = expectError(result, "schema", BANK, result.lineOf(BANK, "use: bogus"));
    expect(problem.column).toBe("    use: ".length + 1);
    expect(problem.message).toContain("questions[3] (in-004).use");
    expect(problem.message).toContain(`"bogus" is not one of exam, practice`);
  });

  it("does not count a practice question of a blueprint domain towards its exam questions", async () => {
    // safety holds four questions, but only three exam ones (in-005, in-007, in-009): a draw of 4 is too large.
    const tooLarge = await withFixture((f) => f.replace(TRACK, "{ domain: safety, count: 1 }", "{ domain: safety, count: 4 }"));
    const problem = expectError(tooLarge, "blueprint-too-large", TRACK, tooLarge.lineOf(TRACK, "count: 4"));
    expect(problem.message).toContain("hold only 3 exam questions");

    // Turning the exam questions in-005 and in-009 into practice leaves one exam question for a draw of 1.
    const repeats = await withFixture(async (f) => {
      await f.replace(BANK, "  - id: in-005\n    domain: safety", "  - id: in-005\n    use: practice\n    domain: safety");
      await f.replace(BANK, "  - id: in-009\n    domain: safety", "  - id: in-009\n    use: practice\n    domain: safety");
    });
    expect(repeats.problems.map((p) => [p.code, p.file, p.line])).toEqual([
      ["blueprint-repeats", TRACK, repeats.lineOf(TRACK, "domain: safety, count: 1")],
    ]);
    expect(repeats.problems[0]!.message).toContain("from only 1 exam questions");
    expect(repeats.bundle).toBeNull();
  });

  it("counts exam questions of every course the track names, and only those", async () => {
    // A second course with three more basics exam questions lets the starter track draw 2 of basics
    // from 6 (three times the draw).
    const result = await withFixture(async (f) => {
      await f.replace(TRACK, "{ domain: basics, count: 1 }", "{ domain: basics, count: 2 }");
      await f.replace(TRACK, "courses: [intro]", "courses: [intro, extra]");
      await f.write("courses/extra/course.yaml", EXTRA_COURSE);
      await f.write("courses/extra/01-extra.en.mdx", EXTRA_LESSON("Extra"));
      await f.write("courses/extra/01-extra.ja.mdx", EXTRA_LESSON("追加"));
      await f.write("courses/extra/questions.yaml", EXTRA_BANK("exam"));
    });
    expect(result.problems).toEqual([]);

    const practiceOnly = await withFixture(async (f) => {
      await f.replace(TRACK, "{ domain: basics, count: 1 }", "{ domain: basics, count: 2 }");
      await f.replace(TRACK, "courses: [intro]", "courses: [intro, extra]");
      await f.write("courses/extra/course.yaml", EXTRA_COURSE);
      await f.write("courses/extra/01-extra.en.mdx", EXTRA_LESSON("Extra"));
      await f.write("courses/extra/01-extra.ja.mdx", EXTRA_LESSON("追加"));
      await f.write("courses/extra/questions.yaml", EXTRA_BANK("practice"));
    });
    expect(practiceOnly.problems.map((p) => p.code)).toEqual(["blueprint-repeats"]);
  });
});

const EXTRA_COURSE = [
  "id: extra",
  'title: { en: "Extra", ja: "追加" }',
  'summary: { en: "More.", ja: "追加の内容です。" }',
  "lessons:",
  "  - extra-one",
  "",
].join("\n");
const EXTRA_LESSON = (title: string) =>
  ["---", "id: extra-one", `title: "${title}"`, "minutes: 5", `summary: "${title}."`, "---", "", "Text.", ""].join("\n");
const EXTRA_BANK = (use: "exam" | "practice") =>
  ["questions:", ...["ex-001", "ex-002", "ex-003"].flatMap((id) => [
    `  - id: ${id}`,
    `    use: ${use}`,
    "    domain: basics",
    "    lesson: extra-one",
    "    type: truefalse",
    '    stem: { en: "True?", ja: "正しいですか。" }',
    "    answer: true",
    '    explanation: { en: "Yes.", ja: "はい。" }',
  ]), ""].join("\n");

describe("tracks and tools", () => {
  it("reports a track naming a missing course", async () => {
    const result = await withFixture((f) => f.replace(TRACK, "courses: [intro]", "courses: [intro, ghost]"));
    expectError(result, "unknown-course", TRACK, result.lineOf(TRACK, "ghost"));
  });

  it("reports a blueprint asking for more questions than the banks hold, saying how many they hold", async () => {
    const result = await withFixture((f) => f.replace(TRACK, "{ domain: safety, count: 1 }", "{ domain: safety, count: 5 }"));
    const problem = expectError(result, "blueprint-too-large", TRACK, result.lineOf(TRACK, "domain: safety, count: 5"));
    expect(problem.message).toContain("hold only 3");
  });

  it("rejects a blueprint domain holding fewer than twice as many exam questions as it draws", async () => {
    // basics holds three exam questions (in-004, in-006, in-008): drawing 2 would repeat most of them on every retake.
    const result = await withFixture((f) => f.replace(TRACK, "{ domain: basics, count: 1 }", "{ domain: basics, count: 2 }"));
    expect(result.problems.map((p) => [p.severity, p.code, p.file, p.line])).toEqual([
      ["error", "blueprint-repeats", TRACK, result.lineOf(TRACK, "count: 2")],
    ]);
    expect(result.problems[0]!.message).toContain("from only 3 exam questions");
    expect(result.problems[0]!.hint).toContain("at least 4 exam questions");
    expect(result.bundle).toBeNull();
  });

  it("warns, without failing, when a domain holds fewer than three times its draw in exam questions", async () => {
    // Turning in-009 into practice leaves safety two exam questions for a draw of 1: two attempts, not three.
    const result = await withFixture((f) =>
      f.replace(BANK, "  - id: in-009\n    domain: safety", "  - id: in-009\n    use: practice\n    domain: safety"),
    );
    expect(result.problems.map((p) => [p.severity, p.code, p.file, p.line])).toEqual([
      ["warning", "exam-pool-thin", TRACK, result.lineOf(TRACK, "domain: safety, count: 1")],
    ]);
    expect(result.problems[0]!.message).toContain("from 2 exam questions");
    expect(result.problems[0]!.hint).toContain("at least 3 exam questions");
    expect(result.bundle).not.toBeNull();
  });

  it("reports a blueprint domain that does not exist", async () => {
    const result = await withFixture((f) => f.replace(TRACK, "{ domain: basics, count: 1 }", "{ domain: basic, count: 1 }"));
    expectError(result, "unknown-domain", TRACK, result.lineOf(TRACK, "domain: basic,"));
  });

  it("reports a minimum over a domain the blueprint does not draw from", async () => {
    const result = await withFixture((f) => f.replace(TRACK, "    - domains: [safety]", "    - domains: [safety, law]"));
    expectError(result, "minimums-domain", TRACK, result.lineOf(TRACK, "[safety, law]"));
  });

  it("reports a tool naming a missing track", async () => {
    const result = await withFixture((f) => f.replace(TOOL, "requiredTracks: [starter]", "requiredTracks: [starter, expert]"));
    expectError(result, "unknown-track", TOOL, result.lineOf(TOOL, "expert"));
  });

  it("reports a track whose file name is not its id", async () => {
    const result = await withFixture((f) => f.replace(TRACK, "id: starter", "id: beginner"));
    expectError(result, "file-name-mismatch", TRACK, 1);
  });
});

describe("reporting", () => {
  it("reports every problem at once, sorted by file and line", async () => {
    const result = await withFixture(async (f) => {
      await f.replace(TOOL, "requiredTracks: [starter]", "requiredTracks: [expert]");
      await f.replace(BANK, "answer: [a, c]", "answer: [a, e]");
      await f.replace(WHAT_EN, '<Term id="llm">', '<Term id="gpt">');
    });
    expect(result.problems.map((p) => p.code)).toEqual(["unknown-term", "answer-not-an-option", "unknown-track"]);
  });

  it("reports a folder that does not exist instead of throwing", async () => {
    const result = await checkContent(path.join(VALID_FIXTURE, "does-not-exist"));
    expect(result.bundle).toBeNull();
    expect(result.problems.map((p) => p.code)).toEqual(["missing-file"]);
  });
});

describe("the shipped curriculum", () => {
  it("has no errors in content/", async () => {
    // The same check, shared with the other files that read the real curriculum (see the helper).
    const result = await shippedContent();
    const errors = result.problems.filter((p) => p.severity === "error");
    expect(errors, listProblems(errors)).toEqual([]);
    expect(result.bundle!.lessons.length).toBeGreaterThan(0);
  }, 30_000);
});
