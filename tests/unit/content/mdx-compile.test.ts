import { describe, expect, it } from "vitest";
import { compileLesson, MAX_DEPTH } from "~/content/mdx-compile";
import type { MdxElement, MdxNode } from "~/content/types";

const FRONTMATTER = ["---", "id: sample-lesson", 'title: "Sample"', "minutes: 5", 'summary: "A sample."', "---", ""].join("\n");
/** The line of the body's first line in `lesson(body)`. */
const BODY = 8;

const lesson = (body: string) => `${FRONTMATTER}\n${body}\n`;
const compile = (body: string, lang: "en" | "ja" = "en") => compileLesson(lesson(body), { file: "courses/c/01-sample.en.mdx", lang });

const el = (name: string, props: MdxElement["props"], ...children: MdxNode[]): MdxElement => ({ type: "element", name, props, children });
const t = (value: string): MdxNode => ({ type: "text", value });

function errorsOf(result: ReturnType<typeof compile>) {
  return result.problems.filter((p) => p.severity === "error").map((p) => ({ code: p.code, line: p.line }));
}

/** Compiles the body and expects exactly one error, with this code, on this line of the file. */
function expectRejected(body: string, code: string, line: number) {
  const result = compile(body);
  expect(errorsOf(result)).toEqual([{ code, line }]);
  const problem = result.problems[0]!;
  expect(problem.file).toBe("courses/c/01-sample.en.mdx");
  expect(problem.column).toBeGreaterThanOrEqual(1);
  expect(problem.message.length).toBeGreaterThan(0);
  expect(problem.hint.length).toBeGreaterThan(0);
  return problem;
}

function collect(nodes: MdxNode[], name: string): MdxElement[] {
  const out: MdxElement[] = [];
  for (const node of nodes) {
    if (node.type !== "element") continue;
    if (node.name === name) out.push(node);
    out.push(...collect(node.children, name));
  }
  return out;
}

describe("compiling plain Markdown", () => {
  it("returns the frontmatter and turns Markdown into allowlisted elements", () => {
    const result = compile(
      [
        "Some *emphasis*, **strong**, ~~gone~~ and `code`.",
        "",
        "## Section",
        "",
        "### Subsection",
        "",
        "- one",
        "- two",
        "",
        "3. three",
        "4. four",
        "",
        "> quoted",
        "",
        "---",
        "",
        "Line  ",
        'break and [a link](https://example.com/page "Title") and [home](/learn).',
        "",
        "```python",
        "print(1)",
        "```",
      ].join("\n"),
    );
    expect(result.problems).toEqual([]);
    expect(result.frontmatter).toEqual({ id: "sample-lesson", title: "Sample", minutes: 5, summary: "A sample." });
    expect(result.tree).toEqual([
      el(
        "p",
        {},
        t("Some "),
        el("em", {}, t("emphasis")),
        t(", "),
        el("strong", {}, t("strong")),
        t(", "),
        el("del", {}, t("gone")),
        t(" and "),
        el("code", {}, t("code")),
        t("."),
      ),
      el("h2", {}, t("Section")),
      el("h3", {}, t("Subsection")),
      el("ul", {}, el("li", {}, t("one")), el("li", {}, t("two"))),
      el("ol", { start: 3 }, el("li", {}, t("three")), el("li", {}, t("four"))),
      el("blockquote", {}, el("p", {}, t("quoted"))),
      el("hr", {}),
      el(
        "p",
        {},
        t("Line"),
        el("br", {}),
        t("break and "),
        el("a", { href: "https://example.com/page", title: "Title" }, t("a link")),
        t(" and "),
        el("a", { href: "/learn" }, t("home")),
        t("."),
      ),
      el("pre", {}, el("code", { lang: "python" }, t("print(1)"))),
    ]);
  });

  it("keeps paragraphs in loose list items and unwraps them in tight ones", () => {
    const result = compile("- tight\n- list\n\n* loose\n\n* list");
    expect(result.tree).toEqual([
      el("ul", {}, el("li", {}, t("tight")), el("li", {}, t("list"))),
      el("ul", {}, el("li", {}, el("p", {}, t("loose"))), el("li", {}, el("p", {}, t("list")))),
    ]);
  });

  it("turns a GFM table into table, thead, tbody, tr, th and td with the column alignment", () => {
    const result = compile("| Name | Count |\n| :--- | ---: |\n| a | **1** |");
    expect(result.problems).toEqual([]);
    expect(result.tree).toEqual([
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, el("th", { align: "left" }, t("Name")), el("th", { align: "right" }, t("Count")))),
        el("tbody", {}, el("tr", {}, el("td", { align: "left" }, t("a")), el("td", { align: "right" }, el("strong", {}, t("1"))))),
      ),
    ]);
  });

  it("never evaluates the lesson", () => {
    const global = globalThis as { __lessonRan?: boolean };
    compile("export const x = (globalThis.__lessonRan = true)\n\n{(globalThis.__lessonRan = true)}");
    expect(global.__lessonRan).toBeUndefined();
  });
});

