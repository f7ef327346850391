/**
 * YAML parsing that keeps source positions, so a schema error from zod is reported at the line and
 * column of the offending node (or, for a missing key, at the nearest parent that exists).
 * Pure: takes the text, never reads files.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { ZodError, ZodIssue } from "zod";
import { characterMessage, firstUnsafeCharacter, MAX_REPORTED_LINES } from "~/content/text-hygiene";
import type { Problem } from "~/content/types";

export type Position = { line: number; column: number };
export type YamlPath = (string | number)[];

export type ParsedYaml = {
  /** The plain JavaScript value, or undefined when the YAML has syntax errors. */
  value: unknown;
  problems: Problem[];
  /** Where the node at `path` starts (its key with `target: "key"`); the nearest existing parent otherwise. */
  locate: (path: YamlPath, target?: "key" | "value") => Position;
};

type Ranged = { range?: [number, number, number] | null };

/**
 * Parses one YAML document. `lineOffset` shifts every reported line (for frontmatter inside an MDX
 * file: the number of the line holding the opening `---`).
 */
export function parseYaml(source: string, file: string, options: { lineOffset?: number } = {}): ParsedYaml {
  const lineOffset = options.lineOffset ?? 0;
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true });

  const at = (offset: number | undefined): Position => {
    if (offset === undefined) return { line: 1 + lineOffset, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line) + lineOffset, column: Math.max(1, col) };
  };

  const problems: Problem[] = [];
  for (const [severity, list] of [
    ["error", doc.errors],
    ["warning", doc.warnings],
  ] as const) {
    for (const issue of list) {
      const start = issue.linePos?.[0];
      problems.push({
        severity,
        code: "yaml-syntax",
        file,
        line: (start?.line ?? 1) + lineOffset,
        column: start?.col ?? 1,
        message: `YAML: ${firstLine(issue.message)}`,
        hint: yamlHint(issue.code),
      });
    }
  }

  let value: unknown;
  if (doc.errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({
        severity: "error",
        code: "yaml-syntax",
        file,
        line: 1 + lineOffset,
        column: 1,
        message: `YAML: ${firstLine(errorMessage(error))}`,
        hint: "Write the data out plainly, without anchors and aliases (& and *).",
      });
    }
  }

  const locate = (path: YamlPath, target: "key" | "value" = "value"): Position => {
    let node: unknown = doc.contents;
    let best = at((node as Ranged | null)?.range?.[0]);
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const keyStart = (pair.key as Ranged | null)?.range?.[0];
        if (last && target === "key") return at(keyStart);
        const value = pair.value as Ranged | null;
        const valueStart = value?.range?.[0];
        // An empty value (`title:` with nothing after it) has no useful place of its own: point at the key.
        best = valueStart === undefined || (isScalar(value) && value.value === null) ? at(keyStart) : at(valueStart);
        node = value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment];
        if (item === undefined) break;
        node = item;
        const start = (item as Ranged | null)?.range?.[0];
        if (start === undefined) break;
        best = at(start);
      } else {
        break;
      }
    }
    return best;
  };

  return { value, problems, locate };
}

/** Turns zod issues into problems located at the YAML nodes they are about. */
export function schemaProblems(error: ZodError, file: string, locate: ParsedYaml["locate"], data?: unknown, prefix = ""): Problem[] {
  return error.issues.map((issue) => {
    const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    const position = unknownKey !== undefined ? locate([...issue.path, unknownKey], "key") : locate(issue.path);
    const where = describePath(issue.path, data);
    return {
      severity: "error" as const,
      code: "schema",
      file,
      line: position.line,
      column: position.column,
      message: `${prefix}${where ? `${where}: ` : ""}${issueMessage(issue)}`,
      hint: issueHint(issue),
    };
  });
}

/**
 * Strings of a parsed value that hold a character the text rules forbid. The file's own text has
 * already been scanned (`scanText`): what is found here was written as an escape ("\u202E") and is
 * reported at the value, with its path. At most MAX_REPORTED_LINES problems.
 */
