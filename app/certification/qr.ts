/**
 * QR codes for a certificate's public verification URL.
 *
 * The encoding itself (Reed–Solomon, masking, version choice) is the `qrcode` library's; this module
 * only turns its module matrix into what the pages need: an SVG string for the HTML certificate (prints
 * crisply at any size) and a plain boolean matrix that the PDF renderer draws as vector squares.
 */
import QRCode from "qrcode";

/** Error correction "M" (15 %): survives a crease or a smudge on a printed page without growing the code much. */
export const QR_ERROR_CORRECTION = "M" as const;

/** The quiet zone the QR standard asks for around the symbol, in modules. */
export const QR_QUIET_ZONE = 4;

export type QrMatrix = {
  /** Modules per side (21 for version 1, +4 per version). */
  size: number;
  /** `dark[row][column]`, row 0 at the top. Quiet zone not included. */
  dark: boolean[][];
};

export function qrMatrix(text: string): QrMatrix {
  if (text.length === 0) throw new Error("A QR code needs some text to encode");
  const { modules } = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const dark: boolean[][] = [];
  for (let row = 0; row < modules.size; row++) {
    const line: boolean[] = [];
    for (let col = 0; col < modules.size; col++) line.push(Boolean(modules.get(row, col)));
    dark.push(line);
  }
  return { size: modules.size, dark };
}

/**
 * Horizontal runs of dark modules, `[row, startColumn, length]`: drawing runs instead of single modules
 * keeps the SVG and the PDF small and avoids hairline seams between neighbouring squares.
 */
export function darkRuns(matrix: QrMatrix): Array<[row: number, col: number, length: number]> {
  const runs: Array<[number, number, number]> = [];
  matrix.dark.forEach((line, row) => {
    let start = -1;
    for (let col = 0; col <= line.length; col++) {
      const isDark = col < line.length && line[col];
      if (isDark && start < 0) start = col;
      if (!isDark && start >= 0) {
        runs.push([row, start, col - start]);
        start = -1;
      }
    }
  });
  return runs;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The QR code as a standalone SVG element, scaled by its container (set a width in CSS). One module is
 * one user unit; the quiet zone is included and painted white so the code scans on any background.
 * `label` becomes the accessible name (`<title>` and `aria-label`).
 */
export function qrSvg(text: string, options: { label?: string } = {}): string {
  const matrix = qrMatrix(text);
  const side = matrix.size + 2 * QR_QUIET_ZONE;
  const path = darkRuns(matrix)
    .map(([row, col, length]) => `M${col + QR_QUIET_ZONE} ${row + QR_QUIET_ZONE}h${length}v1h-${length}z`)
    .join("");
  const label = options.label === undefined ? "" : escapeXml(options.label);
  const a11y = label ? ` role="img" aria-label="${label}"` : ` aria-hidden="true"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges"${a11y}>` +
    (label ? `<title>${label}</title>` : "") +
    `<rect width="${side}" height="${side}" fill="#fff"/>` +
    `<path fill="#000" d="${path}"/>` +
    `</svg>`
  );
}
