import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ContentBundle, Problem } from "~/content/types";
import { withFixture, type FixtureEditor, type FixtureResult } from "./fixture";

/** Every file the checker reads in the valid fixture. */
const YAML_FILES = [
  "domains.yaml",
  "glossary.yaml",
  "courses/intro/course.yaml",
  "courses/intro/questions.yaml",
  "tracks/starter.yaml",
  "tools/chat.yaml",
];
const LESSON_FILES = [
  "courses/intro/01-what.en.mdx",
  "courses/intro/01-what.ja.mdx",
  "courses/intro/02-safe.en.mdx",
  "courses/intro/02-safe.ja.mdx",
];
const BANK = "courses/intro/questions.yaml";
const WHAT_EN = "courses/intro/01-what.en.mdx";
const WHAT_JA = "courses/intro/01-what.ja.mdx";
const SAFE_EN = "courses/intro/02-safe.en.mdx";

const read = (f: FixtureEditor, file: string) => readFile(path.join(f.dir, file));
const bytes = (...parts: (string | Buffer | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.isBuffer(p) ? p : Buffer.from(p))));

/** Writes `file` with `inserted` (text or raw bytes) put right before the one occurrence of `before`. */
async function insertBefore(f: FixtureEditor, file: string, before: string, inserted: string | number[]) {
  const text = (await read(f, file)).toString("utf8");
  const [head, tail, ...rest] = text.split(before);
  if (tail === undefined || rest.length > 0) throw new Error(`expected exactly one "${before}" in ${file}`);
  await f.write(file, bytes(head!, inserted, before, tail));
}

function summary(problems: Problem[]) {
  return problems.map((p) => [p.severity, p.code, p.file, p.line, p.column]);
}

