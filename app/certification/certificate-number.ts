import { tokyoDate } from "./validity";

/**
 * Certificate numbers and verification codes.
 *
 * - The certificate number is for people: `MNB-2026-000123` (the Tokyo year of the pass and a
 *   sequence per year, at least six digits). It is not secret and proves nothing on its own.
 * - The verification code is the secret printed on the certificate and in its QR code: 160 random
 *   bits from the server, written as 32 Crockford base32 symbols in eight groups of four
 *   (`7K3M-9QXD-…`). Crockford's alphabet has no I, L, O or U, so a code read aloud or retyped is
 *   hard to get wrong; the parser accepts lower case, o/i/l for 0/1/1 and any spacing, and rejects
 *   everything else before a database look-up.
 */

export const CERTIFICATE_NUMBER_PREFIX = "MNB";

export function formatCertificateNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new RangeError(`year out of range: ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a whole number ≥ 1, got ${sequence}`);
  return `${CERTIFICATE_NUMBER_PREFIX}-${year}-${String(sequence).padStart(6, "0")}`;
}

/** The year a pass is numbered under: its year on the Tokyo calendar. */
export function certificateYear(passedAt: Date): number {
  return tokyoDate(passedAt).year;
}

const NUMBER_PATTERN = /^MNB-(\d{4})-(\d{6,9})$/;

/** Reads a certificate number typed by a person (any case, surrounding spaces); null when it is not one we issue. */
export function parseCertificateNumber(input: string): { year: number; sequence: number; number: string } | null {
  if (input.length > 40) return null;
  const typed = input.trim().toUpperCase();
  const match = NUMBER_PATTERN.exec(typed);
  if (!match) return null;
  const year = Number(match[1]);
  const sequence = Number(match[2]);
  if (year < 2000 || sequence < 1) return null;
  const number = formatCertificateNumber(year, sequence);
  // Only the one spelling we print: MNB-2026-0000123 is not MNB-2026-000123.
  return number === typed ? { year, sequence, number } : null;
}

export const VERIFICATION_CODE_BYTES = 20;
const SYMBOLS = VERIFICATION_CODE_BYTES * 8 / 5; // 32
const GROUP = 4;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const DECODE = new Map<string, number>([
  ...[...ALPHABET].map((c, i) => [c, i] as [string, number]),
  ["O", 0],
  ["I", 1],
  ["L", 1],
]);

/** Encodes exactly 20 bytes (160 bits) as `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`. */
export function encodeVerificationCode(bytes: Uint8Array): string {
  if (bytes.length !== VERIFICATION_CODE_BYTES) {
    throw new RangeError(`a verification code takes ${VERIFICATION_CODE_BYTES} bytes, got ${bytes.length}`);
  }
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out.match(new RegExp(`.{${GROUP}}`, "g"))!.join("-");
}

/** A new code from a cryptographic source (Web Crypto: the same in Node 20 and browsers). */
export function generateVerificationCode(
  randomBytes: (length: number) => Uint8Array = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length)),
): string {
  return encodeVerificationCode(randomBytes(VERIFICATION_CODE_BYTES));
}

export type ParsedVerificationCode =
  | { ok: true; code: string }
  | { ok: false; reason: "length" | "character" };

/**
 * Reads a code typed, pasted or taken from a URL into its canonical form, or says why it cannot be one.
 * Spaces and hyphens are ignored; o/O → 0 and i/I/l/L → 1 (Crockford); U and other characters are rejected.
 */
export function parseVerificationCode(input: string): ParsedVerificationCode {
  if (input.length > 80) return { ok: false, reason: "length" };
  const compact = input.replace(/[\s-]+/g, "").toUpperCase();
  let canonical = "";
  for (const c of compact) {
    const value = DECODE.get(c);
    if (value === undefined) return { ok: false, reason: "character" };
    canonical += ALPHABET[value];
  }
  if (canonical.length !== SYMBOLS) return { ok: false, reason: "length" };
  return { ok: true, code: canonical.match(new RegExp(`.{${GROUP}}`, "g"))!.join("-") };
}

/** The 20 bytes behind a canonical code (for storing a hash or comparing in constant time). */
export function decodeVerificationCode(code: string): Uint8Array | null {
  const parsed = parseVerificationCode(code);
  if (!parsed.ok) return null;
  const out = new Uint8Array(VERIFICATION_CODE_BYTES);
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const c of parsed.code.replace(/-/g, "")) {
    buffer = (buffer << 5) | DECODE.get(c)!;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >>> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
