/**
 * Text hygiene: which bytes and characters a content file may hold. Pure (takes bytes or text,
 * never reads files).
 *
 * - A file must be valid UTF-8. It is never decoded into replacement characters silently: the first
 *   invalid byte is reported at its line and column (UTF-16 and Shift_JIS get a hint of their own).
 *   A UTF-8 byte order mark at the start and CRLF line endings are accepted.
 * - Errors: control characters other than tab and line breaks (NUL, a lone CR, form feed, ESC, DEL,
 *   C1 …); bidirectional controls (U+202A–U+202E, U+2066–U+2069, and the marks U+200E, U+200F,
 *   U+061C: English and Japanese never need them, and they can make text display in another order
 *   than it is stored — "Trojan Source"); and invisible characters that hide or break text: U+2028/
 *   U+2029 (line breaks that editors and parsers count differently), a byte order mark after the
 *   start, tag characters U+E0000–U+E007F (invisible text that language models still read),
 *   interlinear annotations and deprecated format characters.
 * - Warnings: zero-width and other invisible characters that are usually pasted by accident (U+200B,
 *   U+200C, a U+200D outside an emoji sequence, U+2060–U+2064, soft hyphen, Hangul fillers) and
 *   U+FFFD, the mark a tool leaves where it could not read text.
 *
 * The same rules apply to the raw file (`scanText`) and to the strings a parser produces from escapes
 * such as YAML's "\u202E" or MDX's `&#x202E;` (`firstUnsafeCharacter`).
 */
import type { Problem } from "~/content/types";

export type TextProblem = Omit<Problem, "file">;
export type Rule = { severity: "error" | "warning"; code: string; what: string; hint: string };

/** The most lines with bad characters reported per file; the last report says how many more there are. */
export const MAX_REPORTED_LINES = 10;

const RETYPE = "If it came with copied text, retype that part.";

const CONTROL: Rule = {
  severity: "error",
  code: "control-character",
  what: "a control character",
  hint: `Delete it: content files hold text, tabs and line breaks only. ${RETYPE}`,
};
const LONE_CR: Rule = {
  severity: "error",
  code: "control-character",
  what: "a carriage return that does not end a CRLF line",
  hint: "Save the file with LF (or CRLF) line endings; a CR on its own is not a line break here.",
};
const BIDI: Rule = {
  severity: "error",
  code: "bidi-control",
  what: "a bidirectional control character",
  hint: `Delete it: it can make text display in another order than it is stored, and English and Japanese never need it. ${RETYPE}`,
};
const LINE_SEPARATOR: Rule = {
  severity: "error",
  code: "invisible-character",
  what: "an invisible line break that editors and parsers count differently",
  hint: "Replace it with an ordinary line break (Enter), or delete it.",
};
const INNER_BOM: Rule = {
  severity: "error",
  code: "invisible-character",
  what: "a byte order mark in the middle of the file (usually left by joining two files)",
  hint: "Delete it: a byte order mark is only allowed as the very first character of a file.",
};
const HIDDEN_TEXT: Rule = {
  severity: "error",
  code: "invisible-character",
  what: "an invisible tag character (it can hide text that readers cannot see but AI tools read)",
  hint: `Delete it and the invisible characters around it. ${RETYPE}`,
};
const FORMAT: Rule = {
  severity: "error",
  code: "invisible-character",
  what: "an invisible formatting character",
  hint: `Delete it. ${RETYPE}`,
};
const ZERO_WIDTH: Rule = {
  severity: "warning",
  code: "invisible-character",
  what: "an invisible character",
  hint: "Delete it unless you put it there on purpose: readers cannot see it, and it breaks search and copying.",
};
const REPLACEMENT: Rule = {
  severity: "warning",
  code: "replacement-character",
  what: "the mark a tool leaves where it could not read text",
  hint: "Some text was damaged by a wrong encoding on its way here: retype the characters around it from the original.",
};

const NAMES: Record<number, string> = {
  0x00: "NULL",
  0x07: "BELL",
  0x08: "BACKSPACE",
  0x0b: "LINE TABULATION",
  0x0c: "FORM FEED",
  0x0d: "CARRIAGE RETURN",
  0x1b: "ESCAPE",
  0x7f: "DELETE",
  0x85: "NEXT LINE",
  0xad: "SOFT HYPHEN",
  0x061c: "ARABIC LETTER MARK",
  0x115f: "HANGUL CHOSEONG FILLER",
  0x1160: "HANGUL JUNGSEONG FILLER",
  0x180e: "MONGOLIAN VOWEL SEPARATOR",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2061: "FUNCTION APPLICATION",
  0x2062: "INVISIBLE TIMES",
  0x2063: "INVISIBLE SEPARATOR",
  0x2064: "INVISIBLE PLUS",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0x3164: "HANGUL FILLER",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
  0xffa0: "HALFWIDTH HANGUL FILLER",
  0xfffd: "REPLACEMENT CHARACTER",
};