describe("compiling the allowlisted components", () => {
  it("keeps a Callout with its type, title and Markdown content", () => {
    const result = compile('<Callout type="warning" title="Careful">\nNever paste **secrets**.\n</Callout>');
    expect(result.problems).toEqual([]);
    expect(result.tree).toEqual([
      el("Callout", { type: "warning", title: "Careful" }, el("p", {}, t("Never paste "), el("strong", {}, t("secrets")), t("."))),
    ]);
  });

  it("keeps a Term inside its sentence and reports its id", () => {
    const result = compile('A <Term id="llm">language model</Term> predicts words.');
    expect(result.tree).toEqual([el("p", {}, t("A "), el("Term", { id: "llm" }, t("language model")), t(" predicts words."))]);
    expect(result.terms).toEqual(["llm"]);
  });

  it("keeps a Figure with a site-relative src, alt and caption and no children", () => {
    const result = compile('<Figure src="/content/x/diagram.svg" alt="A diagram" caption="How it works" />');
    expect(result.problems).toEqual([]);
    expect(result.tree).toEqual([el("Figure", { src: "/content/x/diagram.svg", alt: "A diagram", caption: "How it works" })]);
  });

  it("keeps Steps holding one numbered list", () => {
    const result = compile("<Steps>\n1. First\n2. Second\n</Steps>");
    expect(result.problems).toEqual([]);
    expect(result.tree).toEqual([el("Steps", {}, el("ol", {}, el("li", {}, t("First")), el("li", {}, t("Second"))))]);
  });

  it("keeps DoDont with one Do and one Dont", () => {
    const result = compile("<DoDont>\n<Do>\nUse placeholders.\n</Do>\n<Dont>\nPaste names.\n</Dont>\n</DoDont>");
    expect(result.problems).toEqual([]);
    expect(result.tree).toEqual([
      el("DoDont", {}, el("Do", {}, el("p", {}, t("Use placeholders."))), el("Dont", {}, el("p", {}, t("Paste names.")))),
    ]);
  });

  it("keeps an Example with its Prompt and optional Response", () => {
    const result = compile(
      '<Example kind="bad" title="Vague">\n<Prompt>\nWrite an email.\n</Prompt>\n<Response>\nDear team …\n</Response>\n</Example>\n\n<Example kind="neutral">\n<Prompt>\nOnly a prompt.\n</Prompt>\n</Example>',
    );
    expect(result.problems).toEqual([]);
    expect(result.tree).toEqual([
      el(
        "Example",
        { kind: "bad", title: "Vague" },
        el("Prompt", {}, el("p", {}, t("Write an email."))),
        el("Response", {}, el("p", {}, t("Dear team …"))),
      ),
      el("Example", { kind: "neutral" }, el("Prompt", {}, el("p", {}, t("Only a prompt.")))),
    ]);
  });

  it("keeps KnowledgeChecks and reports their ids in order of appearance", () => {
    const result = compile('<KnowledgeCheck id="q-002" />\n\nText.\n\n<KnowledgeCheck id="q-001" />');
    expect(result.problems).toEqual([]);
    expect(result.tree[0]).toEqual(el("KnowledgeCheck", { id: "q-002" }));
    expect(result.knowledgeChecks).toEqual(["q-002", "q-001"]);
    expect(result.references.map((r) => [r.kind, r.id, r.line])).toEqual([
      ["KnowledgeCheck", "q-002", BODY],
      ["KnowledgeCheck", "q-001", BODY + 4],
    ]);
  });
});

