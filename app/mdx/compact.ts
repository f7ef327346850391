import type { MdxNode } from "~/content/types";

/**
 * The lesson tree as the page ships it: text is a string, an element is [name, props, ...children],
 * and BudouX's <wbr> break points travel inside text as U+2063 (invisible separator). Prepared once per
 * release and sent as one JSON string, it is several times smaller and cheaper to serialise than the
 * stored tree.
 */
export type CompactNode = string | CompactElement;
export type CompactElement = [name: string, props: Record<string, string | number | boolean> | 0, ...children: CompactNode[]];

export const BREAK = "\u2063";

export function compactTree(nodes: readonly MdxNode[]): CompactNode[] {
  const out: CompactNode[] = [];
  for (const node of nodes) {
    const last = out.length - 1;
    if (node.type === "text" || (node.type === "element" && node.name === "wbr")) {
      const value = node.type === "text" ? node.value.replaceAll(BREAK, "") : BREAK;
      if (typeof out[last] === "string") out[last] = (out[last] as string) + value;
      else out.push(value);
      continue;
    }
    const props = Object.keys(node.props).length ? node.props : 0;
    out.push([node.name, props, ...compactTree(node.children)]);
  }
  return out;
}

export function serializeTree(nodes: readonly MdxNode[]): string {
  return JSON.stringify(compactTree(nodes));
}

const parsed = new Map<string, CompactNode[]>();

/** Parses a serialised tree, remembering the last few (the same lesson is rendered again and again). */
export function parseTree(source: string): CompactNode[] {
  let tree = parsed.get(source);
  if (!tree) {
    tree = JSON.parse(source) as CompactNode[];
    if (parsed.size >= 64) parsed.delete(parsed.keys().next().value!);
    parsed.set(source, tree);
  }
  return tree;
}
