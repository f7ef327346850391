import { createRemixStub } from "@remix-run/testing";
import { createInstance } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MdxNode } from "~/content/types";
import { i18nConfig } from "~/i18n/config";
import fs from "node:fs";
import path from "node:path";
import { compileLesson } from "~/content/mdx-compile";
import { BREAK, compactTree, parseTree, serializeTree, type CompactNode } from "~/mdx/compact";
import { COMPONENT_NAMES, COMPONENT_SPECS, safeComponentProps } from "~/mdx/allowlist";
import { COMPONENTS } from "~/mdx/components";
import { LessonBody } from "~/mdx/lesson-body";
import { LessonProvider, type LessonContextValue } from "~/mdx/lesson-context";

const i18n = createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ ...i18nConfig, lng: "en" });
});

const text = (value: string): MdxNode => ({ type: "text", value });
const el = (name: string, props: Record<string, string>, ...children: MdxNode[]): MdxNode => ({
  type: "element",
  name,
  props,
  children,
});

const context: LessonContextValue = {
  questions: { q1: { id: "q1", type: "single", stem: "Which one?", options: [{ id: "a", text: "This" }, { id: "b", text: "That" }] } },
  terms: { llm: { id: "llm", term: "Large language model", definition: "A model that predicts text." } },
  answeredCorrectly: [],
  answerAction: "/learn/c/l",
};

/** Renders a lesson inside a Remix route (the knowledge check uses a fetcher and the root's CSRF token). */
function render(nodes: MdxNode[], options: { anchors?: boolean; context?: LessonContextValue } = {}): string {
  return renderSource(serializeTree(nodes), options);
}

/** Renders a stored tree as given: what an older release or a tampered database row may hold. */
function renderSource(source: string, options: { anchors?: boolean; context?: LessonContextValue } = {}): string {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => ({ csrfToken: "t" }),
      Component: () => (
        <LessonProvider value={options.context ?? context}>
          <LessonBody source={source} anchors={options.anchors} />
        </LessonProvider>
      ),
    },
  ]);
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <Stub hydrationData={{ loaderData: { root: { csrfToken: "t" } } }} />
    </I18nextProvider>,
  );
}

describe("the compact lesson tree", () => {
  it("keeps text and elements and carries <wbr> inside text", () => {
    const tree = [el("p", {}, text("AIツールに"), el("wbr", {}), text("入力した"), el("strong", {}, text("文章")))];
    expect(compactTree(tree)).toEqual([["p", 0, `AIツールに${BREAK}入力した`, ["strong", 0, "文章"]]]);
    expect(parseTree(serializeTree(tree))).toEqual(compactTree(tree));
  });
});

