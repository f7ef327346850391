/**
 * Explanations and hints must not point at options by letter: the exam and the knowledge checks show
 * options without letters, and shuffle them, so "(b)" or 「選択肢c」 names nothing the reader can see.
 * Pure: used by the content checker.
 */
const PATTERNS: RegExp[] = [
  /(?<![A-Za-z0-9])\(([a-e])\)/g, // (b)
  /（([a-eａ-ｅ])）/g, // （b）
  /\b[Oo]ptions?\s+([a-e])\b(?:\s*(?:,|and|or)\s*[a-e]\b)*/g, // Option d, Options b, c and d
  /選択肢\s*([a-eａ-ｅA-EＡ-Ｅ])(?![a-zA-Z])/g, // 選択肢c
  /(?<![A-Za-z0-9])([a-e])\s*(?:の選択肢|は誤り|は正しい)/g, // c は誤り
];

/** The letter citations in a text, as written, in order of appearance. */
export function optionLetterCitations(text: string): string[] {
  const found: { index: number; text: string }[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) found.push({ index: match.index ?? 0, text: match[0] });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.text);
}
