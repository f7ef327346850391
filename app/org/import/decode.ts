/**
 * Turns the bytes of an uploaded organisation file into text. Pure: no framework, no file system.
 *
 * Excel writes CSV as UTF-8 with a BOM ("CSV UTF-8"), and on Japanese Windows as Shift_JIS, which is
 * really Windows-31J/CP932 (NEC and IBM extensions such as ①, 髙 and 﨑). The WHATWG "shift_jis"
 * decoder that Node ships is that CP932 table, and with `fatal` it refuses invalid bytes rather than
 * writing U+FFFD, so a bad byte becomes an error that names its row, never a silently broken name.
 */

export const IMPORT_ENCODINGS = ["utf-8", "shift_jis"] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

export type DecodeResult =
  | { ok: true; text: string; encoding: ImportEncoding; bom: boolean }
  | { ok: false; problem: "invalidBytes"; encoding: ImportEncoding; row: number }
  | { ok: false; problem: "utf16" };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && UTF8_BOM.every((b, i) => bytes[i] === b);
}

function tryDecode(bytes: Uint8Array, encoding: ImportEncoding): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The CSV row (header = row 1; a quoted value spanning lines stays one row) of the first byte that is
 * invalid in the encoding. Lines are split at LF, which is never part of a multi-byte character in
 * UTF-8 or Shift_JIS; a line continues the previous row while the quotes seen so far are unbalanced.
 */
export function firstInvalidRow(bytes: Uint8Array, encoding: ImportEncoding): number | null {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  let row = 1;
  let inQuotes = false;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    let line: string;
    try {
      line = decoder.decode(bytes.subarray(start, end));
    } catch {
      return row;
    }
    for (const ch of line) if (ch === '"') inQuotes = !inQuotes;
    if (!inQuotes) row++;
    start = end + 1;
  }
  return null;
}

/**
 * Decodes with the chosen encoding, or detects it: valid UTF-8 is UTF-8 (ASCII is both), anything
 * else is tried as CP932. When neither fits, the error names the encoding that read further.
 */
export function decodeImportFile(bytes: Uint8Array, chosen?: ImportEncoding): DecodeResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, problem: "utf16" };
  }
  const bom = hasUtf8Bom(bytes);
  const body = bom ? bytes.subarray(3) : bytes;
  const candidates: ImportEncoding[] = chosen ? [chosen] : bom ? ["utf-8"] : ["utf-8", "shift_jis"];
  for (const encoding of candidates) {
    const text = tryDecode(body, encoding);
    if (text !== null) return { ok: true, text, encoding, bom };
  }
  const failures = candidates.map((encoding) => ({ encoding, row: firstInvalidRow(body, encoding) ?? 1 }));
  // On a tie, Shift_JIS: a file that is not UTF-8 most likely came from Excel on Japanese Windows.
  const furthest = failures.reduce((a, b) => (b.row >= a.row ? b : a));
  return { ok: false, problem: "invalidBytes", encoding: furthest.encoding, row: furthest.row };
}
