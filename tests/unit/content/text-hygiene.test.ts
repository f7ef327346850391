import { describe, expect, it } from "vitest";
import {
  decodeUtf8,
  describeCodePoint,
  firstInvalidByte,
  firstUnsafeCharacter,
  MAX_REPORTED_LINES,
  scanText,
} from "~/content/text-hygiene";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
const codes = (text: string) => scanText(text).map((p) => [p.severity, p.code, p.line, p.column]);

describe("decoding a file as UTF-8", () => {
  it("decodes valid UTF-8 and drops a leading byte order mark", () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "id: x\r\nja: 日本語\r\n"))).toEqual({ text: "id: x\r\nja: 日本語\r\n", problem: null });
    expect(decodeUtf8(bytes("😀 plain")).text).toBe("😀 plain");
  });

  it("reports the line and column where the first invalid sequence starts, never a replacement character", () => {
    const { problem } = decodeUtf8(bytes("line one\nline two\nab ", [0xff, 0xfe], "cd\n"));
    expect(problem).toMatchObject({ severity: "error", code: "invalid-utf8", line: 3, column: 4 });
    expect(problem!.message).toContain("0xFF");
    expect(problem!.message).not.toContain("\ufffd");
    expect(problem!.hint).toContain("UTF-8");
  });

  it("counts columns in characters after multi-byte text and a byte order mark", () => {
    // 日本 is 6 bytes but 2 characters: the bad byte is the third character of line 1.
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "日本", [0x80], "\n")).problem).toMatchObject({ line: 1, column: 3 });
  });

  it("recognises Shift_JIS text (あ is 0x82 0xA0) as invalid UTF-8 at its line", () => {
    expect(decodeUtf8(bytes("---\ntitle: ", [0x82, 0xa0], "\n")).problem).toMatchObject({ line: 2, column: 8 });
  });

  it("points a truncated sequence at the end of the file at its first byte", () => {
    expect(decodeUtf8(bytes("ok\nはじめ", [0xe3, 0x81])).problem).toMatchObject({ line: 2, column: 4 });
  });

  it("says so when the file is UTF-16", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("id: x\n", "utf16le")]);
    const { problem } = decodeUtf8(utf16);
    expect(problem).toMatchObject({ code: "invalid-utf8", line: 1, column: 1 });
    expect(problem!.message).toContain("UTF-16");
  });

  it("finds the first invalid byte exactly where a strict TextDecoder stops accepting", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const decodes = (b: Uint8Array) => {
      try {
        decoder.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    // Overlong forms, surrogates, code points past U+10FFFF, lone continuation bytes, truncations.
    const cases = [
      [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0x80], [0xbf], [0xe3, 0x81], [0xf0, 0x9f, 0x98], [0xc2], [0xef, 0xbf, 0xbf], [0xf4, 0x8f, 0xbf, 0xbf],
    ];
    // Plus a deterministic stream of random byte strings.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 3000; n += 1) {
      const length = 1 + Math.floor(random() * 8);
      cases.push(Array.from({ length }, () => (random() < 0.5 ? 0x61 : 0x80 + Math.floor(random() * 0x80))));
    }
    for (const c of cases) {
      const b = Uint8Array.from([0x61, ...c, 0x61]);
      const at = firstInvalidByte(b);
      if (at === b.length) {
        expect(decodes(b), `bytes ${c}`).toBe(true);
      } else {
        expect(decodes(b), `bytes ${c}`).toBe(false);
        expect(decodes(b.subarray(0, at)), `prefix of ${c}`).toBe(true);
      }
    }
  });
});

describe("characters content may not hold", () => {
  it("accepts tab, LF and CRLF, Japanese, emoji and an emoji sequence joined by U+200D", () => {
    expect(scanText("a\tb\r\nc\n日本語、です。😀 👩\u200d💻 👁\ufe0f\u200d🗨\ufe0f\n")).toEqual([]);
  });

  it("rejects NUL, a lone CR, form feed, ESC, DEL and C1 controls at their line and column", () => {
    expect(codes("ok\nab\u0000c\n")).toEqual([["error", "control-character", 2, 3]]);
    expect(codes("a\rb\n")).toEqual([["error", "control-character", 1, 2]]);
    expect(codes("\n\n  \u000c\n")).toEqual([["error", "control-character", 3, 3]]);
    expect(codes("\u001b[31mred\n")).toEqual([["error", "control-character", 1, 1]]);
    expect(codes("x\u007f\n")).toEqual([["error", "control-character", 1, 2]]);
    expect(codes("x\u0085y\n")).toEqual([["error", "control-character", 1, 2]]);
  });

  it("rejects every bidirectional control, the marks U+200E, U+200F and U+061C included", () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      expect(codes(`title: a${String.fromCodePoint(cp)}b`), describeCodePoint(cp)).toEqual([["error", "bidi-control", 1, 9]]);
    }
    expect(scanText("\u202e")[0]!.message).toContain("U+202E RIGHT-TO-LEFT OVERRIDE");
  });

  it("rejects characters that hide text or break line counts, and warns about zero-width ones", () => {
    expect(codes("a\u2028b")).toEqual([["error", "invisible-character", 1, 2]]);
    expect(codes("a\ufeffb")).toEqual([["error", "invisible-character", 1, 2]]);
    expect(codes("a\u{e0041}\u{e0042}")).toEqual([["error", "invisible-character", 1, 2]]);
    expect(codes("a\u200bb")).toEqual([["warning", "invisible-character", 1, 2]]);
    expect(codes("a\u200db")).toEqual([["warning", "invisible-character", 1, 2]]); // not between emoji
    expect(codes("a\u00adb")).toEqual([["warning", "invisible-character", 1, 2]]);
    expect(codes("a\ufffdb")).toEqual([["warning", "replacement-character", 1, 2]]);
    expect(scanText("a\ufffdb", { ignoreReplacement: true })).toEqual([]);
  });

  it("reports each line once, an error before a warning on it, and stops after a few lines", () => {
    expect(codes("a\u200b b\u202e c\u0000\n")).toEqual([["error", "bidi-control", 1, 5]]);
    const many = Array.from({ length: MAX_REPORTED_LINES + 5 }, (_, i) => `line ${i}\u0000`).join("\n");
    const problems = scanText(many);
    expect(problems).toHaveLength(MAX_REPORTED_LINES);
    expect(problems.map((p) => p.line)).toEqual(Array.from({ length: MAX_REPORTED_LINES }, (_, i) => i + 1));
    expect(problems.at(-1)!.message).toContain("5 more lines");
  });

  it("finds the first unsafe character of a parsed string, leaving out those already reported", () => {
    expect(firstUnsafeCharacter("plain")).toBeNull();
    expect(firstUnsafeCharacter("a\u200bb\u202ec")).toMatchObject({ index: 1, codePoint: 0x200b });
    expect(firstUnsafeCharacter("a\u200bb\u202ec", new Set([0x200b]))).toMatchObject({ index: 3, codePoint: 0x202e });
  });
});