/** `U+202E RIGHT-TO-LEFT OVERRIDE`, `U+0001`. */
export function describeCodePoint(codePoint: number): string {
  const hex = codePoint.toString(16).toUpperCase().padStart(4, "0");
  const name = NAMES[codePoint];
  return name ? `U+${hex} ${name}` : `U+${hex}`;
}

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** Emoji presentation selectors and skin-tone modifiers sit between an emoji and a joiner. */
const isEmojiTail = (cp: number) => cp === 0xfe0e || cp === 0xfe0f || (cp >= 0x1f3fb && cp <= 0x1f3ff);

/** A ZERO WIDTH JOINER inside an emoji sequence (👩‍💻) is part of the emoji, not a stray character. */
function joinsEmoji(text: string, index: number): boolean {
  let i = index;
  let before: number | undefined;
  while (i > 0) {
    const low = text.charCodeAt(i - 1);
    const start = low >= 0xdc00 && low <= 0xdfff && i >= 2 ? i - 2 : i - 1;
    const cp = text.codePointAt(start)!;
    i = start;
    if (isEmojiTail(cp)) continue;
    before = cp;
    break;
  }
  const after = text.codePointAt(index + 1);
  return before !== undefined && after !== undefined && PICTOGRAPHIC.test(String.fromCodePoint(before)) && PICTOGRAPHIC.test(String.fromCodePoint(after));
}

/**
 * The rule a code point at `index` breaks, or null. Tab and LF are fine, and CR only right before LF.
 * `atStart` is true for the first character of a file (where a byte order mark is allowed).
 */
export function ruleFor(text: string, index: number, codePoint: number, atStart = false): Rule | null {
  if (codePoint < 0x20) {
    if (codePoint === 0x09 || codePoint === 0x0a) return null;
    if (codePoint === 0x0d) return text.charCodeAt(index + 1) === 0x0a ? null : LONE_CR;
    return CONTROL;
  }
  if (codePoint < 0x7f) return null;
  if (codePoint <= 0x9f) return CONTROL; // DEL and the C1 controls
  if (codePoint === 0xad) return ZERO_WIDTH;
  if (codePoint < 0x061c) return null;
  if (codePoint === 0x061c) return BIDI;
  if (codePoint === 0x115f || codePoint === 0x1160 || codePoint === 0x180e || codePoint === 0x3164 || codePoint === 0xffa0) return ZERO_WIDTH;
  if (codePoint >= 0x200b && codePoint <= 0x200f) {
    if (codePoint === 0x200e || codePoint === 0x200f) return BIDI;
    if (codePoint === 0x200d && joinsEmoji(text, index)) return null;
    return ZERO_WIDTH;
  }
  if (codePoint === 0x2028 || codePoint === 0x2029) return LINE_SEPARATOR;
  if (codePoint >= 0x202a && codePoint <= 0x202e) return BIDI;
  if (codePoint >= 0x2060 && codePoint <= 0x2064) return ZERO_WIDTH;
  if (codePoint >= 0x2066 && codePoint <= 0x2069) return BIDI;
  if (codePoint >= 0x206a && codePoint <= 0x206f) return FORMAT; // deprecated format characters
  if (codePoint === 0xfeff) return atStart ? null : INNER_BOM;
  if (codePoint >= 0xfff9 && codePoint <= 0xfffb) return FORMAT; // interlinear annotations
  if (codePoint === 0xfffd) return REPLACEMENT;
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return HIDDEN_TEXT;
  return null;
}

/** Quick test for the common case: text with nothing that could break a rule. */
const SUSPECT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffd]|\r(?!\n)|[\udb40]/;

export type UnsafeCharacter = { index: number; codePoint: number; rule: Rule };

/**
 * The first character of `text` that breaks a rule, or null. `skip` leaves out code points already
 * reported elsewhere (those written literally in the file, when checking what a parser produced).
 */
export function firstUnsafeCharacter(text: string, skip?: ReadonlySet<number>): UnsafeCharacter | null {
  if (!SUSPECT.test(text)) return null;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index)!;
    const rule = ruleFor(text, index, codePoint);
    if (rule && !skip?.has(codePoint)) return { index, codePoint, rule };
    index += codePoint > 0xffff ? 2 : 1;
  }
  return null;
}

/** Every code point of `text` that breaks a rule somewhere in it. */
export function unsafeCodePoints(text: string): Set<number> {
  const out = new Set<number>();
  if (!SUSPECT.test(text)) return out;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index)!;
    if (ruleFor(text, index, codePoint, index === 0)) out.add(codePoint);
    index += codePoint > 0xffff ? 2 : 1;
  }
  return out;
}

