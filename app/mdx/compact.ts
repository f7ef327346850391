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

/** Headings whose id `compactTree` sets, so a reader's place can be found again in the other language. */
const HEADINGS = new Set(["h2", "h3", "h4"]);

/** The id of the n-th heading (from 1) of a lesson: the same in both languages of a lesson. */
export const sectionId = (n: number) => `section-${n}`;
export const SECTION_ID = /^section-[1-9][0-9]{0,3}$/;

export function compactTree(nodes: readonly MdxNode[], headings = { count: 0 }): CompactNode[] {
  const out: CompactNode[] = [];
  for (const node of nodes) {
    const last = out.length - 1;
    if (node.type === "text" || (node.type === "element" && node.name === "wbr")) {
      const value = node.type === "text" ? node.value.replaceAll(BREAK, "") : BREAK;
      if (typeof out[last] === "string") out[last] = (out[last] as string) + value;
      else out.push(value);
      continue;
    }
    // Headings are numbered in document order: the n-th heading of the English and the Japanese
    // version is the same section, so switching language can return to it.
    const withId = HEADINGS.has(node.name) ? { ...node.props, id: sectionId(++headings.count) } : node.props;
    const props = Object.keys(withId).length ? withId : 0;
    out.push([node.name, props, ...compactTree(node.children, headings)]);
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