describe("the lesson renderer", () => {
  it("renders Markdown elements and turns phrase breaks into <wbr>", () => {
    const html = render([
      el("h2", {}, text("見出し")),
      el("p", {}, text("前半"), el("wbr", {}), text("後半")),
      el("ul", {}, el("li", {}, text("one"))),
    ]);
    expect(html).toContain("<h2>見出し</h2>");
    expect(html).toContain("<p>前半<wbr/>後半</p>");
    expect(html).toContain("<ul><li>one</li></ul>");
  });

  it("opens https links in a new tab and drops any other link target", () => {
    const html = render([
      el("p", {}, el("a", { href: "https://example.com/x" }, text("safe"))),
      el("p", {}, el("a", { href: "javascript:alert(1)" }, text("bad"))),
      el("p", {}, el("a", { href: "//evil.example.com" }, text("bad2"))),
    ]);
    expect(html).toContain('<a href="https://example.com/x" target="_blank" rel="noopener noreferrer">safe</a>');
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("evil.example.com");
  });

  it("renders nothing for an element or prop outside the allowlist", () => {
    const html = render([
      el("script", {}, text("alert(1)")),
      el("p", { onclick: "alert(1)", style: "color:red" }, text("plain")),
      el("iframe", { src: "https://example.com" }),
    ]);
    expect(html).not.toMatch(/script|iframe|onclick|style=/);
    expect(html).toContain("<p>plain</p>");
  });

  it("maps component names to the allowlisted components", () => {
    const html = render([
      el("Callout", { type: "warning", title: "Careful" }, el("p", {}, text("Body"))),
      el("p", {}, text("An "), el("Term", { id: "llm" }, text("LLM")), text(" writes.")),
      el("KnowledgeCheck", { id: "q1" }),
      el("DoDont", {}, el("Do", {}, text("Yes")), el("Dont", {}, text("No"))),
      el("Example", { kind: "bad" }, el("Prompt", {}, text("Vague prompt"))),
    ]);
    expect(html).toContain("Careful");
    expect(html).toMatch(/<button[^>]*aria-describedby="[^"]+"[^>]*>LLM<\/button>/);
    expect(html).toContain('role="tooltip"');
    expect(html).toContain("A model that predicts text.");
    expect(html).toContain("Which one?");
    expect(html).toContain('type="radio"');
    expect(html).toContain("Check my answer");
    expect(html).toContain("Risky example");
    expect(html).toContain("Vague prompt");
    expect(html).toMatch(/Do<\/p>.*Yes/s);
  });

  it("gives headings section ids by position, rendered only on a one-lesson page and never any other id", () => {
    const tree = [el("h2", {}, text("First")), el("Callout", { type: "info" }, el("h3", {}, text("Inside"))), el("h2", {}, text("Second"))];
    expect(render(tree, { anchors: true })).toMatch(
      /<h2 id="section-1" data-section="">First<\/h2>.*<h3 id="section-2" data-section="">Inside<\/h3>.*<h2 id="section-3" data-section="">Second<\/h2>/s,
    );
    expect(render(tree)).not.toContain("section-");
    const tampered = JSON.stringify([["h2", { id: "main" }, "x"], ["p", { id: "section-1" }, "y"]]);
    expect(renderSource(tampered, { anchors: true })).toBe("<div class=\"lesson-body\"><h2>x</h2><p>y</p></div>");
  });

  it("numbers the headings of every shipped lesson the same way in English and Japanese", () => {
    const root = path.resolve("content/courses");
    const headings = (nodes: CompactNode[]): string[] =>
      nodes.flatMap((n) => (typeof n === "string" ? [] : [...(/^h[2-4]$/.test(n[0]) && n[1] ? [`${n[0]}#${n[1].id}`] : []), ...headings(n.slice(2) as CompactNode[])]));
    let lessons = 0;
    for (const course of fs.readdirSync(root)) {
      for (const file of fs.readdirSync(path.join(root, course)).filter((f) => f.endsWith(".en.mdx"))) {
        const compiled = (lang: "en" | "ja") => {
          const name = file.replace(".en.mdx", `.${lang}.mdx`);
          return compactTree(compileLesson(fs.readFileSync(path.join(root, course, name), "utf8"), { file: name, lang }).tree);
        };
        const en = headings(compiled("en"));
        expect(en.length, file).toBeGreaterThan(0);
        expect(headings(compiled("ja")), file).toEqual(en);
        lessons += 1;
      }
    }
    expect(lessons).toBeGreaterThan(10);
  }, 60_000);

  it("shows a knowledge check's and a glossary pop-up's phrase breaks as <wbr>, the same on every render", () => {
    const ja: LessonContextValue = {
      ...context,
      questions: { q1: { id: "q1", type: "single", stem: `どれを${BREAK}選びますか`, options: [{ id: "a", text: `社内規程を${BREAK}検索する` }] } },
      terms: { llm: { id: "llm", term: "大規模言語モデル", definition: `次の${BREAK}言葉を${BREAK}予測します。` } },
    };
    const tree = [el("p", {}, el("Term", { id: "llm" }, text("LLM"))), el("KnowledgeCheck", { id: "q1" })];
    const html = render(tree, { context: ja });
    expect(html).toContain("どれを<wbr/>選びますか");
    expect(html).toContain("社内規程を<wbr/>検索する");
    expect(html).toContain("次の<wbr/>言葉を<wbr/>予測します。");
    expect(html).not.toContain(BREAK);
    expect(render(tree, { context: ja })).toBe(html);
  });

  it("never sends an answer key: the check shows only stem and options", () => {
    const html = render([el("KnowledgeCheck", { id: "q1" })]);
    expect(html).toContain("Which one?");
    expect(html).not.toMatch(/correct|explanation/i);
  });
});

