import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { compileLesson } from "~/content/mdx-compile";
import { phraseBoundaries, withPhraseBreaks } from "~/content/phrase-breaks";
import type { MdxNode } from "~/content/types";
import { BREAK, compactTree } from "~/mdx/compact";

/** Words the issue saw split across lines (検/索し, 繰り/返して, 間/違える, 影/響). */
const WORDS = ["検索", "繰り返して", "間違える", "影響"];

/** Every place a word occurs in the text with breaks, and whether a break falls inside it. */
function splitWords(withBreaks: string): string[] {
  const plain = withBreaks.replaceAll(BREAK, "");
  const broken: string[] = [];
  for (const word of WORDS) {
    let from = 0;
    for (let at = plain.indexOf(word, from); at >= 0; at = plain.indexOf(word, from)) {
      // The break positions inside the word, counted in the plain text.
      let plainIndex = 0;
      let inside = false;
      for (const ch of withBreaks) {
        if (ch === BREAK) {
          if (plainIndex > at && plainIndex < at + word.length) inside = true;
          continue;
        }
        plainIndex += 1;
      }
      if (inside) broken.push(`${word} in ${withBreaks.replaceAll(BREAK, "|")}`);
      from = at + word.length;
    }
  }
  return broken;
}

describe("Japanese phrase breaks for knowledge checks, pop-ups, tables and headings", () => {
  it("breaks between phrases and keeps the text otherwise unchanged", () => {
    const text = "社内規程を検索して、関連箇所を質問と一緒にLLMへ渡す";
    const out = withPhraseBreaks(text);
    expect(out.replaceAll(BREAK, "")).toBe(text);
    expect(out.split(BREAK).length).toBeGreaterThanOrEqual(4);
    expect(out.split(BREAK)[0]).toBe("社内規程を");
  });

  it.each([
    "間違える",
    "読み間違える",
    "間違える例",
    "よく間違える点",
    "計算を間違えると大きな影響があります",
    "検索し、関連箇所を質問と一緒に渡す",
    "同じ質問を繰り返して確認する",
    "影響",
    "人への影響を評価する",
    "社内規程を検索して、間違えないように繰り返して確認し、影響を調べる",
  ])("never splits 検索, 繰り返して, 間違える or 影響: %s", (text) => {
    expect(splitWords(withPhraseBreaks(text))).toEqual([]);
  });

  it("never splits those words anywhere in the real question banks and glossary", () => {
    const strings: string[] = [];
    const collect = (value: unknown, key = ""): void => {
      if (typeof value === "string" && key === "ja") strings.push(value);
      else if (Array.isArray(value)) value.forEach((v) => collect(v));
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) collect(v, k);
    };
    const root = path.resolve("content");
    for (const course of fs.readdirSync(path.join(root, "courses"))) {
      collect(YAML.parse(fs.readFileSync(path.join(root, "courses", course, "questions.yaml"), "utf8")));
    }
    collect(YAML.parse(fs.readFileSync(path.join(root, "glossary.yaml"), "utf8")));
    const containing = strings.filter((s) => WORDS.some((w) => s.includes(w)));
    expect(containing.length).toBeGreaterThan(5);
    expect(containing.flatMap((s) => splitWords(withPhraseBreaks(s)))).toEqual([]);
  }, 30_000);

  it("never breaks inside a run of kanji, katakana or Latin letters", () => {
    const text = "個人情報保護法とGDPRの違いをマルチモーダルなモデルで調べる";
    const out = withPhraseBreaks(text);
    for (const at of phraseBoundaries(text)) {
      const pair = text.slice(at - 1, at + 1);
      expect(pair, out).not.toMatch(/^(?:[\u4e00-\u9fff]{2}|[\u30a1-\u30fa\u30fc-\u30ff]{2}|[A-Za-z0-9]{2})$/);
    }
  });

  it("never puts a break before 、。）」 (the line would start with them)", () => {
    const out = withPhraseBreaks("「機密」の区分（社外秘）は、迷ったら高いほうとして扱います。そのうえで、上長に確認します。");
    expect(out).not.toMatch(new RegExp(`${BREAK}[、。）」]`));
  });

  it("leaves English alone and is idempotent", () => {
    expect(withPhraseBreaks("Check the confidential data class first.")).toBe("Check the confidential data class first.");
    const once = withPhraseBreaks("同じ質問を繰り返して確認する");
    expect(withPhraseBreaks(once)).toBe(once);
  });

  it("gives lesson headings and table cells the same breaks when compiled", () => {
    const source = [
      "---",
      "id: sample",
      'title: "見本"',
      "minutes: 5",
      'summary: "見本です。"',
      "---",
      "",
      "## 社内規程を検索して間違えないように確かめる",
      "",
      "| 場面 | 影響 |",
      "| --- | --- |",
      "| 読み間違える | 繰り返して確認する |",
      "",
    ].join("\n");
    const result = compileLesson(source, { file: "courses/c/01-sample.ja.mdx", lang: "ja" });
    expect(result.problems.filter((p) => p.severity === "error")).toEqual([]);
    const texts: string[] = [];
    const walk = (nodes: ReturnType<typeof compactTree>): void => {
      for (const node of nodes) {
        if (typeof node === "string") texts.push(node);
        else walk(node.slice(2) as ReturnType<typeof compactTree>);
      }
    };
    walk(compactTree(result.tree as MdxNode[]));
    expect(texts.join("\n")).toContain(BREAK);
    expect(texts.flatMap(splitWords)).toEqual([]);
  });
});
