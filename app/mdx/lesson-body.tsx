import { createElement, type ReactNode } from "react";
import type { MdxNode } from "~/content/types";
import { COMPONENTS } from "./components";

/** HTML elements a compiled lesson may contain, with the props each may carry. */
const ELEMENTS: Record<string, readonly string[]> = {
  p: [], h2: [], h3: [], h4: [], em: [], strong: [], del: [], code: [], pre: [], blockquote: [],
  ul: [], ol: ["start"], li: [], hr: [], br: [], wbr: [], a: ["href", "title"],
  table: [], thead: [], tbody: [], tr: [], th: ["align"], td: ["align"],
};

const ALIGN: Record<string, string> = { left: "text-left", center: "text-center", right: "text-right" };

function safeHref(href: unknown): string | undefined {
  if (typeof href !== "string") return undefined;
  return /^(https:\/\/|\/(?!\/)|#)/.test(href) ? href : undefined;
}

function renderNodes(nodes: readonly MdxNode[], keyPrefix: string): ReactNode[] {
  return nodes.map((node, i) => renderNode(node, `${keyPrefix}.${i}`));
}

function renderNode(node: MdxNode, key: string): ReactNode {
  if (node.type === "text") return node.value;
  const children = node.children.length ? renderNodes(node.children, key) : undefined;
  const component = COMPONENTS[node.name as keyof typeof COMPONENTS];
  if (component) {
    return createElement(component as (p: Record<string, unknown>) => ReactNode, { key, ...node.props }, children);
  }
  const allowed = ELEMENTS[node.name];
  if (!allowed) return null; // never render what the compiler would not emit
  const props: Record<string, unknown> = { key };
  for (const name of allowed) {
    const value = node.props[name];
    if (value === undefined) continue;
    if (name === "href") {
      const href = safeHref(value);
      if (!href) continue;
      props.href = href;
      if (href.startsWith("https://")) {
        props.target = "_blank";
        props.rel = "noopener noreferrer";
      }
    } else if (name === "align") {
      props.className = ALIGN[String(value)];
    } else {
      props[name] = value;
    }
  }
  if (node.name === "table") {
    return (
      <div key={key} className="table-wrap">
        {createElement("table", {}, children)}
      </div>
    );
  }
  return createElement(node.name, props, children);
}

/** Renders a compiled lesson tree with React: elements from an allowlist, components by name. */
export function LessonBody({ nodes }: { nodes: readonly MdxNode[] }) {
  return <div className="lesson-body">{renderNodes(nodes, "n")}</div>;
}