describe("rejecting MDX that could run code or break the page", () => {
  it("rejects import and export", () => {
    expectRejected('Intro.\n\nimport X from "./x.js"', "mdx-esm", BODY + 2);
    expectRejected("Intro.\n\nexport const meta = 1", "mdx-esm", BODY + 2);
  });

  it("rejects a {…} expression", () => {
    expectRejected("Intro.\n\nTwo is {1+1}.", "mdx-expression", BODY + 2);
  });

  it("rejects a prop given as an expression, and a spread", () => {
    expectRejected('<Callout type="info" title={x}>\nText.\n</Callout>', "mdx-expression", BODY);
    expectRejected('Intro.\n\n<Callout type="info" {...props}>\nText.\n</Callout>', "mdx-expression", BODY + 2);
  });

  it("rejects an unknown component and HTML tags", () => {
    expectRejected("Intro.\n\n<Foo/>", "unknown-component", BODY + 2);
    expectRejected("Intro.\n\n<script>alert(1)</script>", "unknown-component", BODY + 2);
    expectRejected('Intro.\n\n<img src="x.png" onerror="alert(1)" />', "unknown-component", BODY + 2);
  });

  it("rejects raw HTML with an unquoted event handler and HTML comments", () => {
    expectRejected("Intro.\n\n<img src=x onerror=alert(1)>", "mdx-syntax", BODY + 2);
    const comment = expectRejected("Intro.\n\n<!-- a note -->", "mdx-syntax", BODY + 2);
    expect(comment.hint).toMatch(/comment/i);
  });

  it.each([
    ["javascript:", "[click](javascript:alert(1))"],
    ["mixed-case JaVaScRiPt:", "[click](JaVaScRiPt:alert(1))"],
    ["entity-encoded &#106;avascript:", "[click](&#106;avascript:alert(1))"],
    ["tab-split java&#9;script:", "[click](java&#9;script:alert(1))"],
    ["data:", "[click](data:text/html;base64,PHNjcmlwdD4=)"],
    ["vbscript:", "[click](vbscript:msgbox(1))"],
    ["protocol-relative //", "[click](//evil.example/x)"],
    ["http:", "[click](http://example.com)"],
  ])("rejects a %s link", (_label, link) => {
    expectRejected(`Intro.\n\nSee ${link} now.`, "unsafe-url", BODY + 2);
  });

  it("rejects a prop that is not allowed, such as an event handler", () => {
    const problem = expectRejected('<Callout type="info" onClick="steal()">\nText.\n</Callout>', "unknown-prop", BODY);
    expect(problem.message).toContain("onClick");
    expectRejected('<Callout type="info" style="color: red">\nText.\n</Callout>', "unknown-prop", BODY);
  });

  it("rejects a prop value outside its enum and a missing required prop", () => {
    expectRejected('<Callout type="loud">\nText.\n</Callout>', "invalid-prop", BODY);
    expectRejected("<Callout>\nText.\n</Callout>", "missing-prop", BODY);
    expectRejected('<Example kind="great">\n<Prompt>\nP\n</Prompt>\n</Example>', "invalid-prop", BODY);
  });

  it("rejects Do outside DoDont and a DoDont without its Dont", () => {
    expectRejected("Intro.\n\n<Do>\nText.\n</Do>", "component-structure", BODY + 2);
    expectRejected("<DoDont>\n<Do>\nText.\n</Do>\n</DoDont>", "component-structure", BODY);
  });

  it("rejects an Example whose Response comes first, and Steps without a numbered list", () => {
    expectRejected(
      '<Example kind="good">\n<Response>\nR\n</Response>\n<Prompt>\nP\n</Prompt>\n</Example>',
      "component-structure",
      BODY + 4,
    );
    expectRejected("<Steps>\n- not numbered\n</Steps>", "component-structure", BODY);
  });

  it("rejects a flow component inside a sentence", () => {
    expectRejected('Answer this <KnowledgeCheck id="q-1" /> now.', "component-structure", BODY);
  });

  it("rejects a Figure whose src is not on this site", () => {
    expectRejected('<Figure src="https://evil.example/x.png" alt="x" />', "unsafe-url", BODY);
    expectRejected('<Figure src="images/x.png" alt="x" />', "unsafe-url", BODY);
    expectRejected('<Figure src="javascript:alert(1)" alt="x" />', "unsafe-url", BODY);
  });

  it("rejects a # heading and a Markdown image", () => {
    expectRejected("# Title again", "heading-level", BODY);
    expectRejected("Intro.\n\n![chart](/content/chart.png)", "unsupported-markdown", BODY + 2);
  });

  it("reports an MDX syntax error at the line MDX gives", () => {
    const problem = expectRejected('Intro.\n\n<Callout type="info">\nNever closed.', "mdx-syntax", BODY + 2);
    expect(problem.message).toMatch(/closing tag/);
  });

  it("reports frontmatter that is not valid YAML or breaks the schema at its line", () => {
    const yaml = compileLesson("---\nid: x\ntitle: [broken\n---\n\nText.", { file: "f.mdx", lang: "en" });
    expect(yaml.problems.map((p) => [p.code, p.line])).toEqual([["yaml-syntax", 3]]);
    const schema = compileLesson("---\nid: x\ntitle: T\nminutes: 90\nsummary: S\n---\n\nText.", { file: "f.mdx", lang: "en" });
    expect(schema.problems.map((p) => [p.code, p.line])).toEqual([["schema", 4]]);
    const none = compileLesson("Text only.", { file: "f.mdx", lang: "en" });
    expect(none.problems.map((p) => p.code)).toEqual(["missing-frontmatter"]);
  });
});