export function valueProblems(value: unknown, file: string, locate: ParsedYaml["locate"], literal?: ReadonlySet<number>): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: unknown, path: YamlPath) => {
    if (problems.length >= MAX_REPORTED_LINES) return;
    if (typeof node === "string") {
      const found = firstUnsafeCharacter(node, literal);
      if (!found) return;
      const at = locate(path);
      const where = describePath(path, value) || "The value";
      problems.push({
        severity: found.rule.severity,
        code: found.rule.code,
        file,
        line: at.line,
        column: at.column,
        message: `${characterMessage(found, where)} (written as an escape)`,
        hint: found.rule.hint,
      });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        const found = firstUnsafeCharacter(key, literal);
        if (found) {
          const at = locate([...path, key], "key");
          problems.push({
            severity: found.rule.severity,
            code: found.rule.code,
            file,
            line: at.line,
            column: at.column,
            message: `${characterMessage(found, "A key")} (written as an escape)`,
            hint: found.rule.hint,
          });
        }
        visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
  return problems;
}

/** `questions[3] (gb-004).options[1].text.ja`: the path, with the id of list entries that have one. */
export function describePath(path: YamlPath, data?: unknown): string {
  let out = "";
  let node: unknown = data;
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
      node = Array.isArray(node) ? node[segment] : undefined;
      const id = node && typeof node === "object" ? (node as Record<string, unknown>).id : undefined;
      if (typeof id === "string" && path.length > 1) out += ` (${id})`;
    } else {
      out += out ? `.${segment}` : segment;
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out;
}

function issueMessage(issue: ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.received === "undefined") return "is missing";
      if (issue.message && !issue.message.startsWith("Expected")) return `${issue.message} (found ${issue.received})`;
      return `must be ${article(issue.expected)}, not ${article(issue.received)}`;
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_enum_value":
      return `"${String(issue.received)}" is not one of ${issue.options.map(String).join(", ")}`;
    case "invalid_union_discriminator":
      return `must be one of ${issue.options.map(String).join(", ")}`;
    case "invalid_literal":
      return `must be ${JSON.stringify(issue.expected)}`;
    default:
      return issue.message;
  }
}

function issueHint(issue: ZodIssue): string {
  const last = issue.path[issue.path.length - 1];
  switch (issue.code) {
    case "invalid_type":
      if (issue.received === "undefined") {
        if (last === "en" || last === "ja")
          return `Add the ${last === "en" ? "English" : "Japanese"} text: every text a learner sees needs both en and ja.`;
        return `Add "${String(last)}" (see docs/content-format.md).`;
      }
      return "See docs/content-format.md for the expected shape of this field.";
    case "unrecognized_keys":
      return "Remove it or fix its spelling: only the keys in docs/content-format.md are allowed.";
    case "invalid_enum_value":
      return `Use one of: ${issue.options.map(String).join(", ")}.`;
    case "invalid_union_discriminator":
      return `Use one of: ${issue.options.map(String).join(", ")}.`;
    case "invalid_string":
      return "Ids are lower-case kebab-case, like genai-what-is-it, and never change once published.";
    case "custom": {
      const hint = (issue.params as { hint?: unknown } | undefined)?.hint;
      if (typeof hint === "string") return hint;
      if (last === "en" || last === "ja") return "Write the text in both languages; an empty string is not allowed.";
      return "See docs/content-format.md.";
    }
    default:
      return "See docs/content-format.md.";
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: "text",
    number: "a number",
    integer: "a whole number",
    boolean: "true or false",
    object: "a mapping (key: value lines)",
    array: "a list",
    null: "empty",
  };
  return names[type] ?? type;
}

function yamlHint(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return "Remove one of the two keys with the same name.";
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return "Check the indentation and the brackets: nested keys are indented by two spaces, [ and { must be closed.";
    case "MULTIPLE_DOCS":
      return "Keep a single YAML document per file (no second ---).";
    case "TAB_AS_INDENT":
      return "Indent with spaces, not tabs.";
    default:
      return "Fix the YAML syntax; if a text contains a colon or starts with a quote, wrap it in double quotes.";
  }
}

function firstLine(message: string): string {
  return message
    .split("\n")[0]!
    .replace(/ at line \d+, column \d+:?$/, "")
    .trim();
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
