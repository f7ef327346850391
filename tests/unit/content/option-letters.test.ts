import { describe, expect, it } from "vitest";
import { optionLetterCitations } from "~/content/option-letters";
import { withFixture } from "./fixture";

describe("explanations that point at options by letter", () => {
  it("finds letters as authors write them in English and Japanese", () => {
    expect(optionLetterCitations("Option d is wrong because (a) and (c) say otherwise.")).toEqual(["Option d", "(a)", "(c)"]);
    expect(optionLetterCitations("Options b, c and d all skip the check.")).toEqual(["Options b, c and d"]);
    expect(optionLetterCitations("（b）は誤りです。選択肢cも同様です。")).toEqual(["（b）", "選択肢c"]);
  });

  it("leaves ordinary text alone", () => {
    expect(optionLetterCitations("Check (with a colleague) a draft of plan A, as in the example (e.g. a memo).")).toEqual([]);
    expect(optionLetterCitations("生成AI（ChatGPTなど）の出力は下書きです。")).toEqual([]);
  });

  it("is refused by content:check, at the explanation, in both languages", async () => {
    const result = await withFixture((f) =>
      f.replace(
        "courses/intro/questions.yaml",
        'explanation: { en: "It predicts the next word.", ja: "次の言葉を予測しています。" }',
        'explanation: { en: "(b) is right: it predicts the next word.", ja: "（b）のとおり、次の言葉を予測しています。" }',
      ),
    );
    const problems = result.withCode("option-letter");
    expect(problems).toHaveLength(2);
    expect(problems[0]!.line).toBe(result.lineOf("courses/intro/questions.yaml", "(b) is right"));
    expect(result.bundle).toBeNull();
  });
});
