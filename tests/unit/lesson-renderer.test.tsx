import { createRemixStub } from "@remix-run/testing";
import { createInstance } from "i18next";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { beforeAll, describe, expect, it } from "vitest";
import type { MdxNode } from "~/content/types";
import { i18nConfig } from "~/i18n/config";
import { BREAK, compactTree, parseTree, serializeTree } from "~/mdx/compact";
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
function render(nodes: MdxNode[]): string {
  const source = serializeTree(nodes);
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => ({ csrfToken: "t" }),
      Component: () => (
        <LessonProvider value={context}>
          <LessonBody source={source} />
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

  it("never sends an answer key: the check shows only stem and options", () => {
    const html = render([el("KnowledgeCheck", { id: "q1" })]);
    expect(html).toContain("Which one?");
    expect(html).not.toMatch(/correct|explanation/i);
  });
});
