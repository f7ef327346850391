import { describe, expect, it } from "vitest";
import { decodeImportFile, firstInvalidRow } from "~/org/import/decode";

const ascii = (s: string) => Buffer.from(s, "latin1");
const HEADER = "employee_number,family_name,given_name,email\r\n";

// CP932 bytes as Excel on Japanese Windows writes them: 髙 FBFC (IBM extension), 﨑 FAB1, ① 8740 (NEC row 13), 山 8E52, 田 9363.
const TAKA = [0xfb, 0xfc];
const SAKI = [0xfa, 0xb1];
const CIRCLED_ONE = [0x87, 0x40];
const YAMA = [0x8e, 0x52];
const TA = [0x93, 0x63];

describe("decoding an organisation file", () => {
  it("reads UTF-8 with a BOM and drops the BOM", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}001,髙橋,花子,h@example.com\r\n`, "utf8")]);
    const result = decodeImportFile(bytes);
    expect(result).toMatchObject({ ok: true, encoding: "utf-8", bom: true });
    if (result.ok) expect(result.text.startsWith("employee_number")).toBe(true);
  });

  it("reads UTF-8 without a BOM", () => {
    const result = decodeImportFile(Buffer.from(`${HEADER}001,山田,太郎,t@example.com\n`, "utf8"));
    expect(result).toMatchObject({ ok: true, encoding: "utf-8", bom: false });
  });

  it("detects Shift_JIS as Excel writes it, CP932 extensions included (髙, 﨑, ①)", () => {
    const bytes = Buffer.concat([ascii(HEADER), ascii("001,"), Buffer.from([...TAKA, ...SAKI]), ascii(","), Buffer.from(CIRCLED_ONE), ascii(",t@example.com\r\n")]);
    const result = decodeImportFile(bytes);
    expect(result).toMatchObject({ ok: true, encoding: "shift_jis" });
    if (result.ok) expect(result.text).toContain("001,髙﨑,①,t@example.com");
  });

  it("decodes Shift_JIS when it is chosen explicitly", () => {
    const bytes = Buffer.concat([ascii(HEADER), ascii("001,"), Buffer.from([...YAMA, ...TA]), ascii(",x,y@example.com\r\n")]);
    const result = decodeImportFile(bytes, "shift_jis");
    expect(result).toMatchObject({ ok: true, encoding: "shift_jis" });
    if (result.ok) expect(result.text).toContain("山田");
  });

  it("refuses invalid bytes with the row they are on, never replacement characters", () => {
    // Row 3 holds 0x82 followed by 0xFF: invalid in both UTF-8 and CP932.
    const bytes = Buffer.concat([ascii(HEADER), ascii("001,a,b,a@example.com\r\n"), ascii("002,"), Buffer.from([0x82, 0xff]), ascii(",b,b@example.com\r\n")]);
    const result = decodeImportFile(bytes);
    expect(result).toEqual({ ok: false, problem: "invalidBytes", encoding: "shift_jis", row: 3 });
  });

  it("counts a quoted value spanning lines as one row when naming the bad row", () => {
    const bytes = Buffer.concat([
      ascii(HEADER),
      ascii('001,"multi\r\nline",b,a@example.com\r\n'),
      ascii("002,"),
      Buffer.from([0xff]),
      ascii(",b,b@example.com\r\n"),
    ]);
    expect(firstInvalidRow(bytes, "utf-8")).toBe(3);
    expect(decodeImportFile(bytes, "utf-8")).toEqual({ ok: false, problem: "invalidBytes", encoding: "utf-8", row: 3 });
  });

  it("names the row when a UTF-8 file chosen as UTF-8 holds Shift_JIS bytes", () => {
    const bytes = Buffer.concat([ascii(HEADER), ascii("001,"), Buffer.from([...YAMA, ...TA]), ascii(",b,a@example.com\r\n")]);
    expect(decodeImportFile(bytes, "utf-8")).toEqual({ ok: false, problem: "invalidBytes", encoding: "utf-8", row: 2 });
  });

  it("refuses UTF-16 (Excel's 'Unicode text') with its own reason", () => {
    expect(decodeImportFile(Buffer.from([0xff, 0xfe, 0x65, 0x00]))).toEqual({ ok: false, problem: "utf16" });
  });
});