describe("control, bidi and invisible characters in a lesson", () => {
  it("rejects them written in the file, at their line and column, code blocks included", () => {
    expect(expectRejected("Intro.\n\nA \u202eB.", "bidi-control", BODY + 2).column).toBe(3);
    expect(expectRejected("```\nlet x = 1;\u2067 // hidden\n```", "bidi-control", BODY + 1).column).toBe(11);
    expect(expectRejected("Intro.\u0000", "control-character", BODY).column).toBe(7);
  });

  it("rejects them written as character references, in text, props and link titles", () => {
    expectRejected("Intro &#x202E; reversed.", "bidi-control", BODY);
    expectRejected("Intro &#8294; isolated.", "bidi-control", BODY);
    expectRejected('<Callout type="info" title="A &#x202E; title">\nText.\n</Callout>', "bidi-control", BODY);
    expectRejected('See [the page](https://example.com "Ti&#x200F;tle").', "bidi-control", BODY);
    const problem = expectRejected("Tags &#xE0041;&#xE0042; hide text.", "invisible-character", BODY);
    expect(problem.message).toContain("U+E0041");
  });

  it("keeps ordinary character references, CRLF line endings and emoji", () => {
    const result = compileLesson(lesson("Fish &amp; chips &#x2014; 👩\u200d💻.").replaceAll("\n", "\r\n"), {
      file: "courses/c/01-sample.en.mdx",
      lang: "en",
    });
    expect(result.problems).toEqual([]);
    expect(result.tree).toEqual([el("p", {}, t("Fish & chips — 👩\u200d💻."))]);
  });

  it("does not warn about U+FFFD the decoder put in place of bytes already reported as invalid UTF-8", () => {
    expect(compile("Broken \ufffd text.").problems.map((p) => [p.severity, p.code])).toEqual([["warning", "replacement-character"]]);
    const lossy = compileLesson(lesson("Broken \ufffd text."), { file: "f.mdx", lang: "en", decodedLossily: true });
    expect(lossy.problems).toEqual([]);
  });
});