describe("a stored tree that was tampered with", () => {
  const components = COMPONENTS as unknown as Record<string, unknown>;
  const originals = { ...components };
  afterEach(() => Object.assign(components, originals));

  /** Replaces a component with a spy that records the props it is given. */
  function spyOn(name: string): Record<string, unknown>[] {
    const received: Record<string, unknown>[] = [];
    components[name] = (props: Record<string, unknown>) => {
      received.push(props);
      return null;
    };
    return received;
  }

  const SMUGGLED = {
    dangerouslySetInnerHTML: { __html: "<img src=x onerror=alert(1)>" },
    style: { background: "url(javascript:alert(1))" },
    onClick: "alert(1)",
    onMouseOver: "alert(1)",
    className: "fixed inset-0",
    href: "javascript:alert(1)",
    children: "smuggled",
    ref: "r",
  };

  it("passes each component only its declared props", () => {
    const callouts = spyOn("Callout");
    const checks = spyOn("KnowledgeCheck");
    renderSource(
      JSON.stringify([
        ["Callout", { type: "warning", title: "Careful", ...SMUGGLED }, ["p", 0, "Body"]],
        ["KnowledgeCheck", { id: "q1", ...SMUGGLED, uid: "smuggled" }],
      ]),
    );
    expect(callouts).toHaveLength(1);
    // …and the renderer's own `uid` (the node's place in the tree, for ids), never one from the tree.
    expect(Object.keys(callouts[0]!).sort()).toEqual(["children", "title", "type", "uid"]);
    expect(callouts[0]).toMatchObject({ type: "warning", title: "Careful", uid: "lb-n.0" });
    expect(checks).toEqual([{ id: "q1", uid: "lb-n.1" }]);
  });

  it("drops a declared prop whose value the compiler would refuse, and a component missing a required one", () => {
    const callouts = spyOn("Callout");
    renderSource(
      JSON.stringify([
        ["Callout", { type: "info", title: { __html: "<b>x</b>" } }, "kept"],
        ["Callout", { type: "javascript:alert(1)" }, "dropped"],
        ["Callout", 0, "dropped"],
        ["Callout", ["type", "info"], "dropped"],
      ]),
    );
    expect(callouts.map((p) => [p.type, p.title])).toEqual([["info", undefined]]);
  });

  it.each([
    ["javascript:alert(1)"],
    ["JaVaScRiPt:alert(1)"],
    ["data:image/svg+xml,<svg onload=alert(1)>"],
    ["//evil.example/x.png"],
    ["https://evil.example/x.png"],
    ["/content/x.svg\u0000"],
    [" /content/x.svg"],
  ])("renders no figure for the src %s, re-checked with the compiler's rule", (src) => {
    const html = renderSource(JSON.stringify([["Figure", { src, alt: "A chart" }], ["p", 0, "after"]]));
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<figure");
    expect(html).toContain("<p>after</p>");
  });

  it("has the Figure component itself refuse a src that fails the rule, wherever it is rendered from", () => {
    const { Figure } = originals as unknown as typeof COMPONENTS;
    expect(renderToStaticMarkup(<Figure src="javascript:alert(1)" alt="x" />)).toBe("");
    expect(renderToStaticMarkup(<Figure src={5} alt="x" />)).toBe("");
    expect(renderToStaticMarkup(<Figure src="/content/a.svg" alt="x" />)).toContain('src="/content/a.svg"');
  });

  it("still renders a figure whose src is on this site", () => {
    const html = renderSource(JSON.stringify([["Figure", { src: "/content/intro/check.svg", alt: "A chart", caption: "Look" }]]));
    expect(html).toContain('<img src="/content/intro/check.svg" alt="A chart"');
    expect(html).toContain("<figcaption");
  });

  it("skips malformed nodes and names that are not own entries of the allowlists", () => {
    const source = JSON.stringify([
      null,
      5,
      { name: "p" },
      [],
      [7, 0],
      ["constructor", 0, "a"],
      ["__proto__", 0, "b"],
      ["toString", {}, "c"],
      ["hasOwnProperty", 0],
      ["p", [1, 2], "ok"],
      ["p", 0, ["a", { href: { toString: "javascript:alert(1)" }, title: ["x"] }, "link text"]],
      ["p", 0, ["Term", { id: "constructor" }, "a word"]],
    ]);
    let html = "";
    expect(() => (html = renderSource(source))).not.toThrow();
    expect(html).toContain("<p>ok</p>");
    expect(html).toContain("<p><a>link text</a></p>");
    expect(html).toContain("<p>a word</p>"); // a Term whose id is no own glossary entry is plain text
    expect(html).not.toMatch(/constructor|__proto__|toString|hasOwnProperty|javascript/);
  });
});

describe("the component allowlist", () => {
  it("names the same components for the compiler and the renderer", () => {
    expect(Object.keys(COMPONENTS).sort()).toEqual([...COMPONENT_NAMES].sort());
  });

  it("keeps only declared props that pass their checks", () => {
    expect(safeComponentProps("Figure", { src: "/a.svg", alt: "A", caption: "", onError: "x", ...SMUGGLED_PLAIN })).toEqual({
      src: "/a.svg",
      alt: "A",
    });
    expect(safeComponentProps("Figure", { src: "javascript:alert(1)", alt: "A" })).toBeNull();
    expect(safeComponentProps("Example", { kind: "good", title: 3 })).toEqual({ kind: "good" });
    expect(safeComponentProps("Steps", { style: "x" })).toEqual({});
    expect(safeComponentProps("Script", {})).toBeNull();
    expect(safeComponentProps("constructor", {})).toBeNull();
    for (const [name, spec] of Object.entries(COMPONENT_SPECS)) {
      for (const prop of Object.keys(spec.props)) expect(prop, name).not.toMatch(/^on|^style$|^dangerously|^class/i);
    }
  });
});

const SMUGGLED_PLAIN = { style: "color:red", dangerouslySetInnerHTML: "x", className: "x" };
