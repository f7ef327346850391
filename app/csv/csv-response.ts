/**
 * A resource route's answer for a CSV download: streamed, named in the reader's language
 * (`filename*=UTF-8''…`, with an ASCII name for old clients), never cached.
 */
import { csvStream, type CsvCell } from "./csv-writer";

/** The Content-Disposition of a download (RFC 6266 / RFC 5987). */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const safeAscii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/gu, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${safeAscii}"; filename*=UTF-8''${encoded}`;
}

export function csvResponse(input: {
  fileName: string;
  asciiFileName: string;
  header: readonly string[];
  rows: AsyncIterable<readonly CsvCell[]>;
}): Response {
  return new Response(csvStream(input.header, input.rows), {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentDisposition(input.fileName, input.asciiFileName),
      "Cache-Control": "no-store",
      // X-Content-Type-Options: nosniff comes from server.mjs on every response; set here too, it was sent twice.
    },
  });
}
