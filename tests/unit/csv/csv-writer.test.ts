import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { attachmentDisposition, csvResponse } from "~/csv/csv-response";
import { csvLines, csvStream, neutraliseCell, restoreCell } from "~/csv/csv-writer";

async function* rowsOf(n: number, seen: { count: number; finished: boolean }) {
  try {
    for (let i = 0; i < n; i++) {
      seen.count++;
      yield [String(i).padStart(6, "0"), `名前${i}`];
    }
  } finally {
    seen.finished = true;
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe("CSV for Excel", () => {
  it("starts with a UTF-8 BOM and ends every line with CRLF", async () => {
    const bytes = await readAll(csvStream(["employee_number", "name"], rowsOf(3, { count: 0, finished: false })));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text).toBe("employee_number,name\r\n000000,名前0\r\n000001,名前1\r\n000002,名前2\r\n");
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("neutralises cells starting with =, +, -, @, tab or CR, and only those", () => {
    for (const bad of ["=1+1", "+81 3", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"]) expect(neutraliseCell(bad)).toBe(`'${bad}`);
    for (const fine of ["山田", "a=b", "001002", "", "'quoted"]) expect(neutraliseCell(fine)).toBe(fine);
    expect(neutraliseCell(null)).toBe("");
    // A number (not text that looks like one) is written as a number, negative or not.
    expect(neutraliseCell(-0.186)).toBe("-0.186");
    expect(neutraliseCell(Number.NaN)).toBe("NaN");
    expect(restoreCell(neutraliseCell("=1+1"))).toBe("=1+1");
    expect(restoreCell("'quoted")).toBe("'quoted");
  });

  it("quotes commas, quotes and line breaks so a value stays one cell", () => {
    const text = csvLines([["a,b", 'say "hi"', "two\nlines", "=cmd"]]);
    expect(parse(text)).toEqual([["a,b", 'say "hi"', "two\nlines", "'=cmd"]]);
  });

  it("reads the rows only as fast as the consumer takes them (flat memory)", async () => {
    const seen = { count: 0, finished: false };
    const reader = csvStream(["n", "name"], rowsOf(100_000, seen), 500).getReader();
    await reader.read(); // BOM and header
    await reader.read(); // first batch
    expect(seen.count).toBeLessThanOrEqual(1500);
    await reader.cancel();
    expect(seen.finished).toBe(true);
    expect(seen.count).toBeLessThan(2000);
  });

  it("names the download in UTF-8 with an ASCII fallback", () => {
    expect(attachmentDisposition("社員一覧 2026-11-30.csv", "people-2026-11-30.csv")).toBe(
      "attachment; filename=\"people-2026-11-30.csv\"; filename*=UTF-8''%E7%A4%BE%E5%93%A1%E4%B8%80%E8%A6%A7%202026-11-30.csv",
    );
    expect(attachmentDisposition("x", 'a"b\\c\u00e9.csv')).toBe("attachment; filename=\"a_b_c_.csv\"; filename*=UTF-8''x");
    const response = csvResponse({ fileName: "a.csv", asciiFileName: "a.csv", header: ["h"], rows: rowsOf(0, { count: 0, finished: false }) });
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});
