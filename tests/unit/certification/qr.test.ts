import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { darkRuns, qrMatrix, qrSvg, QR_QUIET_ZONE, type QrMatrix } from "~/certification/qr";

const url = "https://manabi.example.co.jp/verify/Q7m2kX9vT4pL8wRzN3cB";

/** Paints a matrix (with quiet zone) into RGBA pixels, `scale` pixels per module, as a camera would see it. */
function rasterize(matrix: QrMatrix, scale = 4) {
  const side = (matrix.size + 2 * QR_QUIET_ZONE) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / scale) - QR_QUIET_ZONE;
      const col = Math.floor(x / scale) - QR_QUIET_ZONE;
      if (matrix.dark[row]?.[col]) pixels.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return { pixels, side };
}

/** Reads the dark modules back out of the SVG path (M x y h n v1 h-n z per run). */
function modulesFromSvg(svg: string): Set<string> {
  const d = /<path[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? "";
  const dark = new Set<string>();
  for (const [, x, y, n] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(n); i++) dark.add(`${Number(y) - QR_QUIET_ZONE},${Number(x) + i - QR_QUIET_ZONE}`);
  }
  return dark;
}

describe("certificate QR code", () => {
  it("scans back to the verification URL", () => {
    const { pixels, side } = rasterize(qrMatrix(url));
    expect(jsQR(pixels, side, side)?.data).toBe(url);
  });

  it("is a square matrix of a valid QR size", () => {
    const matrix = qrMatrix(url);
    expect((matrix.size - 17) % 4).toBe(0);
    expect(matrix.dark).toHaveLength(matrix.size);
    for (const line of matrix.dark) expect(line).toHaveLength(matrix.size);
  });

  it("draws exactly the dark modules of the matrix in the SVG, inside a quiet zone", () => {
    const matrix = qrMatrix(url);
    const svg = qrSvg(url, { label: "Verify this certificate" });
    const expected = new Set<string>();
    matrix.dark.forEach((line, r) => line.forEach((dark, c) => dark && expected.add(`${r},${c}`)));
    expect(modulesFromSvg(svg)).toEqual(expected);
    const side = matrix.size + 2 * QR_QUIET_ZONE;
    expect(svg).toContain(`viewBox="0 0 ${side} ${side}"`);
  });

  it("merges neighbouring dark modules into runs", () => {
    const matrix: QrMatrix = { size: 3, dark: [[true, true, false], [false, false, false], [true, false, true]] };
    expect(darkRuns(matrix)).toEqual([[0, 0, 2], [2, 0, 1], [2, 2, 1]]);
  });

  it("gives the SVG an accessible name and escapes it", () => {
    const svg = qrSvg(url, { label: `"確認" <用> & more` });
    expect(svg).toContain('role="img"');
    expect(svg).toContain("<title>&quot;確認&quot; &lt;用&gt; &amp; more</title>");
    expect(qrSvg(url)).toContain('aria-hidden="true"');
  });

  it("refuses to encode nothing", () => {
    expect(() => qrMatrix("")).toThrow();
  });
});
