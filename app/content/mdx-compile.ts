/**
 * The safe lesson compiler: MDX source → a plain JSON tree (`MdxNode[]`) of allowlisted elements,
 * literal props and text. Pure (no file system).
 *
 * MDX is a programming language, so a lesson is never evaluated: we only *parse* it with
 * @mdx-js/mdx's processor (remark-frontmatter and remark-gfm add their syntax at parse time; neither
 * has a transform) and walk the syntax tree against an allowlist. Anything not on the list — import,
 * export, `{…}` expressions, HTML, unknown components or props, unsafe URLs — is an error, and any
 * error rejects the lesson. Absurd nesting is refused before parsing (the parser's cost grows with
 * the square of the depth) and again while walking; any exception becomes an error.
 */
import { createProcessor } from "@mdx-js/mdx";
import remarkFrontmatter from "remark-frontmatter";
import remarkCjkFriendly from "remark-cjk-friendly";
import remarkGfm from "remark-gfm";
import { lessonFrontmatterSchema } from "~/content/schemas";
import type { Language, MdxElement, MdxNode, Problem } from "~/content/types";
import { checkLinkUrl } from "~/content/urls";
import { phraseBoundaries } from "~/content/phrase-breaks";
import { characterMessage, firstUnsafeCharacter, scanText, unsafeCodePoints } from "~/content/text-hygiene";
import { checkPropValue, COMPONENT_NAMES, componentSpec, type ComponentSpec } from "~/mdx/allowlist";
import { errorMessage, parseYaml, schemaProblems, valueProblems, type Position, type YamlPath } from "~/content/yaml-positions";

/** Deepest nesting of Markdown/MDX nodes a lesson may have. Real lessons stay under 10. */
export const MAX_DEPTH = 40;
/** Larger lessons are refused outright (real ones are around 10 000 characters). */
export const MAX_SOURCE_CHARS = 200_000;
const MAX_INDENT_COLUMNS = 120;
const MAX_EMPHASIS_MARKERS_PER_BLOCK = 400;

export type SourceSpan = { start: number; end: number };
/** `id` is the question or term id, or for Org the organisation value's key. */
export type LessonReference = { kind: "KnowledgeCheck" | "Term" | "Org"; id: string; line: number; column: number };

export type CompiledLesson = {
  /** The parsed YAML frontmatter (not yet trusted: `lessonFrontmatterSchema` problems are in `problems`). */
  frontmatter: unknown | null;
  tree: MdxNode[];
  /** KnowledgeCheck ids in order of appearance. */
  knowledgeChecks: string[];
  /** Term ids in order of appearance. */
  terms: string[];
  problems: Problem[];
  /** Every KnowledgeCheck and Term with its place, for cross-file checks. */
  references: LessonReference[];
  /**
   * Where the reader's words are in the source (offsets, end exclusive): text nodes and text props
   * (titles, alt text, captions); never code, URLs, tag or prop names. For the terminology check.
   */
  prose: SourceSpan[];
  /** The place of a frontmatter key or value in the .mdx file (1:1 when there is no frontmatter). */
  locateFrontmatter: (path: YamlPath, target?: "key" | "value") => Position;
};

// ----------------------------------------------------------------------------------------------------
// The allowlist: the components and their props live in ~/mdx/allowlist, shared with the renderer.

export const ALLOWED_COMPONENTS: readonly string[] = COMPONENT_NAMES;
const TOP_LEVEL_COMPONENTS = COMPONENT_NAMES.filter((name) => !componentSpec(name)!.parent);

const PHRASING_TYPES = new Set([
  "text",
  "emphasis",
  "strong",
  "delete",
  "inlineCode",
  "break",
  "link",
  "linkReference",
  "image",
  "imageReference",
  "footnoteReference",
  "html",
  "mdxJsxTextElement",
  "mdxTextExpression",
]);

// ----------------------------------------------------------------------------------------------------
// Module-level singleton: the processor (parse only), made once.

let processor: ReturnType<typeof createProcessor> | undefined;
function parser() {
  processor ??= createProcessor({ remarkPlugins: [remarkFrontmatter, remarkGfm, remarkCjkFriendly] });
  return processor;
}

// ----------------------------------------------------------------------------------------------------

type Point = { line?: number; column?: number; offset?: number };
/** The mdast/MDX node shape we rely on; everything else is checked at run time. */
type AnyNode = {
  type: string;
  children?: AnyNode[];
  position?: { start?: Point; end?: Point };
  value?: unknown;
  [key: string]: unknown;
};
type Attribute = { type: string; name?: string; value?: unknown; position?: { start?: Point; end?: Point } };

