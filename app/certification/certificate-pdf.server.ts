/**
 * A certificate as a one-page A4 PDF (landscape) with its Japanese text embedded, drawn on the server
 * without a browser.
 *
 * Fonts: Noto Sans JP (OFL) from the npm package @expo-google-fonts/noto-sans-jp, read once and kept in
 * memory. pdf-lib's own subsetting drops most CJK glyphs (checked: the text extracts but the page shows
 * only a few characters), so each document first subsets the font with HarfBuzz (subset-font) to exactly
 * the characters it prints, then embeds that small font whole (`subset: false`). pdf-lib writes a
 * ToUnicode map for the glyphs it uses, so the text can be searched, copied and read by screen readers.
 *
 * The QR code is drawn as vector paths (sharp at any zoom and in print) and leads to the public
 * verification page.
 */
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, degrees, rgb, type PDFFont, type PDFPage, type RGB } from "pdf-lib";
import { loadDefaultJapaneseParser } from "budoux";
import subsetFont from "subset-font";
import type { Language } from "~/i18n/config";
import { formatDate } from "~/i18n/format";
import { certificateText } from "./certificate-text";
import { darkRuns, qrMatrix } from "./qr";

export type CertificatePdfStatus = "valid" | "expired" | "revoked";

export type CertificatePdfView = {
  certificateNumber: string;
  /** Already formatted for the language (family name first in Japanese). */
  holderName: string;
  /** In the document's language. */
  trackTitle: string;
  passedAt: Date;
  validUntil: Date;
  status: CertificatePdfStatus;
  /** The issuing organisation as it should appear on the certificate. */
  issuerName: string;
  /** Public verification URL (`…/verify/<code>`), printed and encoded in the QR code. */
  verifyUrl: string;
};

// A4 landscape, in PDF points.
export const A4_LANDSCAPE = { width: 841.89, height: 595.28 } as const;

const NAVY = rgb(0.11, 0.22, 0.37);
const GOLD = rgb(0.69, 0.56, 0.33);
const INK = rgb(0.13, 0.15, 0.18);
const MUTED = rgb(0.38, 0.43, 0.5);
const RED = rgb(0.75, 0.1, 0.12);

const FONT_FILES = {
  regular: "@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf",
} as const;
type Weight = keyof typeof FONT_FILES;

const require = createRequire(import.meta.url);
const fontCache = new Map<Weight, Promise<Buffer>>();

/** The full TTF of a weight, read from disk once per process. */
function loadFont(weight: Weight): Promise<Buffer> {
  let font = fontCache.get(weight);
  if (!font) {
    font = readFile(require.resolve(FONT_FILES[weight]));
    font.catch(() => fontCache.delete(weight));
    fontCache.set(weight, font);
  }
  return font;
}

/** Every string printed on the page, by font; fixed before layout so each font is subset once. */
function pageText(view: CertificatePdfView, lang: Language) {
  const t = (key: Parameters<typeof certificateText>[1], values?: Record<string, string>) =>
    certificateText(lang, key, values);
  const stamp =
    view.status === "expired" ? t("statusExpired") : view.status === "revoked" ? t("statusRevoked") : undefined;
  return {
    issuer: view.issuerName,
    // Latin titles are set in letter-spaced capitals.
    title: lang === "en" ? t("title").toUpperCase() : t("title"),
    holder: t("holder", { name: view.holderName }),
    statement: t("statement"),
    track: view.trackTitle,
    details: [
      [t("passedOn"), formatDate(view.passedAt, lang, "long")],
      [t("validUntil"), formatDate(view.validUntil, lang, "long")],
      [t("number"), view.certificateNumber],
    ] as Array<[string, string]>,
    issuedBy: t("issuedBy"),
    verifyCaption: t("verifyCaption"),
    verifyUrl: view.verifyUrl,
    stamp,
  };
}

type Text = ReturnType<typeof pageText>;

function charactersByWeight(text: Text): Record<Weight, string> {
  const bold = [text.title, text.holder, text.track, text.issuer, ...(text.stamp ? [text.stamp] : [])].join("");
  const regular = [
    text.issuer,
    text.statement,
    ...text.details.flat(),
    text.issuedBy,
    text.verifyCaption,
    text.verifyUrl,
  ].join("");
  // The subset must hold every glyph drawn, plus a space for word wrapping.
  return { bold: `${bold} `, regular: `${regular} ` };
}

