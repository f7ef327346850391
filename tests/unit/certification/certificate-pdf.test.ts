import jsQR from "jsqr";
import { PDFDict, PDFDocument, PDFName, PDFString, PDFHexString } from "pdf-lib";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  A4_LANDSCAPE,
  renderCertificatePdf,
  wrapBalanced,
  wrapText,
  type CertificatePdfView,
} from "~/certification/certificate-pdf.server";

// Count font file reads while still reading the real files.
vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:fs/promises")>();
  return { ...original, readFile: vi.fn(original.readFile) };
});

const verifyUrl = "https://manabi.example.co.jp/verify/Q7m2kX9vT4pL8wRzN3cB";

const japanese: CertificatePdfView = {
  certificateNumber: "MNB-2026-000123",
  holderName: "髙﨑 花子①",
  trackTitle: "生成AI活用基礎",
  // 01:30 on 30 November in Tokyo, still 29 November in UTC: the page must show the Tokyo day.
  passedAt: new Date("2026-11-29T16:30:00Z"),
  validUntil: new Date("2027-11-30T14:59:59.999Z"),
  status: "valid",
  issuerName: "学びAI推進センター",
  verifyUrl,
};

const english: CertificatePdfView = {
  ...japanese,
  holderName: "Hanako Takasaki",
  trackTitle: "Generative AI Foundations",
  issuerName: "Manabi AI Center of Excellence",
};

async function open(bytes: Uint8Array) {
  return pdfjs.getDocument({ data: bytes.slice(), disableFontFace: true, verbosity: 0 }).promise;
}

/** The page's text as a reader extracts it (through the embedded fonts' ToUnicode maps). */
async function extractText(bytes: Uint8Array): Promise<string[]> {
  const page = await (await open(bytes)).getPage(1);
  const content = await page.getTextContent();
  return content.items.map((item) => ("str" in item ? item.str : "")).filter((s) => s.trim() !== "");
}

/** Renders the page like a printer or screen would and reads the QR code off the pixels. */
async function scanQrCode(bytes: Uint8Array): Promise<string | undefined> {
  const doc = await open(bytes);
  const page = await doc.getPage(1);
  const viewport = page.getViewport({ scale: 2 });
  const { context } = (doc as unknown as { canvasFactory: { create(w: number, h: number): { context: CanvasRenderingContext2D } } })
    .canvasFactory.create(viewport.width, viewport.height);
  await page.render({ canvasContext: context, viewport }).promise;
  const image = context.getImageData(0, 0, viewport.width, viewport.height);
  return jsQR(image.data, image.width, image.height)?.data;
}

let jaPdf: Uint8Array;
let enPdf: Uint8Array;

beforeAll(async () => {
  const started = performance.now();
  jaPdf = await renderCertificatePdf(japanese, "ja");
  const jaMs = performance.now() - started;
  enPdf = await renderCertificatePdf(english, "en");
  const enMs = performance.now() - started - jaMs;
  console.info(`certificate PDF: ja ${jaPdf.length} bytes in ${jaMs.toFixed(0)} ms (cold), en ${enPdf.length} bytes in ${enMs.toFixed(0)} ms`);
}, 30_000);

