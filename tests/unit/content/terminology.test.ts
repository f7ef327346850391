import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  compileTerminology,
  findVariants,
  lessonVariants,
  positionAt,
  terminologyFileSchema,
  type TerminologyConcept,
} from "~/content/terminology";
import { withFixture } from "./fixture";

const CONCEPTS: TerminologyConcept[] = [
  { id: "legal", preferred: { ja: "法務部門" }, avoid: { ja: ["法務部"] } },
  { id: "eu-ai-act", preferred: { ja: "欧州AI法", en: "EU AI Act" }, avoid: { ja: ["EUのAI法"], en: ["European AI Act"] } },
  { id: "computer", preferred: { ja: "コンピューター" }, avoid: { ja: ["コンピュータ"] }, allow: { ja: ["第五世代コンピュータ"] } },
  { id: "filter", preferred: { ja: "フィルター" }, avoid: { ja: ["フィルタ"] } },
  { id: "parameter", preferred: { ja: "パラメーター" }, avoid: { ja: ["パラメータ"] } },
  { id: "catalogue", preferred: { en: "catalogue" }, avoid: { en: ["catalog"] } },
  { id: "email", preferred: { en: "email" }, avoid: { en: ["e-mail"] } },
  { id: "memory", preferred: { ja: "メモリ" }, avoid: { ja: ["メモリー"] } },
];
const terminology = compileTerminology(CONCEPTS);
const found = (text: string, lang: "en" | "ja") => findVariants(text, lang, terminology).map((h) => [h.found, h.index, h.preferred]);

describe("the terminology matcher", () => {
  it("finds a Japanese variant and names the preferred term", () => {
    expect(found("迷ったら法務部に相談します。", "ja")).toEqual([["法務部", 4, "法務部門"]]);
  });

  it("does not match a variant inside the longer preferred term", () => {
    expect(found("迷ったら法務部門に相談します。", "ja")).toEqual([]);
    expect(found("コンピューターが計算します。", "ja")).toEqual([]);
  });

  it("still finds the variant next to a preferred term in the same text", () => {
    expect(found("法務部門と法務部", "ja")).toEqual([["法務部", 5, "法務部門"]]);
  });

  it("does not match inside an allowed phrase, but does elsewhere", () => {
    expect(found("第五世代コンピュータの計画と、コンピュータの速さ", "ja")).toEqual([["コンピュータ", 15, "コンピューター"]]);
  });

  it("matches a katakana variant only where the katakana word ends", () => {
    expect(found("迷惑メールフィルタを使う。フィルタリングとは別。", "ja")).toEqual([["フィルタ", 5, "フィルター"]]);
    expect(found("ハイパーパラメータ数", "ja")).toEqual([["パラメータ", 4, "パラメーター"]]);
  });

  it("finds a variant that is the preferred term plus a long vowel mark", () => {
    expect(found("メモリーが足りない。メモリは十分。", "ja")).toEqual([["メモリー", 0, "メモリ"]]);
  });

  it("matches English variants as whole words in any case, keeping the spelling found", () => {
    const text = "Check the Catalog. The catalogue is fine; catalogs are not matched by catalog.";
    expect(found(text, "en")).toEqual([
      ["Catalog", 10, "catalogue"],
      ["catalog", text.lastIndexOf("catalog"), "catalogue"],
    ]);
    expect(found("Send an E-mail, not an email.", "en")).toEqual([["E-mail", 8, "email"]]);
  });

  it("reports several hits in order of appearance", () => {
    expect(found("EUのAI法と法務部", "ja").map(([f]) => f)).toEqual(["EUのAI法", "法務部"]);
  });

  it("looks only at the reader's words of a lesson, with line and column", () => {
    const source = "---\ntitle: x\n---\n\n`法務部` は法務部へ\n";
    const start = source.indexOf("は");
    const hits = lessonVariants(source, [{ start, end: source.length - 1 }], "ja", terminology);
    expect(hits.map((h) => [h.found, h.line, h.column])).toEqual([["法務部", 5, 8]]);
  });

  it("counts lines and columns from 1", () => {
    expect(positionAt("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});

describe("the terminology file", () => {
  it("rejects a concept that avoids a variant without naming the preferred term", () => {
    const result = terminologyFileSchema.safeParse({ concepts: [{ id: "x", preferred: { en: "email" }, avoid: { ja: ["メール"] } }] });
    expect(result.success).toBe(false);
  });

  it("rejects a concept that avoids its own preferred term", () => {
    const result = terminologyFileSchema.safeParse({ concepts: [{ id: "x", preferred: { en: "email" }, avoid: { en: ["email"] } }] });
    expect(result.success).toBe(false);
  });

  it("ships a valid content/terminology.yaml whose katakana rule is applied both ways", async () => {
    const raw = parse(await readFile(path.resolve("content/terminology.yaml"), "utf8")) as unknown;
    const file = terminologyFileSchema.parse(raw);
    const shipped = compileTerminology(file.concepts);
    expect(findVariants("コンピュータとサーバとフォルダ", "ja", shipped).map((h) => h.preferred)).toEqual(["コンピューター", "サーバー", "フォルダー"]);
    expect(findVariants("コンピューターとサーバーとメモリとカテゴリ", "ja", shipped)).toEqual([]);
    expect(findVariants("知識のカットオフとEUのAI法と訓練データ", "ja", shipped).map((h) => h.preferred)).toEqual(["ナレッジカットオフ", "欧州AI法", "学習データ"]);
  });
});

describe("content:check and terminology.yaml", () => {
  const WHAT_JA = "courses/intro/01-what.ja.mdx";
  const BANK = "courses/intro/questions.yaml";
  const TERMS = ["concepts:", "  - id: lm", "    preferred: { ja: 言語モデル, en: language model }", "    avoid: { ja: [言語の模型], en: [word model] }", ""].join("\n");

  it("warns at every variant in lessons and banks with file, line and column, but not in code", async () => {
    const result = await withFixture(async (f) => {
      await f.write("terminology.yaml", TERMS);
      await f.replace(WHAT_JA, "もっともらしい続きを", "言語の模型は `言語の模型` もっともらしい続きを");
      await f.replace(WHAT_JA, 'title="覚えておきましょう"', 'title="言語の模型について"');
      await f.replace(BANK, '"How does a language model write?"', '"How does a word model write?"');
    });
    const hits = result.withCode("terminology");
    expect(hits.map((p) => [p.severity, p.file, p.line, p.column])).toEqual([
      ["warning", WHAT_JA, result.lineOf(WHAT_JA, "言語の模型は"), 1],
      ["warning", WHAT_JA, result.lineOf(WHAT_JA, 'title="言語の模型'), result.columnOf(WHAT_JA, "言語の模型について")],
      ["warning", BANK, result.lineOf(BANK, "word model"), result.columnOf(BANK, "word model")],
    ]);
    expect(hits[0]!.message).toContain('write "言語モデル"');
    expect(result.bundle).not.toBeNull();
  });

  it("reports a malformed terminology file as an error", async () => {
    const result = await withFixture((f) => f.write("terminology.yaml", "concepts:\n  - id: lm\n    preferred: { ja: 言語モデル }\n"));
    expect(result.problems.map((p) => [p.severity, p.code, p.file])).toEqual([["error", "schema", "terminology.yaml"]]);
  });
});