/** The message for a character breaking a rule, `where` being e.g. "title.en" or "". */
export function characterMessage(found: Pick<UnsafeCharacter, "codePoint" | "rule">, where = ""): string {
  return `${where || "This line"} contains ${describeCodePoint(found.codePoint)}, ${found.rule.what}`;
}

/**
 * Every line of the text holding a character that breaks a rule, at the first such character of the
 * line (errors before warnings), at most MAX_REPORTED_LINES of them. Lines are counted at LF (a lone
 * CR is itself reported); columns count UTF-16 code units from 1, as the parsers do.
 */
export function scanText(text: string, options: { ignoreReplacement?: boolean } = {}): TextProblem[] {
  if (!SUSPECT.test(text)) return [];
  const found: { line: number; column: number; codePoint: number; rule: Rule }[] = [];
  let line = 1;
  let lineStart = 0;
  let reportedLine = 0;
  let extraLines = 0;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index)!;
    if (codePoint === 0x0a) {
      line += 1;
      lineStart = index + 1;
      index += 1;
      continue;
    }
    const rule = ruleFor(text, index, codePoint, index === 0);
    index += codePoint > 0xffff ? 2 : 1;
    if (!rule || (options.ignoreReplacement && rule === REPLACEMENT)) continue;
    const column = index - (codePoint > 0xffff ? 2 : 1) - lineStart + 1;
    const last = found[found.length - 1];
    if (reportedLine === line) {
      // One report per line: an error later on the line replaces a warning found first.
      if (last && last.rule.severity === "warning" && rule.severity === "error") found[found.length - 1] = { line, column, codePoint, rule };
      continue;
    }
    reportedLine = line;
    if (found.length >= MAX_REPORTED_LINES) extraLines += 1;
    else found.push({ line, column, codePoint, rule });
  }
  return found.map((f, i) => ({
    severity: f.rule.severity,
    code: f.rule.code,
    line: f.line,
    column: f.column,
    message:
      characterMessage(f) +
      (i === found.length - 1 && extraLines > 0 ? ` (${extraLines} more line${extraLines === 1 ? "" : "s"} of this file hold such characters)` : ""),
    hint: f.rule.hint,
  }));
}

// ----------------------------------------------------------------------------------------------------
// Bytes → text

export type Decoded = {
  /** The text without its byte order mark. When `problem` is set, a lossy decoding, for further checks only. */
  text: string;
  /** The file is not UTF-8: where its first invalid byte is. */
  problem: TextProblem | null;
};

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Decodes a file as strict UTF-8 and drops a leading byte order mark. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  const bomLength = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: fatal.decode(bytes.subarray(bomLength)), problem: null };
  } catch {
    // Not UTF-8: find where, and say so.
  }
  const text = lossy.decode(bytes.subarray(bomLength));
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return {
      text,
      problem: {
        severity: "error",
        code: "invalid-utf8",
        line: 1,
        column: 1,
        message: "The file is saved as UTF-16, not UTF-8",
        hint: "Save it again with the encoding UTF-8 (in VS Code: the encoding in the status bar → Save with Encoding → UTF-8).",
      },
    };
  }
  const offset = firstInvalidByte(bytes, bomLength);
  const before = fatal.decode(bytes.subarray(bomLength, offset));
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = (before.match(/\n/g)?.length ?? 0) + 1;
  const hex = `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")}`;
  return {
    text,
    problem: {
      severity: "error",
      code: "invalid-utf8",
      line,
      column: before.length - lineStart + 1,
      message: `The file is not valid UTF-8: the byte ${hex} (byte ${offset + 1} of the file) is not the start of a valid UTF-8 character`,
      hint:
        "Save the file with the encoding UTF-8 (it may have been saved as Shift_JIS or another legacy encoding), then check the text around this place.",
    },
  };
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode Table 3-7). */
export function firstInvalidByte(bytes: Uint8Array, from = 0): number {
  const cont = (i: number, low = 0x80, high = 0xbf) => i < bytes.length && bytes[i]! >= low && bytes[i]! <= high;
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length = 0;
    if (b <= 0x7f) length = 1;
    else if (b >= 0xc2 && b <= 0xdf) length = cont(i + 1) ? 2 : 0;
    else if (b === 0xe0) length = cont(i + 1, 0xa0) && cont(i + 2) ? 3 : 0;
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) length = cont(i + 1) && cont(i + 2) ? 3 : 0;
    else if (b === 0xed) length = cont(i + 1, 0x80, 0x9f) && cont(i + 2) ? 3 : 0;
    else if (b === 0xf0) length = cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    else if (b >= 0xf1 && b <= 0xf3) length = cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    else if (b === 0xf4) length = cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}