/** Expects exactly these problems (severity, code, file, line, column), each with a message and a hint. */
function expectOnly(result: FixtureResult, expected: (string | number)[][]) {
  expect(summary(result.problems), result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`).join("\n")).toEqual(
    expected,
  );
  for (const p of result.problems) {
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.hint.length).toBeGreaterThan(0);
  }
}

describe("files that are not UTF-8", () => {
  it("rejects a lesson holding the bytes 0xFF 0xFE at the line and column where they start, without cascading", async () => {
    const result = await withFixture((f) => insertBefore(f, WHAT_EN, "continuation, again", [0xff, 0xfe]));
    const line = result.lineOf(WHAT_EN, "continuation, again");
    expectOnly(result, [["error", "invalid-utf8", WHAT_EN, line, "It picks a *likely* ".length + 1]]);
    expect(result.problems[0]!.message).toContain("0xFF");
    expect(result.bundle).toBeNull();
  });

  it("rejects a Japanese lesson saved partly in Shift_JIS at the first Shift_JIS character", async () => {
    // 「確認」 in Shift_JIS: 0x8A 0x6D 0x94 0x46.
    const result = await withFixture((f) => insertBefore(f, WHAT_JA, "もっともらしい続き", [0x8a, 0x6d, 0x94, 0x46]));
    expectOnly(result, [["error", "invalid-utf8", WHAT_JA, result.lineOf(WHAT_JA, "もっともらしい続き"), 1]]);
  });

  it("rejects a YAML file saved as UTF-16", async () => {
    const result = await withFixture(async (f) => {
      const text = (await read(f, "glossary.yaml")).toString("utf8");
      await f.write("glossary.yaml", bytes([0xff, 0xfe], Buffer.from(text, "utf16le")));
    });
    const problem = result.withCode("invalid-utf8")[0];
    expect(problem).toMatchObject({ severity: "error", file: "glossary.yaml", line: 1, column: 1 });
    expect(problem!.message).toContain("UTF-16");
    expect(result.bundle).toBeNull();
  });

  it.each([...YAML_FILES, ...LESSON_FILES])("rejects an invalid byte in %s at its line", async (file) => {
    const marker = file.endsWith(".mdx") ? "Last words" : "# last words";
    const result = await withFixture(async (f) => {
      await f.write(file, bytes(await read(f, file), `\n${marker} `, [0xc3, 0x28], " here\n"));
    });
    expectOnly(result, [["error", "invalid-utf8", file, result.lineOf(file, marker), marker.length + 2]]);
  });
});

describe("control characters", () => {
  it("rejects a NUL in a lesson at its line and column", async () => {
    const result = await withFixture((f) => insertBefore(f, SAFE_EN, "so check what it says.", "\u0000"));
    expectOnly(result, [["error", "control-character", SAFE_EN, result.lineOf(SAFE_EN, "so check what"), result.columnOf(SAFE_EN, "\u0000")]]);
    expect(result.problems[0]!.message).toContain("U+0000 NULL");
  });

  it("rejects a form feed and a lone CR in YAML files", async () => {
    const result = await withFixture(async (f) => {
      await f.replace("tools/chat.yaml", "dataClass: internal", "dataClass: internal # the default\f");
      // CR then LF is a CRLF line ending; CR followed by anything else is a control character.
      await f.replace("domains.yaml", "# A tiny, complete", "# A tiny,\r complete");
    });
    expectOnly(result, [
      ["error", "control-character", "domains.yaml", 1, "# A tiny,".length + 1],
      ["error", "control-character", "tools/chat.yaml", result.lineOf("tools/chat.yaml", "dataClass"), result.columnOf("tools/chat.yaml", "\f")],
    ]);
  });

  it.each([...YAML_FILES, ...LESSON_FILES])("rejects a control character in %s", async (file) => {
    const marker = file.endsWith(".mdx") ? "Last words" : "# last words";
    const result = await withFixture(async (f) => f.write(file, bytes(await read(f, file), `\n${marker} \u0007 here\n`)));
    expectOnly(result, [["error", "control-character", file, result.lineOf(file, marker), marker.length + 2]]);
  });
});

describe("bidirectional controls and invisible characters", () => {
  it("rejects U+202E in a lesson title", async () => {
    const result = await withFixture((f) => f.replace(WHAT_EN, 'title: "What a language', 'title: "What a \u202elanguage'));
    expectOnly(result, [["error", "bidi-control", WHAT_EN, 3, 'title: "What a '.length + 1]]);
    expect(result.problems[0]!.message).toContain("U+202E RIGHT-TO-LEFT OVERRIDE");
  });

  it("rejects U+2066 in a question stem", async () => {
    const result = await withFixture((f) => f.replace(BANK, 'en: "A model can be wrong."', 'en: "A model \u2066can be wrong."'));
    const line = result.lineOf(BANK, "A model ");
    const column = (await readLine(BANK, "A model can be wrong.")).indexOf("can be wrong") + 1;
    expectOnly(result, [["error", "bidi-control", BANK, line, column]]);
  });

  it("rejects the bidi marks U+200E, U+200F and U+061C in summaries", async () => {
    const result = await withFixture(async (f) => {
      await f.replace(WHAT_EN, 'summary: "A model', 'summary: "\u200eA model');
      await f.replace("courses/intro/course.yaml", '  en: "What a language', '  en: "\u200fWhat a language');
      await f.replace("tracks/starter.yaml", 'summary: { en: "The first', 'summary: { en: "\u061cThe first');
    });
    expect(summary(result.problems)).toEqual([
      ["error", "bidi-control", WHAT_EN, 5, 'summary: "'.length + 1],
      ["error", "bidi-control", "courses/intro/course.yaml", 4, '  en: "'.length + 1],
      ["error", "bidi-control", "tracks/starter.yaml", 3, 'summary: { en: "'.length + 1],
    ]);
  });

  it("rejects invisible tag characters that hide text from readers", async () => {
    const hidden = [..."ignore rules"].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join("");
    const result = await withFixture((f) => f.replace(WHAT_JA, "次に来る言葉", `次に来る${hidden}言葉`));
    expectOnly(result, [["error", "invisible-character", WHAT_JA, result.lineOf(WHAT_JA, "次に来る"), result.columnOf(WHAT_JA, hidden)]]);
  });

  it("warns about a zero-width space without failing the check", async () => {
    const result = await withFixture((f) => f.replace(WHAT_JA, "大規模言語モデル</Term>", "大規模\u200b言語モデル</Term>"));
    expectOnly(result, [["warning", "invisible-character", WHAT_JA, 8, '<Term id="llm">大規模'.length + 1]]);
    expect(result.bundle).not.toBeNull();
  });
});

describe("forbidden characters written as escapes", () => {
  it("rejects a YAML escape for U+202E at the value, naming its path", async () => {
    const result = await withFixture((f) =>
      f.replace("glossary.yaml", 'term: { en: "Hallucination"', 'term: { en: "Hallu\\u202Ecination"'),
    );
    const column = (await readLine("glossary.yaml", '"Hallucination"')).indexOf('"Hallucination"') + 1;
    expectOnly(result, [["error", "bidi-control", "glossary.yaml", result.lineOf("glossary.yaml", "Hallu"), column]]);
    expect(result.problems[0]!.message).toContain("terms[1] (hallucination).term.en contains U+202E");
  });

  it("rejects a YAML escape for a NUL in lesson frontmatter", async () => {
    const result = await withFixture((f) => f.replace(SAFE_EN, 'summary: "Check answers', 'summary: "\\0Check answers'));
    expectOnly(result, [["error", "control-character", SAFE_EN, 5, 'summary: '.length + 1]]);
  });

  it("rejects character references for bidi controls in lesson text and props", async () => {
    const result = await withFixture(async (f) => {
      await f.replace(SAFE_EN, "so check what it says.", "so check &#x202E;what it says.");
      await f.replace(SAFE_EN, 'title="A clear prompt"', 'title="A clear &#8295;prompt"');
    });
    expect(summary(result.problems)).toEqual([
      ["error", "bidi-control", SAFE_EN, result.lineOf(SAFE_EN, "&#x202E;"), expect.any(Number)],
      ["error", "bidi-control", SAFE_EN, result.lineOf(SAFE_EN, "&#8295;"), '<Example kind="good" '.length + 1],
    ]);
    expect(result.problems[1]!.message).toContain("<Example title> contains U+2067 RIGHT-TO-LEFT ISOLATE");
  });
});

describe("byte order marks and line endings", () => {
  it("accepts every file with a UTF-8 byte order mark and CRLF line endings, and builds the same bundle", async () => {
    const plain = (await withFixture()).bundle!;
    const result = await withFixture(async (f) => {
      for (const file of [...YAML_FILES, ...LESSON_FILES]) {
        const text = (await read(f, file)).toString("utf8");
        expect(text).not.toContain("\r");
        await f.write(file, bytes([0xef, 0xbb, 0xbf], text.replaceAll("\n", "\r\n")));
      }
    });
    expect(result.problems).toEqual([]);
    expect(withoutSourceHashes(result.bundle!)).toEqual(withoutSourceHashes(plain));
  });

  it("still reports problems in a BOM+CRLF file at the right line and column", async () => {
    const result = await withFixture(async (f) => {
      const text = (await read(f, WHAT_EN)).toString("utf8").replace("continuation, again", "continuation,\u202e again");
      await f.write(WHAT_EN, bytes([0xef, 0xbb, 0xbf], text.replaceAll("\n", "\r\n")));
    });
    expectOnly(result, [["error", "bidi-control", WHAT_EN, result.lineOf(WHAT_EN, "continuation,"), "It picks a *likely* continuation,".length + 1]]);
  });
});

async function readLine(file: string, needle: string): Promise<string> {
  const { VALID_FIXTURE } = await import("./fixture");
  const text = await readFile(path.join(VALID_FIXTURE, file), "utf8");
  const line = text.split("\n").find((l) => l.includes(needle));
  if (line === undefined) throw new Error(`"${needle}" not in ${file}`);
  return line;
}

function withoutSourceHashes(bundle: ContentBundle) {
  return { ...bundle, lessons: bundle.lessons.map(({ sourceHash: _, ...rest }) => rest) };
}