describe("certificate PDF", () => {
  it("is exactly one A4 page that parses", async () => {
    for (const bytes of [jaPdf, enPdf]) {
      const pdf = await PDFDocument.load(bytes);
      expect(pdf.getPageCount()).toBe(1);
      const { width, height } = pdf.getPage(0).getSize();
      expect(width).toBeCloseTo(A4_LANDSCAPE.width, 1);
      expect(height).toBeCloseTo(A4_LANDSCAPE.height, 1);
      expect(Math.max(width, height)).toBeCloseTo(841.89, 1); // 297 mm
      expect(Math.min(width, height)).toBeCloseTo(595.28, 1); // 210 mm
    }
  });

  it("embeds the Japanese text so that 髙, 﨑 and ① come back out exactly", async () => {
    const text = await extractText(jaPdf);
    expect(text).toContain("髙﨑 花子① 様");
    expect(text).toContain("生成AI活用基礎");
    expect(text).toContain("認定番号");
    expect(text).toContain("MNB-2026-000123");
    expect(text).toContain(verifyUrl);
  });

  it("prints the dates in the document's language on the Tokyo calendar", async () => {
    const ja = await extractText(jaPdf);
    expect(ja).toContain("2026年11月30日");
    expect(ja).toContain("2027年11月30日");
    const en = await extractText(enPdf);
    expect(en).toEqual(expect.arrayContaining(["Hanako Takasaki", "Generative AI Foundations", "30 November 2026", "30 November 2027", "Valid until"]));
    expect(en.join(" ")).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it("has a QR code that scans to the verification URL", async () => {
    expect(await scanQrCode(jaPdf)).toBe(verifyUrl);
    expect(await scanQrCode(enPdf)).toBe(verifyUrl);
  }, 30_000);

  it("names its title and language in the document metadata", async () => {
    const ja = await PDFDocument.load(jaPdf);
    expect(ja.getTitle()).toBe("生成AI活用基礎 認定証 – 髙﨑 花子①");
    expect(ja.getAuthor()).toBe("学びAI推進センター");
    const lang = (pdf: PDFDocument) => {
      const value = pdf.catalog.get(PDFName.of("Lang"));
      return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
    };
    expect(lang(ja)).toBe("ja-JP");
    expect(lang(await PDFDocument.load(enPdf))).toBe("en-GB");
  });

  it("carries its own subset fonts rather than the whole 5 MB font or none", async () => {
    const pdf = await PDFDocument.load(jaPdf);
    const fontFiles = pdf.context
      .enumerateIndirectObjects()
      .filter(([, object]) => object instanceof PDFDict && object.has(PDFName.of("FontFile2")));
    expect(fontFiles).toHaveLength(2); // regular and bold
    expect(jaPdf.length).toBeLessThan(120_000);
  });

  it("reads each font file from disk once per process, however many documents it renders", async () => {
    await renderCertificatePdf({ ...japanese, holderName: "新しい 名前" }, "ja");
    await renderCertificatePdf({ ...english, holderName: "Another Name" }, "en");
    const fontReads = vi.mocked(readFile).mock.calls.filter(([path]) => String(path).endsWith(".ttf"));
    expect(fontReads.map(([path]) => String(path).split("/").pop()).sort()).toEqual([
      "NotoSansJP_400Regular.ttf",
      "NotoSansJP_700Bold.ttf",
    ]);
  });

  it("marks an expired or revoked certificate across the page, and a valid one not", async () => {
    const revoked = await extractText(await renderCertificatePdf({ ...japanese, status: "revoked" }, "ja"));
    expect(revoked).toContain("取り消し済み");
    const expired = await extractText(await renderCertificatePdf({ ...english, status: "expired" }, "en"));
    expect(expired).toContain("EXPIRED");
    const valid = (await extractText(jaPdf)).join("");
    expect(valid).not.toContain("取り消し済み");
    expect(valid).not.toContain("有効期限切れ");
  });

  it("keeps a long track title on the page, whole", async () => {
    const trackTitle = "生成AIの安全な業務利用と情報セキュリティ・著作権の実務（上級）";
    const text = (await extractText(await renderCertificatePdf({ ...japanese, trackTitle }, "ja"))).join("");
    expect(text).toContain("生成AIの安全な業務利用と");
    expect(text).toContain("情報セキュリティ・著作権の実務（上級）");
  });
});

describe("line breaking on the certificate", () => {
  const width = (s: string) => [...s].length * 10;

  it("breaks Japanese between phrases, never inside one", () => {
    const lines = wrapText("生成AIの安全な業務利用と情報セキュリティ・著作権の実務（上級）", 160, width);
    expect(lines.join("")).toBe("生成AIの安全な業務利用と情報セキュリティ・著作権の実務（上級）");
    for (const line of lines) expect(width(line)).toBeLessThanOrEqual(160);
    expect(lines.some((line) => line.startsWith("務") || line.startsWith("級") || line.startsWith("）"))).toBe(false);
  });

  it("breaks English between words", () => {
    expect(wrapText("has passed the certification exam for", 200, width)).toEqual(["has passed the", "certification exam", "for"]);
  });

  it("balances lines instead of leaving one word alone", () => {
    expect(wrapBalanced("has passed the certification exam for", 300, width)).toEqual([
      "has passed the",
      "certification exam for",
    ]);
  });

  it("splits a unit that is wider than the line between characters", () => {
    expect(wrapText("https://example.com/verify/abcdef", 100, width)).toEqual(["https://ex", "ample.com/", "verify/abc", "def"]);
  });
});
