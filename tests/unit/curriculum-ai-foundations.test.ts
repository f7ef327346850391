import { beforeAll, describe, expect, it } from "vitest";
import type { ContentBundle, Lesson, MdxNode, Question } from "~/content/types";
import { shippedContent } from "../helpers/shipped-content";

// The corrections of issue 12 (points 1–7) for the ai-foundations course and the glossary, checked on
// the real content/. The other two courses are held to the same wording by their own authors.
let bundle: ContentBundle;
let lessons: Lesson[];
let questions: Question[];
beforeAll(async () => {
  const result = await shippedContent();
  if (!result.bundle) throw new Error("content/ does not pass the check");
  bundle = result.bundle;
  lessons = bundle.lessons.filter((l) => l.courseId === "ai-foundations");
  questions = bundle.questions.filter((q) => q.courseId === "ai-foundations");
}, 30_000);

function textOf(nodes: readonly MdxNode[]): string {
  // Joined without separators: Japanese text is stored split into phrase segments for line breaking.
  return nodes.map((n) => (n.type === "text" ? n.value : textOf(n.children))).join("");
}
const lesson = (id: string) => {
  const l = lessons.find((x) => x.id === id);
  if (!l) throw new Error(`no lesson ${id}`);
  return { en: textOf(l.body.en), ja: textOf(l.body.ja) };
};
const question = (id: string) => {
  const q = questions.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};
const term = (id: string) => {
  const t = bundle.glossary.find((x) => x.id === id);
  if (!t) throw new Error(`no glossary term ${id}`);
  return t;
};
/** Every piece of Japanese a learner reads in this course and the glossary, labelled for messages. */
function japaneseTexts(): [string, string][] {
  const out: [string, string][] = [];
  for (const l of lessons) out.push([`${l.id} body`, textOf(l.body.ja)], [`${l.id} title`, l.title.ja], [`${l.id} summary`, l.summary.ja]);
  for (const q of questions) {
    out.push([`${q.id} stem`, q.stem.ja], [`${q.id} explanation`, q.explanation.ja]);
    if (q.hint) out.push([`${q.id} hint`, q.hint.ja]);
    for (const o of q.options) out.push([`${q.id} option ${o.id}`, o.text.ja]);
  }
  for (const t of bundle.glossary) out.push([`glossary ${t.id}`, `${t.term.ja} ${t.definition.ja}`]);
  return out;
}