type Context = {
  depth: number;
  /** Inside a paragraph, heading, table cell or another inline container. */
  phrasing: boolean;
  /** A paragraph here is unwrapped (direct children of a tight list item). */
  unwrapParagraph: boolean;
  inLink: boolean;
  inTerm: boolean;
  /** Where the nearest node with a position starts, for problems about nodes without one. */
  at: Position;
};

export type CompileOptions = {
  file: string;
  lang: Language;
  /** The file was not valid UTF-8 (already reported): its U+FFFD are the decoder's, not the author's. */
  decodedLossily?: boolean;
};

export function compileLesson(source: string, options: CompileOptions): CompiledLesson {
  const compiler = new LessonCompiler(options.file, options.lang);
  let frontmatter: unknown | null = null;
  let tree: MdxNode[] = [];
  let locateFrontmatter: CompiledLesson["locateFrontmatter"] = () => ({ line: 1, column: 1 });

  try {
    // Control, bidi and invisible characters written in the file; once it has none that are errors,
    // the ones written as character references (&#x202E;) are caught in the text the parser decodes.
    const hygiene = scanText(source, { ignoreReplacement: options.decodedLossily === true });
    compiler.problems.push(...hygiene.map((p) => ({ ...p, file: options.file })));
    if (!hygiene.some((p) => p.severity === "error")) compiler.literalUnsafe = unsafeCodePoints(source);
    const refusal = preflight(source);
    if (refusal) {
      compiler.problems.push({ severity: "error", file: options.file, ...refusal });
    } else {
      const root = compiler.parse(source);
      if (root) {
        const children = root.children ?? [];
        const first = children[0];
        if (first?.type === "yaml") {
          const parsed = compiler.frontmatter(first);
          frontmatter = parsed.value;
          locateFrontmatter = parsed.locate;
        } else {
          compiler.problems.push({
            severity: "error",
            code: "missing-frontmatter",
            file: options.file,
            line: 1,
            column: 1,
            message: "The lesson has no frontmatter",
            hint: "Start the file with a --- block holding id, title, minutes and summary (see docs/content-format.md).",
          });
        }
        const body = first?.type === "yaml" ? children.slice(1) : children;
        tree = compiler.flow(body, {
          depth: 1,
          phrasing: false,
          unwrapParagraph: false,
          inLink: false,
          inTerm: false,
          at: { line: 1, column: 1 },
        });
      }
    }
  } catch (error) {
    // Whatever happens (a stack overflow on absurd input included), the lesson is rejected, not skipped.
    compiler.problems.push({
      severity: "error",
      code: "compile-failed",
      file: options.file,
      line: 1,
      column: 1,
      message: `The lesson could not be checked: ${errorMessage(error).split("\n")[0]}`,
      hint: "Simplify the lesson (less nesting, shorter paragraphs) and run the check again.",
    });
    tree = [];
  }

  const references = compiler.references;
  return {
    frontmatter,
    tree,
    knowledgeChecks: references.filter((r) => r.kind === "KnowledgeCheck").map((r) => r.id),
    terms: references.filter((r) => r.kind === "Term").map((r) => r.id),
    problems: compiler.problems,
    references,
    prose: compiler.prose,
    locateFrontmatter,
  };
}

// ----------------------------------------------------------------------------------------------------
// Before parsing: refuse input whose nesting would make the parser itself slow or crash.

type Refusal = Omit<Problem, "severity" | "file">;

