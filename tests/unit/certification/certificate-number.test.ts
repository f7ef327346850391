import { describe, expect, it } from "vitest";
import {
  VERIFICATION_CODE_BYTES,
  certificateYear,
  decodeVerificationCode,
  encodeVerificationCode,
  formatCertificateNumber,
  generateVerificationCode,
  parseCertificateNumber,
  parseVerificationCode,
} from "~/certification/certificate-number";
import { createRandom } from "~/assessment/random";

const CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/;
const bytesFrom = (seed: string) => {
  const r = createRandom(seed);
  return Uint8Array.from({ length: VERIFICATION_CODE_BYTES }, () => r.int(256));
};

describe("certificate numbers", () => {
  it("are the prefix, the year and a six-digit sequence", () => {
    expect(formatCertificateNumber(2026, 123)).toBe("MNB-2026-000123");
    expect(formatCertificateNumber(2026, 1)).toBe("MNB-2026-000001");
  });

  it("grow past six digits instead of wrapping", () => {
    expect(formatCertificateNumber(2026, 1_234_567)).toBe("MNB-2026-1234567");
  });

  it("refuse a sequence below 1 or a year that is not four digits", () => {
    expect(() => formatCertificateNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatCertificateNumber(2026, 1.5)).toThrow(RangeError);
    expect(() => formatCertificateNumber(26, 1)).toThrow(RangeError);
  });

  it("are numbered under the Tokyo year of the pass", () => {
    expect(certificateYear(new Date("2026-12-31T15:30:00Z"))).toBe(2027);
    expect(certificateYear(new Date("2026-12-31T14:59:59Z"))).toBe(2026);
  });

  it("read back what was printed, in any case and with spaces around", () => {
    expect(parseCertificateNumber(" mnb-2026-000123 ")).toEqual({ year: 2026, sequence: 123, number: "MNB-2026-000123" });
    expect(parseCertificateNumber("MNB-2026-1234567")).toMatchObject({ sequence: 1_234_567 });
  });

  it("reject anything we do not print", () => {
    for (const bad of ["", "MNB-2026-123", "MNB-2026-0000123", "MNB-2026-000000", "ABC-2026-000123", "MNB 2026 000123", "MNB-1999-000001", "MNB-2026-000123x", "MNB-2026-00012３"]) {
      expect(parseCertificateNumber(bad), bad).toBeNull();
    }
  });
});

describe("verification codes", () => {
  it("encode 160 bits as eight groups of four Crockford base32 symbols", () => {
    const code = encodeVerificationCode(bytesFrom("x"));
    expect(code).toMatch(CODE);
  });

  it("encode known bytes to known symbols (Crockford's alphabet, big-endian bits)", () => {
    expect(encodeVerificationCode(new Uint8Array(20))).toBe("0000-0000-0000-0000-0000-0000-0000-0000");
    expect(encodeVerificationCode(new Uint8Array(20).fill(0xff))).toBe("ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
    // 0x00 0x44 0x32 0x14 0xc7 = 00000000 01000100 00110010 00010100 11000111 = 00000 00001 00010 … 00111 → 0 1 2 … 7
    const bytes = new Uint8Array(20);
    bytes.set([0x00, 0x44, 0x32, 0x14, 0xc7]);
    expect(encodeVerificationCode(bytes).slice(0, 9)).toBe("0123-4567");
    // Values 16–31 skip I, L, O and U: 10000 10001 … 11111 = 0x84 0x65 0x3a 0x56 0xd7 0xc6 0x75 0xbe 0x77 0xdf
    bytes.set([0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf]);
    expect(encodeVerificationCode(bytes).slice(0, 19)).toBe("GHJK-MNPQ-RSTV-WXYZ");
  });

  it("round-trip through decoding for any bytes", () => {
    for (let i = 0; i < 200; i++) {
      const bytes = bytesFrom(`rt-${i}`);
      expect(decodeVerificationCode(encodeVerificationCode(bytes))).toEqual(bytes);
    }
  });

  it("refuse to encode anything but 20 bytes", () => {
    expect(() => encodeVerificationCode(new Uint8Array(16))).toThrow(RangeError);
  });

  it("are generated from the cryptographic source, 20 bytes at a time", () => {
    const asked: number[] = [];
    const code = generateVerificationCode((n) => {
      asked.push(n);
      return new Uint8Array(n).fill(0xff);
    });
    expect(asked).toEqual([20]);
    expect(code).toBe("ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
    expect(generateVerificationCode()).toMatch(CODE);
    expect(generateVerificationCode()).not.toBe(generateVerificationCode());
  });

  it("parse what a person types: lower case, other spacing, O for 0 and I or L for 1", () => {
    const code = encodeVerificationCode(bytesFrom("typed"));
    expect(parseVerificationCode(code)).toEqual({ ok: true, code });
    expect(parseVerificationCode(` ${code.toLowerCase().replace(/-/g, " ")} `)).toEqual({ ok: true, code });
    expect(parseVerificationCode(code.replace(/-/g, ""))).toEqual({ ok: true, code });
    expect(parseVerificationCode("o1il-0000-0000-0000-0000-0000-0000-0000")).toEqual({ ok: true, code: "0111-0000-0000-0000-0000-0000-0000-0000" });
  });

  it("reject codes of the wrong length before any look-up", () => {
    const code = encodeVerificationCode(bytesFrom("len"));
    expect(parseVerificationCode(code.slice(0, -1))).toEqual({ ok: false, reason: "length" });
    expect(parseVerificationCode(`${code}0`)).toEqual({ ok: false, reason: "length" });
    expect(parseVerificationCode("")).toEqual({ ok: false, reason: "length" });
    expect(parseVerificationCode("0".repeat(10_000))).toEqual({ ok: false, reason: "length" });
  });

  it("reject characters outside the alphabet, U included", () => {
    for (const bad of ["U", "!", "_", "é", "０", "/", "."]) {
      const code = `${bad}000-0000-0000-0000-0000-0000-0000-0000`;
      expect(parseVerificationCode(code), bad).toEqual({ ok: false, reason: "character" });
    }
    expect(decodeVerificationCode("not a code")).toBeNull();
  });
});