describe("ai-foundations and the glossary after issue 12", () => {
  it("never address the reader as 「あなた」 in Japanese", () => {
    const offenders = japaneseTexts().filter(([, text]) => text.includes("あなた")).map(([where]) => where);
    expect(offenders).toEqual([]);
  });

  it("shows no Markdown emphasis marks as text (「**…**」 next to Japanese punctuation does not render as bold)", () => {
    const offenders = lessons.flatMap((l) => (["en", "ja"] as const).filter((lang) => textOf(l.body[lang]).includes("**")).map((lang) => `${l.id} ${lang}`));
    expect(offenders).toEqual([]);
  });

  it("never refer to options by letter in explanations or hints, since learners see no letters", () => {
    const letter = /\([a-e]\)|（[a-eａ-ｅ]）|\b[Oo]ptions? \(?[a-e]\b|選択肢\s*[a-eａ-ｅA-E]/;
    const offenders = questions.flatMap((q) =>
      [q.explanation.en, q.explanation.ja, q.hint?.en ?? "", q.hint?.ja ?? ""].some((t) => letter.test(t)) ? [q.id] : [],
    );
    expect(offenders).toEqual([]);
  });

  it("names the three data classes 公開・社外秘・極秘 / Public, Internal, Confidential and never 「社内区分」", () => {
    const classes = term("data-classification").definition;
    for (const name of ["「公開」", "「社外秘」", "「極秘」"]) expect(classes.ja).toContain(name);
    for (const name of ["Public", "Internal", "Confidential"]) expect(classes.en).toContain(name);
    const offenders = japaneseTexts().filter(([, text]) => /社内区分|機密区分|「社内」|「機密」/.test(text)).map(([w]) => w);
    expect(offenders).toEqual([]);
  });

  it("puts colleagues' names and work contacts in ordinary records in Internal, other personal data in Confidential", () => {
    const classes = term("data-classification").definition;
    expect(classes.en).toMatch(/Internal \([^)]*colleagues' names and work contact details/);
    expect(classes.ja).toMatch(/「社外秘」（[^）]*社員の氏名や業務用の連絡先/);
    const law = lesson("af-law-ethics");
    expect(law.en).toMatch(/colleagues' names and work contact details[^.]*count as Internal; all other personal data[^.]*is Confidential/);
    expect(law.ja).toMatch(/社員の氏名や業務用の連絡先は「社外秘」、[^。]*それ以外の個人情報は「極秘」/);
  });

  it("teaches EU AI Act article 4 as the amended effort duty, dated, and drops 'sufficient AI literacy'", () => {
    const law = lesson("af-law-ethics");
    expect(law.en).toContain("As of November 2026, Article 4 asks");
    expect(law.en).toContain("take measures to support the development of AI literacy");
    expect(law.ja).toContain("2026年11月時点で、第4条は");
    expect(law.ja).toContain("AIリテラシーの向上を支援する措置を講じる");
    for (const date of ["2 December 2027", "2 August 2028"]) expect(law.en).toContain(date);
    for (const date of ["2027年12月2日", "2028年8月2日"]) expect(law.ja).toContain(date);

    const af241 = question("af-241");
    const key = af241.options.find((o) => af241.answer.includes(o.id))!;
    expect(key.text.en).toMatch(/^Measures to support/);
    expect(key.text.ja).toContain("支援する措置");
    const stale = [
      law.en, law.ja, af241.explanation.en, af241.explanation.ja, term("eu-ai-act").definition.en, term("eu-ai-act").definition.ja,
      ...af241.options.flatMap((o) => [o.text.en, o.text.ja]),
    ].filter((t) => /sufficient (level of )?AI literacy|十分なAIリテラシー/.test(t));
    expect(stale).toEqual([]);
  });

  it("names AI Guidelines for Business version 1.2 of 31 March 2026 as current in the lesson, the glossary, af-243 and af-248", () => {
    const law = lesson("af-law-ethics");
    expect(law.en).toContain("version 1.2 (31 March 2026) is the current version");
    expect(law.ja).toContain("最新なのは第1.2版（2026年3月31日）");
    const guidelines = term("ai-guidelines-for-business").definition;
    expect(guidelines.en).toContain("version 1.2 of 31 March 2026");
    expect(guidelines.ja).toContain("第1.2版");
    for (const id of ["af-243", "af-248"]) {
      const q = question(id);
      expect(`${q.stem.en} ${q.explanation.en}`, id).toMatch(/version 1\.2/);
      expect(`${q.stem.ja} ${q.explanation.ja}`, id).toContain("第1.2版");
    }
  });

  it("explains entrustment, providers abroad, special care-required data and breach reports to the PPC", () => {
    const law = lesson("af-law-ethics");
    for (const words of ["Article 27(5)(i)", "Article 25", "Article 28", "Special care-required personal information", "60 days for unauthorised access"]) {
      expect(law.en).toContain(words);
    }
    for (const words of ["第27条第5項第1号", "第25条", "第28条", "要配慮個人情報", "すぐに報告する"]) expect(law.ja).toContain(words);
    expect(law.en).not.toMatch(/Articles 27–28/);
  });

  it("teaches presumed reliance, creative contribution and the limits of article 30-4", () => {
    const law = lesson("af-law-ethics");
    expect(law.en).toContain("Reliance can be presumed when the work was in the model's training data");
    expect(law.en).toContain("creative contribution");
    expect(law.en).toMatch(/does not cover training whose purpose includes enjoying the works/);
    expect(law.ja).toContain("依拠性があると推認される");
    expect(law.ja).toContain("創作的寄与");
    expect(term("similarity-reliance").definition.en).toContain("reliance can be presumed");
    expect(term("article-30-4").definition.en).toContain("fine-tuning or RAG meant to reproduce them");
  });

  it("says today's AI is weak AI and not AGI, and that RAG reduces rather than removes errors", () => {
    const intro = lesson("af-what-is-ai");
    expect(intro.en).not.toMatch(/weak, narrow AI/);
    expect(intro.ja).not.toContain("弱いAI・特化型AI");
    const af011 = question("af-011");
    const keys = af011.options.filter((o) => af011.answer.includes(o.id));
    expect(keys.some((o) => o.text.en.includes("none of it is AGI"))).toBe(true);

    const apps = lesson("af-applications");
    expect(apps.en).not.toContain("based on current company sources");
    expect(apps.en).toContain("This reduces hallucinations but does not remove them");
    expect(apps.ja).toContain("ハルシネーションは減りますが、なくなるわけではありません");
  });

  it("tells Dennett's frame-problem example with its three robots in both languages", () => {
    const intro = lesson("af-what-is-ai");
    for (const robot of ["R1", "R1D1", "R2D1"]) {
      expect(intro.en).toContain(robot);
      expect(intro.ja).toContain(robot);
    }
  });
});