describe("refusing absurd nesting without crashing", () => {
  it("rejects 5000 nested blockquotes quickly", () => {
    const started = Date.now();
    expectRejected(`${">".repeat(5000)} deep`, "too-deep", BODY);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("rejects 5000 nested components", () => {
    const body = '<Callout type="info">\n'.repeat(5000) + "deep\n" + "</Callout>\n".repeat(5000);
    const result = compile(body);
    expect(errorsOf(result).map((e) => e.code)).toEqual(["too-deep"]);
  });

  it("rejects a 5000-level nested list on one line", () => {
    expectRejected(`${"- ".repeat(5000)}deep`, "too-deep", BODY);
  });

  it("stops walking past the depth limit with one error", () => {
    const levels = MAX_DEPTH + 10;
    const result = compile(`${"*a ".repeat(levels)}x${" a*".repeat(levels)}`);
    expect(errorsOf(result)).toEqual([{ code: "too-deep", line: BODY }]);
  });

  it("turns an unexpected exception into an error instead of throwing", () => {
    const result = compileLesson(undefined as unknown as string, { file: "f.mdx", lang: "en" });
    expect(result.problems.map((p) => [p.severity, p.code, p.line])).toEqual([["error", "compile-failed", 1]]);
    expect(result.tree).toEqual([]);
  });

  it("rejects a lesson larger than the size limit", () => {
    expect(errorsOf(compile("word ".repeat(50_000)))).toEqual([{ code: "too-large", line: 1 }]);
  });
});

describe("Japanese line breaking", () => {
  const japanese = "大規模言語モデルは、次に来る言葉を予測して文章を書きます。";

  it("puts a wbr between BudouX phrases of Japanese text", () => {
    const result = compile(japanese, "ja");
    const paragraph = result.tree[0] as MdxElement;
    const wbrs = collect(result.tree, "wbr");
    expect(wbrs.length).toBeGreaterThanOrEqual(3);
    expect(wbrs[0]).toEqual({ type: "element", name: "wbr", props: {}, children: [] });
    // The text is unchanged, only split.
    const text = paragraph.children.map((n) => (n.type === "text" ? n.value : "")).join("");
    expect(text).toBe(japanese);
    expect(paragraph.children[0]).toEqual(t("大規模言語モデルは、"));
    expect(paragraph.children[1]).toEqual(el("wbr", {}));
  });

  it("puts no wbr inside inline code or code blocks", () => {
    const result = compile(`前の文です。\`${japanese}\`後の文です。\n\n\`\`\`\n${japanese}\n\`\`\``, "ja");
    for (const code of collect(result.tree, "code")) expect(collect(code.children, "wbr")).toEqual([]);
    expect(collect(result.tree, "code")).toHaveLength(2);
    expect(collect(result.tree, "wbr").length).toBeGreaterThan(0);
  });

  it("puts no wbr into English lessons", () => {
    expect(collect(compile(japanese, "en").tree, "wbr")).toEqual([]);
  });

  it("joins a line break between two Japanese characters instead of showing a space", () => {
    const result = compile("日本語の文章を\n途中で改行します。", "ja");
    const text = (result.tree[0] as MdxElement).children.map((n) => (n.type === "text" ? n.value : "")).join("");
    expect(text).toBe("日本語の文章を途中で改行します。");
  });
});

describe("emphasis next to Japanese punctuation", () => {
  const strongs = (nodes: MdxNode[]): string[] =>
    nodes.flatMap((n) => (n.type === "element" ? (n.name === "strong" ? [n.children.map((c) => (c.type === "text" ? c.value : "")).join("")] : strongs(n.children)) : []));

  it("renders **「…」** as bold, as Japanese authors write it", () => {
    const result = compile("判断に迷ったときのルールは、**「迷ったら高いほうの区分として扱う」**です。", "ja");
    expect(errorsOf(result)).toEqual([]);
    expect(strongs(result.tree)).toEqual(["「迷ったら高いほうの区分として扱う」"]);
    expect(JSON.stringify(result.tree)).not.toContain("**");
  });

  it("refuses emphasis markers that would show as text, at their line", () => {
    expectRejected("Reading on.\n\nThis is **not closed.", "unrendered-emphasis", BODY + 2);
    expectRejected("A stray * asterisk.", "unrendered-emphasis", BODY);
    expectRejected("Snake __case here.", "unrendered-emphasis", BODY);
  });

  it("leaves asterisks inside code alone", () => {
    expect(errorsOf(compile("Multiply with `a * b`."))).toEqual([]);
  });
});
