import { createElement, Fragment, type ReactNode } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { BREAK, parseTree, SECTION_ID, type CompactNode } from "./compact";
import { safeComponentProps, type ComponentName } from "./allowlist";
import { COMPONENTS } from "./components";
import { LessonProvider, useLesson } from "./lesson-context";
import { useBodyHtmlCache } from "./prerendered";

/** HTML elements a compiled lesson may contain, with the props each may carry. */
const ELEMENTS: Record<string, readonly string[]> = {
  p: [], h2: ["id"], h3: ["id"], h4: ["id"], em: [], strong: [], del: [], code: [], pre: [], blockquote: [],
  ul: [], ol: ["start"], li: [], hr: [], br: [], a: ["href", "title"],
  table: [], thead: [], tbody: [], tr: [], th: ["align"], td: ["align"],
};

const ALIGN: Record<string, string> = { left: "text-left", center: "text-center", right: "text-right" };

function safeHref(href: unknown): string | undefined {
  if (typeof href !== "string") return undefined;
  // mailto: and tel: come from organisation.yaml (an <Org> contact), checked by its schema.
  return /^(https:\/\/|\/(?!\/)|#|mailto:[^\s@]+@[^\s@]+$|tel:\+?[0-9][0-9 -]*$)/.test(href) ? href : undefined;
}

/** Text with phrase-break points becomes text and <wbr> elements. */
function renderText(text: string, key: string): ReactNode {
  if (!text.includes(BREAK)) return text;
  const parts = text.split(BREAK);
  return createElement(
    Fragment,
    { key },
    parts.flatMap((part, i) => (i === 0 ? [part] : [createElement("wbr", { key: i }), part])),
  );
}

type RenderOptions = { anchors: boolean; idPrefix: string };

function renderNodes(nodes: readonly CompactNode[], keyPrefix: string, options: RenderOptions, start = 0): ReactNode[] {
  const out: ReactNode[] = [];
  for (let i = start; i < nodes.length; i++) out.push(renderNode(nodes[i]!, `${keyPrefix}.${i}`, options));
  return out;
}

/**
 * One node of a stored tree. The tree is data from the database, trusted no more than the compiler
 * would: anything malformed, any element or component outside the allowlists and any undeclared or
 * invalid prop is left out (a component missing a required prop is not rendered).
 */
function renderNode(node: CompactNode, key: string, options: RenderOptions): ReactNode {
  if (typeof node === "string") return renderText(node, key);
  if (!Array.isArray(node) || typeof node[0] !== "string") return null;
  const [name, rawProps] = node;
  const children = node.length > 2 ? renderNodes(node as unknown as CompactNode[], key, options, 2) : undefined;
  if (Object.hasOwn(COMPONENTS, name)) {
    const props = safeComponentProps(name, rawProps);
    if (!props) return null;
    // `uid`: the node's place in the tree, the same on the server and in the browser (unlike useId, also
    // when the server renders the body apart from the page), for the ids a component gives its parts.
    return createElement(COMPONENTS[name as ComponentName] as (p: Record<string, unknown>) => ReactNode, { key, ...props, uid: `${options.idPrefix}${key}` }, children);
  }
  const allowed = Object.hasOwn(ELEMENTS, name) ? ELEMENTS[name] : undefined;
  if (!allowed) return null; // never render what the compiler would not emit
  const nodeProps: Record<string, unknown> = rawProps !== null && typeof rawProps === "object" && !Array.isArray(rawProps) ? rawProps : {};
  const props: Record<string, unknown> = { key };
  for (const prop of allowed) {
    const value = Object.hasOwn(nodeProps, prop) ? nodeProps[prop] : undefined;
    if (typeof value !== "string" && typeof value !== "number") continue;
    if (prop === "href") {
      const href = safeHref(value);
      if (!href) continue;
      props.href = href;
      if (href.startsWith("https://")) {
        props.target = "_blank";
        props.rel = "noopener noreferrer";
      }
    } else if (prop === "align") {
      props.className = ALIGN[String(value)];
    } else if (prop === "id") {
      // Only the section ids compactTree gives headings (never an id that could clash with the page's own).
      if (options.anchors && typeof value === "string" && SECTION_ID.test(value)) {
        props.id = value;
        props["data-section"] = "";
      }
    } else {
      props[prop] = value;
    }
  }
  if (name === "table") {
    return (
      <div key={key} className="table-wrap">
        {createElement("table", {}, children)}
      </div>
    );
  }
  return createElement(name, props, children);
}

/**
 * Renders a compiled lesson (serialised with serializeTree) with React: allowlisted elements, components
 * by name. With `anchors`, headings carry their section ids (one lesson per page: a page showing both
 * languages side by side leaves them out, ids being unique; `idPrefix` keeps the components' ids apart).
 * On the server, a body whose lesson context has a `bodyKey` is rendered to HTML once per key and reused
 * (the browser renders the components and hydrates that HTML).
 */
export function LessonBody({
  source,
  anchors = false,
  idPrefix = "lb-",
  changed,
}: {
  source: string;
  anchors?: boolean;
  idPrefix?: string;
  /** For an author's preview: top-level blocks to mark as changed, with the mark's text. */
  changed?: { blocks: readonly number[]; label: string };
}) {
  const cache = useBodyHtmlCache();
  const lesson = useLesson();
  const { i18n } = useTranslation();
  if (cache && lesson.bodyKey && !changed) {
    // The same for every reader: the reader's own state is applied in the browser after hydration.
    const shared = { ...lesson, answeredCorrectly: [] };
    const key = `${lesson.bodyKey}|${anchors ? "a" : ""}|${idPrefix}|${lesson.answerAction ?? ""}|${i18n.language}`;
    const html = cache.html(key, () => (
      <I18nextProvider i18n={i18n}>
        <LessonProvider value={shared}>{renderNodes(parseTree(source), "n", { anchors, idPrefix })}</LessonProvider>
      </I18nextProvider>
    ));
    return <div className="lesson-body" dangerouslySetInnerHTML={{ __html: html }} />;
  }
  const nodes = renderNodes(parseTree(source), "n", { anchors, idPrefix });
  if (!changed || changed.blocks.length === 0) return <div className="lesson-body">{nodes}</div>;
  const marked = new Set(changed.blocks);
  return (
    <div className="lesson-body">
      {nodes.map((node, i) =>
        marked.has(i) ? (
          <div key={`changed-${i}`} className="-ml-3 border-l-4 border-amber-500 bg-amber-50/70 py-1 pl-3" data-testid="changed-block">
            <span className="block text-xs font-semibold text-amber-900">{changed.label}</span>
            {node}
          </div>
        ) : (
          node
        ),
      )}
    </div>
  );
}