function preflight(source: string): Refusal | null {
  if (source.length > MAX_SOURCE_CHARS) {
    return {
      code: "too-large",
      line: 1,
      column: 1,
      message: `The lesson is ${source.length} characters long; the limit is ${MAX_SOURCE_CHARS}`,
      hint: "Split it into several lessons.",
    };
  }
  const tooDeep = (line: number, what: string): Refusal => ({
    code: "too-deep",
    line,
    column: 1,
    message: `${what} nested more than ${MAX_DEPTH} levels deep`,
    hint: "Flatten the structure: lessons need only a few levels of lists, quotes and components.",
  });

  const lines = source.split(/\r\n|\r|\n/);
  let fence: string | null = null;
  let tagDepth = 0;
  let markers = 0;
  let blockStart = 1;
  for (const [index, line] of lines.entries()) {
    const lineNumber = index + 1;
    // Container prefix: > quotes and list markers, and the indentation they add up to.
    let depth = 0;
    let columns = 0;
    let i = 0;
    while (i < line.length) {
      const ch = line[i]!;
      if (ch === " ") columns += 1;
      else if (ch === "\t") columns += 4 - (columns % 4);
      else if (ch === ">") {
        depth += 1;
        columns += 1;
      } else {
        const marker = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/.exec(line.slice(i, i + 11));
        if (!marker) break;
        depth += 1;
        columns += marker[0].length;
        i += marker[0].length;
        continue;
      }
      i += 1;
    }
    if (depth > MAX_DEPTH) return tooDeep(lineNumber, "Quotes or lists are");
    if (columns > MAX_INDENT_COLUMNS) {
      return {
        code: "too-deep",
        line: lineNumber,
        column: 1,
        message: `The line is indented by ${columns} columns`,
        hint: "Flatten the structure: lessons need only a few levels of lists and quotes.",
      };
    }

    const rest = line.slice(i);
    // A code fence (its content is not parsed as Markdown); a backtick fence's info string has no backtick.
    const fenceMatch = /^(`{3,})[^`]*$|^(~{3,})/.exec(rest);
    const fenceRun = fenceMatch ? (fenceMatch[1] ?? fenceMatch[2])! : null;
    if (fence) {
      if (fenceRun && fenceRun[0] === fence[0] && fenceRun.length >= fence.length && rest.trim() === fenceRun) fence = null;
      continue;
    }
    if (fenceRun) {
      fence = fenceRun;
      continue;
    }

    if (rest.trim() === "") {
      markers = 0;
      blockStart = lineNumber + 1;
      continue;
    }
    const prose = rest.replace(/`+[^`]*`+/g, "");
    for (const token of prose.matchAll(/<\/?[A-Za-z]|\/>/g)) {
      tagDepth = token[0].startsWith("</") || token[0] === "/>" ? Math.max(0, tagDepth - 1) : tagDepth + 1;
      if (tagDepth > MAX_DEPTH) return tooDeep(lineNumber, "Components are");
    }
    markers += (prose.match(/[*_~]/g) ?? []).length;
    if (markers > MAX_EMPHASIS_MARKERS_PER_BLOCK) {
      return {
        code: "too-deep",
        line: blockStart,
        column: 1,
        message: `This paragraph has more than ${MAX_EMPHASIS_MARKERS_PER_BLOCK} emphasis markers (*, _ or ~)`,
        hint: "Use less emphasis, or split the paragraph.",
      };
    }
  }
  return null;
}

// ----------------------------------------------------------------------------------------------------

class LessonCompiler {
  readonly problems: Problem[] = [];
  readonly references: LessonReference[] = [];
  readonly prose: SourceSpan[] = [];
  /**
   * Set when the file's own characters passed the text rules: the unsafe code points it holds
   * literally (warnings already reported). Decoded text is then checked for the others.
   */
  literalUnsafe: ReadonlySet<number> | null = null;
  private depthReported = false;

  constructor(private readonly file: string, private readonly lang: Language) {}

  parse(source: string): AnyNode | null {
    try {
      return parser().parse(source) as unknown as AnyNode;
    } catch (error) {
      // A syntax error is a VFileMessage with a reason and a place; anything else (a RangeError on
      // absurd input) goes to compileLesson's catch-all and rejects the lesson as "compile-failed".
      if (!error || typeof (error as { reason?: unknown }).reason !== "string") throw error;
      this.syntaxError(error);
      return null;
    }
  }

  frontmatter(node: AnyNode): { value: unknown; locate: CompiledLesson["locateFrontmatter"] } {
    const startLine = node.position?.start?.line ?? 1;
    const parsed = parseYaml(typeof node.value === "string" ? node.value : "", this.file, { lineOffset: startLine });
    this.problems.push(...parsed.problems);
    if (parsed.value === undefined && parsed.problems.some((p) => p.severity === "error")) return { value: null, locate: parsed.locate };
    if (this.literalUnsafe) this.problems.push(...valueProblems(parsed.value, this.file, parsed.locate, this.literalUnsafe));
    const result = lessonFrontmatterSchema.safeParse(parsed.value ?? {});
    if (!result.success) this.problems.push(...schemaProblems(result.error, this.file, parsed.locate, parsed.value, "frontmatter "));
    return { value: parsed.value ?? null, locate: parsed.locate };
  }

  private addProse(node: AnyNode) {
    const start = node.position?.start?.offset;
    const end = node.position?.end?.offset;
    if (typeof start === "number" && typeof end === "number" && end > start) this.prose.push({ start, end });
  }

  // -- problems ---------------------------------------------------------------------------------------

  private error(code: string, at: Position, message: string, hint: string) {
    this.problems.push({ severity: "error", code, file: this.file, line: at.line, column: at.column, message, hint });
  }

  private syntaxError(error: unknown) {
    const e = (error ?? {}) as { line?: unknown; column?: unknown; place?: unknown; reason?: unknown; message?: unknown; ruleId?: unknown };
    const reason = typeof e.reason === "string" ? e.reason : errorMessage(error);
    let at: Position | null = null;
    if (typeof e.line === "number" && typeof e.column === "number") at = { line: e.line, column: e.column };
    else {
      const place = e.place as { line?: unknown; column?: unknown; start?: { line?: unknown; column?: unknown } } | undefined;
      const point = place?.start ?? place;
      if (typeof point?.line === "number" && typeof point.column === "number") at = { line: point.line, column: point.column };
      else {
        // "Expected a closing tag for `<Callout>` (3:1-3:10)": the opening tag's place is in the message.
        const match = /\((\d+):(\d+)/.exec(reason);
        at = match ? { line: Number(match[1]), column: Number(match[2]) } : { line: 1, column: 1 };
      }
    }
    const lower = reason.toLowerCase();
    let hint =
      "Close every component (<Callout …>…</Callout>, <Figure … />), quote every prop value, and keep <, { and } out of prose (write them inside `code`).";
    if (lower.includes("to create a comment in mdx")) hint = "HTML comments are not allowed in lessons: delete the comment.";
    else if (lower.includes("closing tag"))
      hint =
        "Close the component with its closing tag (</Name>) or write it self-closing (<Name … />); flow components need blank lines around their content.";
    else if (lower.includes("could not parse expression") || lower.includes("expression"))
      hint = "Braces { and } start code in MDX: remove them or put them inside `code`.";
    this.error("mdx-syntax", at, `MDX syntax error: ${reason.split("\n")[0]}`, hint);
  }

  /** A decoded string (text, a prop, a link) holding a forbidden character written as a character reference. */
  private checkDecoded(value: string, at: Position, where: string): boolean {
    if (!this.literalUnsafe) return true;
    const found = firstUnsafeCharacter(value, this.literalUnsafe);
    if (!found) return true;
    this.problems.push({
      severity: found.rule.severity,
      code: found.rule.code,
      file: this.file,
      line: at.line,
      column: at.column,
      message: `${characterMessage(found, where)} (written as a character reference such as &#x${found.codePoint.toString(16).toUpperCase()};)`,
      hint: found.rule.hint,
    });
    return found.rule.severity !== "error";
  }

  private tooDeep(at: Position) {
    if (this.depthReported) return;
    this.depthReported = true;
    this.error(
      "too-deep",
      at,
      `The lesson is nested more than ${MAX_DEPTH} levels deep`,
      "Flatten the structure: lessons need only a few levels of lists, quotes, emphasis and components.",
    );
  }

  // -- walking ----------------------------------------------------------------------------------------

  /** Block content (the body, a blockquote, a component's Markdown). Loose inline content is wrapped in a paragraph. */
  flow(nodes: AnyNode[], ctx: Context): MdxNode[] {
    if (nodes.some((n) => PHRASING_TYPES.has(n.type)) && !ctx.phrasing) {
      const inline = this.inline(nodes, { ...ctx, phrasing: true }, true);
      if (inline.length === 0) return [];
      return ctx.unwrapParagraph ? inline : [element("p", {}, inline)];
    }
    return nodes.flatMap((node) => this.node(node, ctx));
  }

  /**
   * Inline content (a paragraph, heading, cell, emphasis, link, Term). `block` marks the outermost
   * inline run of a block, where Japanese text gets its phrase breaks.
   */
  inline(nodes: AnyNode[], ctx: Context, block = false): MdxNode[] {
    const children = mergeText(nodes.flatMap((node) => this.node(node, { ...ctx, phrasing: true })));
    return block && this.lang === "ja" ? insertPhraseBreaks(children) : children;
  }

  private node(node: AnyNode, parent: Context): MdxNode[] {
    const at = place(node, parent.at);
    if (parent.depth > MAX_DEPTH) {
      this.tooDeep(at);
      return [];
    }
    const ctx: Context = { ...parent, depth: parent.depth + 1, unwrapParagraph: false, at };
    const kids = () => node.children ?? [];

    switch (node.type) {
      case "text": {
        const value = String(node.value ?? "");
        this.addProse(node);
        // Emphasis markers that reached a text node did not render (e.g. ** next to Japanese brackets
        // before remark-cjk-friendly, or an unclosed pair): the reader would see the asterisks.
        const marker = /\*\*|__|\*/.exec(value);
        if (marker) {
          this.error(
            "unrendered-emphasis",
            at,
            `"${marker[0]}" would show as text: the emphasis around it is not closed or not recognised`,
            "Close the pair (**bold**, *italic*). For a literal asterisk or underscore pair, write ＊ or ＿ (full width) instead.",
          );
        }
        return this.checkDecoded(value, at, "The text") ? this.text(value) : [];
      }
      case "paragraph": {
        const children = this.inline(kids(), ctx, true);
        return parent.unwrapParagraph ? children : [element("p", {}, children)];
      }
      case "heading": {
        const depth = Number(node.depth);
        if (depth === 1) {
          this.error(
            "heading-level",
            at,
            "A lesson may not use a # (level 1) heading: the page shows the title",
            "Use ## for sections and ### for subsections.",
          );
          return [];
        }
        if (depth > 4) {
          this.error("heading-level", at, `Level ${depth} headings are not supported`, "Use ##, ### or #### headings.");
          return [];
        }
        return [element(`h${depth}`, {}, this.inline(kids(), ctx, true))];
      }
      case "emphasis":
        return [element("em", {}, this.inline(kids(), ctx))];
      case "strong":
        return [element("strong", {}, this.inline(kids(), ctx))];
      case "delete":
        return [element("del", {}, this.inline(kids(), ctx))];
      case "inlineCode":
        return [element("code", {}, [{ type: "text", value: String(node.value ?? "") }])];
      case "break":
        return [element("br", {}, [])];
      case "thematicBreak":
        return [element("hr", {}, [])];
      case "code": {
        const props: MdxElement["props"] = {};
        const lang = typeof node.lang === "string" ? node.lang : "";
        if (lang) {
          if (!/^[A-Za-z0-9_+#.-]{1,32}$/.test(lang)) {
            this.error(
              "invalid-prop",
              at,
              `"${lang}" is not a code language name`,
              "Write a plain language name after the backticks, e.g. ```python, or nothing.",
            );
            return [];
          }
          props.lang = lang;
        }
        return [element("pre", {}, [element("code", props, [{ type: "text", value: String(node.value ?? "") }])])];
      }
      case "blockquote":
        return [element("blockquote", {}, this.flow(kids(), ctx))];
      case "list": {
        const ordered = node.ordered === true;
        const props: MdxElement["props"] = {};
        if (ordered && typeof node.start === "number" && node.start !== 1) props.start = node.start;
        const loose = node.spread === true || kids().some((item) => item.spread === true);
        const items = kids().flatMap((item) => this.listItem(item, ctx, loose));
        return [element(ordered ? "ol" : "ul", props, items)];
      }
      case "listItem":
        return this.listItem(node, parent, false);
      case "table":
        return this.table(node, ctx);
      case "link": {
        if (parent.inLink) return this.inline(kids(), ctx);
        if (parent.inTerm) {
          this.error("component-structure", at, "A <Term> cannot contain a link", "Put the link outside the <Term>.");
          return [];
        }
        const url = String(node.url ?? "");
        const verdict = checkLinkUrl(url);
        if (!verdict.ok) {
          this.error("unsafe-url", at, `Link not allowed: ${verdict.message}`, verdict.hint);
          return [];
        }
        if (!this.checkDecoded(url, at, "The link")) return [];
        const props: MdxElement["props"] = { href: url };
        if (typeof node.title === "string" && node.title) {
          if (!this.checkDecoded(node.title, at, "The link title")) return [];
          props.title = node.title;
        }
        return [element("a", props, this.inline(kids(), { ...ctx, inLink: true }))];
      }
      case "image":
      case "imageReference":
        this.error(
          "unsupported-markdown",
          at,
          "Markdown images are not allowed",
          'Use <Figure src="/content/…" alt="…" caption="…" /> on its own line.',
        );
        return [];
      case "linkReference":
      case "definition":
        this.error(
          "unsupported-markdown",
          at,
          "Reference-style links ([text][label] with a [label]: url line) are not supported",
          "Write the link inline: [text](https://…).",
        );
        return [];
      case "footnoteReference":
      case "footnoteDefinition":
        this.error("unsupported-markdown", at, "Footnotes are not supported", "Put the note in the text, or in a <Callout>.");
        return [];
      case "html":
        this.error("raw-html", at, "Raw HTML is not allowed in lessons", "Use Markdown or an allowlisted component instead.");
        return [];
      case "mdxjsEsm":
        this.error(
          "mdx-esm",
          at,
          "import and export are not allowed in lessons",
          "Delete the line: the allowlisted components are available without importing them.",
        );
        return [];
      case "mdxFlowExpression":
      case "mdxTextExpression":
        this.error(
          "mdx-expression",
          at,
          "Expressions in braces ({…}) are not allowed in lessons (they run code)",
          "Remove the braces; to show them as text put them inside `code`. MDX comments {/* */} are expressions too.",
        );
        return [];
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement":
        return this.component(node, parent, at);
      case "yaml":
        this.error(
          "unsupported-markdown",
          at,
          "A frontmatter block is only allowed at the very start of the file",
          "Move it to the top, or delete it.",
        );
        return [];
      default:
        this.error(
          "unsupported-markdown",
          at,
          `"${node.type}" is not supported in lessons`,
          "Use plain Markdown (paragraphs, ## headings, lists, tables, links) and the allowlisted components.",
        );
        return [];
    }
  }

  private listItem(node: AnyNode, parent: Context, loose: boolean): MdxNode[] {
    const at = place(node, parent.at);
    if (parent.depth > MAX_DEPTH) {
      this.tooDeep(at);
      return [];
    }
    if (node.type !== "listItem") return this.node(node, parent);
    if (typeof node.checked === "boolean") {
      this.error("unsupported-markdown", at, "Task list items ([ ] / [x]) are not supported", "Write an ordinary list item.");
      return [];
    }
    const ctx: Context = { ...parent, depth: parent.depth + 1, at, unwrapParagraph: !(node.spread === true || loose) };
    return [element("li", {}, this.flow(node.children ?? [], ctx))];
  }

  private table(node: AnyNode, ctx: Context): MdxNode[] {
    const align = Array.isArray(node.align) ? (node.align as unknown[]) : [];
    const rows = (node.children ?? []).map((row, rowIndex) => {
      const rowAt = place(row, ctx.at);
      const cells = (row.children ?? []).map((cell, cellIndex) => {
        const props: MdxElement["props"] = {};
        const a = align[cellIndex];
        if (a === "left" || a === "right" || a === "center") props.align = a;
        const cellCtx: Context = { ...ctx, depth: ctx.depth + 2, at: place(cell, rowAt) };
        if (cellCtx.depth > MAX_DEPTH) {
          this.tooDeep(cellCtx.at);
          return element(rowIndex === 0 ? "th" : "td", props, []);
        }
        return element(rowIndex === 0 ? "th" : "td", props, this.inline(cell.children ?? [], cellCtx, true));
      });
      return element("tr", {}, cells);
    });
    const [head, ...body] = rows;
    const parts: MdxNode[] = [];
    if (head) parts.push(element("thead", {}, [head]));
    if (body.length > 0) parts.push(element("tbody", {}, body));
    return [element("table", {}, parts)];
  }

  // -- components -------------------------------------------------------------------------------------

  private component(node: AnyNode, parent: Context, at: Position, expectedParent?: string): MdxNode[] {
    const name = typeof node.name === "string" ? node.name : null;
    const spec = name ? componentSpec(name) : undefined;
    if (!name || !spec) {
      const shown = name ? `<${name}>` : "A fragment (<>…</>)";
      const isHtml = !!name && /^[a-z]/.test(name);
      this.error(
        "unknown-component",
        at,
        isHtml ? `HTML tags such as ${shown} are not allowed in lessons` : `${shown} is not an allowed component`,
        `Use Markdown, or one of: ${TOP_LEVEL_COMPONENTS.join(", ")}.`,
      );
      return [];
    }
    if (spec.parent && spec.parent !== expectedParent) {
      this.error(
        "component-structure",
        at,
        `<${name}> is only allowed directly inside <${spec.parent}>`,
        `Wrap it in <${spec.parent}>…</${spec.parent}> (see docs/content-format.md).`,
      );
      return [];
    }
    if (spec.placement === "flow" && parent.phrasing) {
      this.error(
        "component-structure",
        at,
        `<${name}> must stand on its own lines, not inside a sentence, heading, list text or table`,
        "Put it on its own lines with a blank line before and after.",
      );
      return [];
    }
    if (name === "Term" && parent.inTerm) {
      this.error("component-structure", at, "A <Term> cannot contain another <Term>", "Mark up each term separately.");
      return [];
    }
    if ((name === "Term" || name === "Org") && parent.inLink) {
      this.error("component-structure", at, `A <${name}> cannot be inside a link`, `Put the <${name}> outside the link text.`);
      return [];
    }

    const props = this.props(node, name, spec, at);
    if (!props) return [];
    const ctx: Context = { ...parent, depth: parent.depth + 1, unwrapParagraph: false, at };
    const children = (node.children ?? []).filter((child) => !(child.type === "text" && String(child.value ?? "").trim() === ""));

    let body: MdxNode[] = [];
    switch (spec.children) {
      case "none":
        if (children.length > 0) {
          this.error("component-structure", at, `<${name}> takes no content`, `Write it self-closing: <${name} … />.`);
          return [];
        }
        break;
      case "markdown":
        if (children.length === 0) {
          this.error("component-structure", at, `<${name}> is empty`, `Write its content between <${name}> and </${name}>.`);
          return [];
        }
        body = this.flow(children, { ...ctx, phrasing: false });
        break;
      case "inline": {
        // A Term alone on a line is parsed as a block; its text may then sit in a paragraph.
        const inline = children.flatMap((child) => (child.type === "paragraph" ? child.children ?? [] : [child]));
        if (inline.some((child) => !PHRASING_TYPES.has(child.type))) {
          this.error(
            "component-structure",
            at,
            `<${name}> may hold only a few words`,
            `Write <${name} id="…">words</${name}> inside a sentence.`,
          );
          return [];
        }
        body = this.inline(inline, { ...ctx, phrasing: true, inTerm: true }, node.type === "mdxJsxFlowElement");
        if (body.length === 0) {
          this.error("component-structure", at, `<${name}> is empty`, `Write the words shown between <${name} id="…"> and </${name}>.`);
          return [];
        }
        break;
      }
      case "steps": {
        const list = children[0];
        if (children.length !== 1 || list?.type !== "list" || list.ordered !== true) {
          this.error(
            "component-structure",
            at,
            "<Steps> must hold exactly one numbered list",
            "Write the steps as 1. … 2. … between <Steps> and </Steps>, with nothing else.",
          );
          return [];
        }
        body = this.flow(children, { ...ctx, phrasing: false });
        break;
      }
      case "dodont":
        body = this.slots(
          children,
          ctx,
          at,
          name,
          [
            { name: "Do", required: true },
            { name: "Dont", required: true },
          ],
          false,
        );
        break;
      case "example":
        body = this.slots(
          children,
          ctx,
          at,
          name,
          [
            { name: "Prompt", required: true },
            { name: "Response", required: false },
          ],
          true,
        );
        break;
    }

    const result = element(name, props, body);
    if (name === "KnowledgeCheck" || name === "Term")
      this.references.push({ kind: name, id: String(props.id), line: at.line, column: at.column });
    if (name === "Org") this.references.push({ kind: name, id: String(props.value), line: at.line, column: at.column });
    // A Term or Org alone on its own line: keep it in a paragraph like the text around it would be.
    if ((name === "Term" || name === "Org") && node.type === "mdxJsxFlowElement" && !parent.unwrapParagraph && !parent.phrasing)
      return [element("p", {}, [result])];
    return [result];
  }

  /** The children of DoDont (Do, Dont) and Example (Prompt, Response?): only these, each at most once. */
  private slots(
    children: AnyNode[],
    ctx: Context,
    at: Position,
    owner: string,
    slots: { name: string; required: boolean }[],
    ordered: boolean,
  ): MdxNode[] {
    const names = slots.map((s) => s.name);
    const seen = new Set<string>();
    const out: MdxNode[] = [];
    let ok = true;
    let lastIndex = -1;
    for (const child of children) {
      const childAt = place(child, at);
      const childName = typeof child.name === "string" ? child.name : "";
      const isSlot = (child.type === "mdxJsxFlowElement" || child.type === "mdxJsxTextElement") && names.includes(childName);
      if (!isSlot) {
        this.error(
          "component-structure",
          childAt,
          `<${owner}> may hold only ${names.map((n) => `<${n}>`).join(" and ")}`,
          `Move this content inside one of them.`,
        );
        ok = false;
        continue;
      }
      if (seen.has(childName)) {
        this.error(
          "component-structure",
          childAt,
          `<${owner}> holds more than one <${childName}>`,
          `Use exactly one <${childName}> per <${owner}>.`,
        );
        ok = false;
        continue;
      }
      if (ordered && names.indexOf(childName) < lastIndex) {
        this.error(
          "component-structure",
          childAt,
          `<${childName}> must come before <${names[lastIndex]}>`,
          `Put ${names.map((n) => `<${n}>`).join(" before ")}.`,
        );
        seen.add(childName);
        ok = false;
        continue;
      }
      lastIndex = names.indexOf(childName);
      seen.add(childName);
      out.push(...this.component(child, { ...ctx, phrasing: false }, childAt, owner));
    }
    for (const slot of slots) {
      if (slot.required && !seen.has(slot.name)) {
        this.error("component-structure", at, `<${owner}> needs a <${slot.name}>`, `Add <${slot.name}>…</${slot.name}> inside <${owner}>.`);
        ok = false;
      }
    }
    return ok ? out : [];
  }

  private props(node: AnyNode, name: string, spec: ComponentSpec, at: Position): MdxElement["props"] | null {
    const props: MdxElement["props"] = {};
    let ok = true;
    const attributes = Array.isArray(node.attributes) ? (node.attributes as Attribute[]) : [];
    for (const attribute of attributes) {
      const attrAt = place(attribute as AnyNode, at);
      if (attribute.type === "mdxJsxExpressionAttribute") {
        this.error(
          "mdx-expression",
          attrAt,
          `Spread props ({…}) are not allowed on <${name}>`,
          'Write each prop as a literal string: name="value".',
        );
        ok = false;
        continue;
      }
      const propName = String(attribute.name ?? "");
      const value = attribute.value;
      if (value !== null && value !== undefined && typeof value === "object") {
        this.error(
          "mdx-expression",
          attrAt,
          `<${name} ${propName}={…}>: prop values in braces are code and are not allowed`,
          `Write a literal string: ${propName}="…".`,
        );
        ok = false;
        continue;
      }
      const propSpec = Object.hasOwn(spec.props, propName) ? spec.props[propName] : undefined;
      if (!propSpec) {
        const allowed = Object.keys(spec.props);
        const why = /^on/i.test(propName)
          ? "event handlers run code and are not allowed"
          : propName === "style" || propName === "dangerouslySetInnerHTML" || propName === "className" || propName === "class"
          ? "styling and raw HTML props are not allowed"
          : "it is not one of its props";
        this.error(
          "unknown-prop",
          attrAt,
          `<${name}> does not accept the prop "${propName}": ${why}`,
          allowed.length ? `Allowed props: ${allowed.join(", ")}.` : `<${name}> takes no props.`,
        );
        ok = false;
        continue;
      }
      if (Object.hasOwn(props, propName)) {
        this.error("invalid-prop", attrAt, `<${name}> has the prop "${propName}" twice`, "Keep one of them.");
        ok = false;
        continue;
      }
      if (typeof value !== "string") {
        this.error("invalid-prop", attrAt, `<${name} ${propName}> needs a value`, `Write ${propName}="…".`);
        ok = false;
        continue;
      }
      if (!this.checkDecoded(value, attrAt, `<${name} ${propName}>`)) {
        ok = false;
        continue;
      }
      const problem = checkPropValue(propSpec, propName, value);
      if (problem) {
        this.error(problem.code, attrAt, `<${name} ${propName}="${value}">: ${problem.message}`, problem.hint);
        ok = false;
        continue;
      }
      props[propName] = value;
      if (propSpec.kind === "text") this.addProse(attribute as AnyNode);
    }
    for (const [propName, propSpec] of Object.entries(spec.props)) {
      if (propSpec.required && !Object.hasOwn(props, propName) && !attributes.some((a) => a.name === propName)) {
        this.error(
          "missing-prop",
          at,
          `<${name}> needs the prop "${propName}"`,
          propSpec.values ? `Add ${propName}="${propSpec.values[0]}" (one of ${propSpec.values.join(", ")}).` : `Add ${propName}="…".`,
        );
        ok = false;
      }
    }
    return ok ? props : null;
  }

  // -- text -------------------------------------------------------------------------------------------

  private text(value: string): MdxNode[] {
    // In Japanese, a line break between two Japanese characters would render as a stray space.
    const text = this.lang === "ja" ? value.replace(JOINABLE_BREAK, "$1$2") : value;
    return text ? [{ type: "text", value: text }] : [];
  }
}

