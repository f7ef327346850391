/**
 * Japanese line breaking at phrase boundaries, for every piece of static text a page shows: lesson
 * blocks (at compile time), knowledge-check stems, options, hints and explanations, glossary pop-ups,
 * lesson titles and summaries (once per content release). BudouX finds the phrases; the CSS
 * (`word-break: keep-all`, `line-break: strict`) then breaks lines only there, and kinsoku keeps
 * 、。）」 off the start of a line. Pure: no framework, no database.
 */
import { loadDefaultJapaneseParser } from "budoux";
import { BREAK } from "~/mdx/compact";

const budoux = loadDefaultJapaneseParser();

export const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

const KANJI = /[\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
// Katakana letters and ー (not the middle dot ・, after which a line may break: 画像・｜音声).
const KATAKANA = /[\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]/;
const LATIN = /[0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/;

/**
 * Whether a line may break between two neighbouring characters that BudouX put in different phrases.
 * Never next to a space (the line can already break there), and never inside a run of kanji, of
 * katakana or of Latin letters and digits: the model sometimes splits a word at the start of a short
 * text (間|違える, 読み間|違える), and a compound such as 影響 or 個人情報 reads badly split anyway.
 */
function breakable(before: string, after: string): boolean {
  if (/\s/.test(before) || /\s/.test(after)) return false;
  for (const script of [KANJI, KATAKANA, LATIN]) if (script.test(before) && script.test(after)) return false;
  return true;
}

/** Offsets (in UTF-16 units) in `text` where a Japanese line may break between phrases. */
export function phraseBoundaries(text: string): number[] {
  if (!JAPANESE.test(text)) return [];
  const out: number[] = [];
  let offset = 0;
  for (const phrase of budoux.parse(text)) {
    if (offset > 0 && breakable(text[offset - 1]!, text[offset]!)) out.push(offset);
    offset += phrase.length;
  }
  return out;
}

/**
 * The text with BREAK (U+2063, rendered as <wbr>) at each phrase boundary; text without Japanese is
 * returned as it is. Any BREAK already in the text is dropped first, so applying it twice changes nothing.
 */
export function withPhraseBreaks(text: string): string {
  const plain = text.includes(BREAK) ? text.replaceAll(BREAK, "") : text;
  const boundaries = phraseBoundaries(plain);
  if (boundaries.length === 0) return plain;
  let out = "";
  let start = 0;
  for (const at of boundaries) {
    out += plain.slice(start, at) + BREAK;
    start = at;
  }
  return out + plain.slice(start);
}
