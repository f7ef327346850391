/**
 * CSV for Excel: UTF-8 with a BOM (so Excel on Japanese Windows does not read it as Shift_JIS), CRLF
 * line ends, every cell that a spreadsheet would take for a formula neutralised, and rows streamed
 * from an async iterable a batch at a time, so a 50,000-row export runs in flat memory. Pure: web
 * streams and csv-stringify only.
 */
import { stringify } from "csv-stringify/sync";

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/u;

/**
 * A text cell Excel or LibreOffice would run as a formula (=, +, -, @, tab or CR first) gets a leading
 * apostrophe, which spreadsheets show as text; finite numbers are written as they are. The org import removes it again (round trip).
 */
export function neutraliseCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  // A number is never a formula: a negative figure (a correlation of -0.19) stays a number in the sheet.
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse for an importer: a leading apostrophe before a formula character is dropped. */
export function restoreCell(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

export const UTF8_BOM = "\ufeff";

/** Rows (already neutralised) as CSV text with CRLF line ends. */
export function csvLines(rows: readonly (readonly CsvCell[])[]): string {
  return stringify(
    rows.map((row) => row.map(neutraliseCell)),
    // csv-stringify quotes the record delimiter (CRLF) but not a lone LF or CR; a value holding one must be quoted too.
    { record_delimiter: "\r\n", quoted_match: /[\r\n]/u, eof: true },
  );
}

/**
 * A byte stream of a CSV file: BOM, header, then the rows as the iterable yields them, encoded in
 * batches of `batchSize` rows; reading pauses while the consumer is slow (pull-based), and closing the
 * stream early (a cancelled download) ends the iterable, so its `finally` runs.
 */
export function csvStream(header: readonly string[], rows: AsyncIterable<readonly CsvCell[]>, batchSize = 500): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = rows[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(UTF8_BOM + csvLines([header])));
          return;
        }
        const batch: (readonly CsvCell[])[] = [];
        while (batch.length < batchSize) {
          const next = await iterator.next();
          if (next.done) {
            if (batch.length) controller.enqueue(encoder.encode(csvLines(batch)));
            controller.close();
            return;
          }
          batch.push(next.value);
        }
        controller.enqueue(encoder.encode(csvLines(batch)));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