/**
 * Japanese line breaking: BudouX splits the block's whole text into phrases and a <wbr> goes at each
 * phrase boundary (see ~/content/phrase-breaks; the app's CSS keeps other CJK characters together with
 * `word-break: keep-all`). Boundaries are computed over the block, so they fall between elements too;
 * never inside code.
 */
function insertPhraseBreaks(children: MdxNode[]): MdxNode[] {
  const boundaries = new Set(phraseBoundaries(plainText(children)));
  if (boundaries.size === 0) return children;
  let position = 0;
  const walk = (nodes: MdxNode[]): MdxNode[] => {
    const out: MdxNode[] = [];
    for (const node of nodes) {
      if (node.type === "text") {
        let start = 0;
        for (let i = 0; i < node.value.length; i += 1) {
          if (!boundaries.has(position + i)) continue;
          if (i > start) out.push({ type: "text", value: node.value.slice(start, i) });
          out.push(WBR());
          start = i;
        }
        out.push({ type: "text", value: node.value.slice(start) });
        position += node.value.length;
      } else if (node.name === "code") {
        if (boundaries.delete(position)) out.push(WBR());
        position += plainText(node.children).length;
        out.push(node);
      } else {
        // A boundary where an element starts goes before the element, not inside it.
        if (boundaries.delete(position)) out.push(WBR());
        out.push({ ...node, children: walk(node.children) });
      }
    }
    return out;
  };
  return walk(children);
}

function plainText(nodes: MdxNode[]): string {
  let out = "";
  for (const node of nodes) out += node.type === "text" ? node.value : plainText(node.children);
  return out;
}

const JA_CHAR = "[\\u3000-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff01-\\uff9f]";
const JOINABLE_BREAK = new RegExp(`(${JA_CHAR})\\r?\\n(${JA_CHAR})`, "g");
const WBR = (): MdxElement => ({ type: "element", name: "wbr", props: {}, children: [] });

function element(name: string, props: MdxElement["props"], children: MdxNode[]): MdxElement {
  return { type: "element", name, props, children };
}

/** Joins neighbouring text nodes (a link's text split around an unwrapped node, …). */
function mergeText(nodes: MdxNode[]): MdxNode[] {
  const out: MdxNode[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (node.type === "text" && last?.type === "text") out[out.length - 1] = { type: "text", value: last.value + node.value };
    else out.push(node);
  }
  return out;
}

function place(node: { position?: { start?: Point } }, fallback: Position): Position {
  const start = node.position?.start;
  return typeof start?.line === "number" && typeof start.column === "number" ? { line: start.line, column: start.column } : fallback;
}