async function embedSubset(pdf: PDFDocument, weight: Weight, characters: string): Promise<PDFFont> {
  const subset = await subsetFont(await loadFont(weight), characters, {
    targetFormat: "sfnt",
    // No OpenType layout features: with them, fontkit (inside pdf-lib) substitutes glyphs that its
    // ToUnicode map then misses — digits after Latin letters came out wide-spaced and vanished from
    // the extracted text, and "fi" became a ligature that extracts as nothing. Plain cmap + advance
    // widths are what this page needs (the tests extract the text to prove it).
    keepFeatures: [],
    noLayoutClosure: true,
  } as Parameters<typeof subsetFont>[2]);
  return pdf.embedFont(subset, { subset: false });
}

// --- line breaking -----------------------------------------------------------------------------

const japanesePhrases = loadDefaultJapaneseParser();

/**
 * Break opportunities: between Japanese phrases (BudouX, the same phrase model the pages use for
 * `word-break: auto-phrase`, so 「業務利用と」 or 「（上級）」 never split) and after spaces in Latin text.
 */
function breakUnits(text: string): string[] {
  return japanesePhrases.parse(text).flatMap((phrase) => phrase.split(/(?<= )/));
}

/** Greedy line filling; a unit longer than the line is split between characters. */
export function wrapText(text: string, maxWidth: number, width: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const unit of breakUnits(text)) {
    if (width((line + unit).trimEnd()) <= maxWidth) {
      line += unit;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    line = "";
    for (const char of unit) {
      if (line && width((line + char).trimEnd()) > maxWidth) {
        lines.push(line.trimEnd());
        line = "";
      }
      line += char;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** Like `wrapText`, but as narrow as the same number of lines allows, so no line is left with one word. */
export function wrapBalanced(text: string, maxWidth: number, width: (s: string) => number): string[] {
  const lines = wrapText(text, maxWidth, width);
  if (lines.length < 2) return lines;
  let low = maxWidth / lines.length;
  let high = maxWidth;
  while (high - low > 1) {
    const mid = (low + high) / 2;
    if (wrapText(text, mid, width).length > lines.length) low = mid;
    else high = mid;
  }
  return wrapText(text, high, width);
}

// --- drawing -----------------------------------------------------------------------------------

type Draw = { font: PDFFont; size: number; color: RGB };

function drawCentered(page: PDFPage, text: string, y: number, style: Draw) {
  const width = style.font.widthOfTextAtSize(text, style.size);
  page.drawText(text, { x: (page.getWidth() - width) / 2, y, ...style });
}

/** Largest size ≤ `size` (not below `min`) at which `text` fits `maxWidth`. */
function fittedSize(font: PDFFont, text: string, size: number, min: number, maxWidth: number) {
  let s = size;
  while (s > min && font.widthOfTextAtSize(text, s) > maxWidth) s -= 0.5;
  return s;
}

/** Letter-spaced line (for the title), drawn as one text run per character. */
function drawTracked(page: PDFPage, text: string, y: number, tracking: number, style: Draw) {
  const chars = [...text];
  const widths = chars.map((c) => style.font.widthOfTextAtSize(c, style.size));
  const total = widths.reduce((a, b) => a + b, 0) + tracking * (chars.length - 1);
  let x = (page.getWidth() - total) / 2;
  chars.forEach((char, i) => {
    page.drawText(char, { x, y, ...style });
    x += widths[i]! + tracking;
  });
}

function drawQr(page: PDFPage, url: string, x: number, y: number, size: number) {
  const matrix = qrMatrix(url);
  const module = size / matrix.size;
  const path = darkRuns(matrix)
    .map(([row, col, length]) => `M${col} ${row}h${length}v1h-${length}z`)
    .join("");
  // drawSvgPath's origin is the top-left corner of the path, with y growing downwards.
  page.drawSvgPath(path, { x, y: y + size, scale: module, color: rgb(0, 0, 0), borderWidth: 0 });
}

export async function renderCertificatePdf(view: CertificatePdfView, lang: Language): Promise<Uint8Array> {
  const text = pageText(view, lang);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const characters = charactersByWeight(text);
  const [regular, bold] = await Promise.all([
    embedSubset(pdf, "regular", characters.regular),
    embedSubset(pdf, "bold", characters.bold),
  ]);

  const title = certificateText(lang, "documentTitle", { track: view.trackTitle, name: view.holderName });
  pdf.setTitle(title, { showInWindowTitleBar: true });
  pdf.setLanguage(lang === "ja" ? "ja-JP" : "en-GB");
  pdf.setAuthor(view.issuerName);
  pdf.setSubject(view.trackTitle);
  pdf.setCreator("Manabi");
  pdf.setProducer("Manabi");

  const { width: W, height: H } = A4_LANDSCAPE;
  const page = pdf.addPage([W, H]);

  // Frame: a navy rule and a fine gold rule inside it.
  page.drawRectangle({ x: 22, y: 22, width: W - 44, height: H - 44, borderColor: NAVY, borderWidth: 2.2 });
  page.drawRectangle({ x: 30, y: 30, width: W - 60, height: H - 60, borderColor: GOLD, borderWidth: 0.8 });

  // An expired or revoked certificate says so across the page, under the text so both stay legible;
  // the QR code always leads to the live status.
  if (text.stamp) {
    const size = fittedSize(bold, text.stamp, 72, 24, 520);
    const width = bold.widthOfTextAtSize(text.stamp, size);
    const angle = 18;
    const rad = (angle * Math.PI) / 180;
    page.drawText(text.stamp, {
      x: W / 2 - (width / 2) * Math.cos(rad),
      y: H / 2 - (width / 2) * Math.sin(rad) - 20,
      size,
      font: bold,
      color: RED,
      opacity: 0.28,
      rotate: degrees(angle),
    });
  }

  const contentWidth = W - 200;
  drawCentered(page, text.issuer, H - 88, { font: bold, size: fittedSize(bold, text.issuer, 11, 8, contentWidth), color: MUTED });
  drawTracked(page, text.title, H - 150, lang === "ja" ? 18 : 6, {
    font: bold,
    size: 36,
    color: NAVY,
  });
  page.drawLine({ start: { x: W / 2 - 60, y: H - 174 }, end: { x: W / 2 + 60, y: H - 174 }, thickness: 1.2, color: GOLD });

  // Holder, underlined, shrunk to fit a long name.
  const nameSize = fittedSize(bold, text.holder, 32, 16, contentWidth);
  drawCentered(page, text.holder, H - 242, { font: bold, size: nameSize, color: INK });
  const rule = Math.max(bold.widthOfTextAtSize(text.holder, nameSize) + 60, 280);
  page.drawLine({ start: { x: (W - rule) / 2, y: H - 258 }, end: { x: (W + rule) / 2, y: H - 258 }, thickness: 0.6, color: MUTED });

  drawCentered(page, text.statement, H - 298, { font: regular, size: fittedSize(regular, text.statement, 13, 9, contentWidth), color: INK });

  // Track title: up to two lines, shrinking until it fits.
  let trackSize = 24;
  let trackLines = wrapBalanced(text.track, contentWidth, (s) => bold.widthOfTextAtSize(s, trackSize));
  while (trackLines.length > 2 && trackSize > 14) {
    trackSize -= 1;
    trackLines = wrapBalanced(text.track, contentWidth, (s) => bold.widthOfTextAtSize(s, trackSize));
  }
  trackLines.slice(0, 2).forEach((line, i) => {
    drawCentered(page, line, H - 346 - i * trackSize * 1.35, { font: bold, size: trackSize, color: NAVY });
  });

  // Details, bottom left.
  const labelWidth = Math.max(...text.details.map(([label]) => regular.widthOfTextAtSize(label, 9.5)));
  text.details.forEach(([label, value], i) => {
    const y = 150 - i * 22;
    page.drawText(label, { x: 80, y, font: regular, size: 9.5, color: MUTED });
    page.drawText(value, { x: 80 + labelWidth + 18, y, font: regular, size: 11.5, color: INK });
  });

  // Issuer, bottom centre, above a signature rule.
  const issuerSize = fittedSize(bold, text.issuer, 12.5, 8, 230);
  drawCentered(page, text.issuer, 106, { font: bold, size: issuerSize, color: INK });
  page.drawLine({ start: { x: W / 2 - 120, y: 98 }, end: { x: W / 2 + 120, y: 98 }, thickness: 0.6, color: MUTED });
  drawCentered(page, text.issuedBy, 84, { font: regular, size: 9, color: MUTED });

  // QR code and where it leads, bottom right.
  const qrSize = 84;
  const qrX = W - 80 - qrSize;
  const qrY = 78;
  drawQr(page, view.verifyUrl, qrX, qrY, qrSize);
  const captionRight = qrX + qrSize;
  const captionWidth = 300;
  const captionLines = wrapBalanced(text.verifyCaption, captionWidth, (s) => regular.widthOfTextAtSize(s, 8));
  const urlSize = fittedSize(regular, text.verifyUrl, 8.5, 6, captionWidth);
  [...captionLines.map((line) => ({ line, size: 8, color: MUTED })), { line: text.verifyUrl, size: urlSize, color: NAVY }]
    .reverse()
    .forEach(({ line, size, color }, i) => {
      const width = regular.widthOfTextAtSize(line, size);
      page.drawText(line, { x: captionRight - width, y: 44 + i * 11.5, font: regular, size, color });
    });

  return pdf.save();
}
