/**
 * Terminology that cannot drift: content/terminology.yaml names, for each concept, the preferred
 * Japanese and English term and the variants to avoid. `findVariants` finds every avoided variant in a
 * piece of text. Pure: no file system (load.server.ts reads the file and turns hits into warnings).
 *
 * Matching rules (documented for authors in docs/content-format.md and at the top of the YAML):
 * - Japanese variants match as substrings, English ones as whole words, case-insensitively.
 * - A variant inside a longer preferred term, or inside an `allow` phrase, is not a hit: 法務部 does not
 *   match in 法務部門, コンピュータ not in コンピューター.
 * - A variant ending in katakana matches only where the katakana word ends there: フィルタ matches in
 *   フィルタを and in ハイパーパラメータ数, not in フィルタリング (the next character is katakana or ー).
 */
import { z } from "zod";
import type { Language } from "~/content/types";

const term = z.string({ invalid_type_error: "must be text" }).trim().min(1, "must not be empty");
const variants = z.array(term).default([]);

export const terminologyConceptSchema = z
  .object({
    id: z.string({ invalid_type_error: "must be text" }).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lower-case kebab-case id"),
    preferred: z.object({ en: term.optional(), ja: term.optional() }).strict(),
    avoid: z.object({ en: variants, ja: variants }).strict().partial(),
    /** Longer phrases that contain a variant and are correct as they are (e.g. a proper name). */
    allow: z.object({ en: variants, ja: variants }).strict().partial().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((concept, ctx) => {
    for (const lang of ["en", "ja"] as const) {
      const avoid = concept.avoid[lang] ?? [];
      if (avoid.length > 0 && !concept.preferred[lang])
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["preferred", lang], message: `must name the preferred ${lang} term when ${lang} variants are avoided` });
      avoid.forEach((variant, index) => {
        if (variant === concept.preferred[lang])
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["avoid", lang, index], message: "is the preferred term itself" });
      });
    }
    if ((concept.avoid.en ?? []).length + (concept.avoid.ja ?? []).length === 0)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["avoid"], message: "must list at least one variant to avoid" });
  });

export const terminologyFileSchema = z.object({ concepts: z.array(terminologyConceptSchema) }).strict();
export type TerminologyConcept = z.infer<typeof terminologyConceptSchema>;

export type VariantHit = {
  /** Offset of the variant in the text (UTF-16 code units). */
  index: number;
  /** The variant as written in the text. */
  found: string;
  preferred: string;
  concept: string;
};

type Rule = { concept: string; variant: string; preferred: string; shields: string[] };
export type Terminology = Record<Language, Rule[]>;

/** The matcher for a validated file: per language, each variant with the phrases that shield it. */
export function compileTerminology(concepts: readonly TerminologyConcept[]): Terminology {
  const out: Terminology = { en: [], ja: [] };
  for (const lang of ["en", "ja"] as const) {
    const preferredTerms = concepts.flatMap((c) => (c.preferred[lang] ? [c.preferred[lang]!] : []));
    for (const concept of concepts) {
      const allowed = concept.allow?.[lang] ?? [];
      for (const variant of concept.avoid[lang] ?? []) {
        const fold = (s: string) => (lang === "en" ? s.toLowerCase() : s);
        const shields = [...preferredTerms, ...allowed].filter((p) => p.length > variant.length && fold(p).includes(fold(variant)));
        out[lang].push({ concept: concept.id, variant, preferred: concept.preferred[lang]!, shields });
      }
    }
  }
  return out;
}

const KATAKANA = /[\u30A1-\u30FA\u30FC-\u30FF\uFF66-\uFF9F]/;
const WORD = /[\p{L}\p{N}]/u;

/** Every avoided variant in `text`, in order of appearance. */
export function findVariants(text: string, lang: Language, terminology: Terminology): VariantHit[] {
  const hits: VariantHit[] = [];
  const haystack = lang === "en" ? text.toLowerCase() : text;
  for (const rule of terminology[lang]) {
    const needle = lang === "en" ? rule.variant.toLowerCase() : rule.variant;
    for (let index = haystack.indexOf(needle); index !== -1; index = haystack.indexOf(needle, index + 1)) {
      const before = text[index - 1] ?? "";
      const after = text[index + needle.length] ?? "";
      if (lang === "en" && (WORD.test(before) || WORD.test(after))) continue;
      if (KATAKANA.test(rule.variant.at(-1)!) && KATAKANA.test(after)) continue;
      if (rule.shields.some((shield) => isInside(haystack, index, needle, lang === "en" ? shield.toLowerCase() : shield))) continue;
      hits.push({ index, found: text.slice(index, index + needle.length), preferred: rule.preferred, concept: rule.concept });
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}

/** Whether the occurrence of `needle` at `index` lies inside an occurrence of `shield`. */
function isInside(text: string, index: number, needle: string, shield: string): boolean {
  for (let at = shield.indexOf(needle); at !== -1; at = shield.indexOf(needle, at + 1)) {
    const start = index - at;
    if (start >= 0 && text.startsWith(shield, start)) return true;
  }
  return false;
}

/** 1-based line and column (UTF-16 code units, as the checker counts) of an offset in a text. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export type LocatedHit = VariantHit & { line: number; column: number };

/** Hits in the reader's words of a lesson: the given source spans (text nodes, text props, frontmatter values). */
export function lessonVariants(source: string, spans: readonly { start: number; end: number }[], lang: Language, terminology: Terminology): LocatedHit[] {
  const out: LocatedHit[] = [];
  const seen = new Set<number>();
  for (const span of spans) {
    for (const hit of findVariants(source.slice(span.start, span.end), lang, terminology)) {
      const offset = span.start + hit.index;
      if (seen.has(offset)) continue;
      seen.add(offset);
      out.push({ ...hit, index: offset, ...positionAt(source, offset) });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

type YamlLocate = (path: (string | number)[], target?: "key" | "value") => { line: number; column: number };

/**
 * Hits in every localized string of a parsed YAML file (a value under an `en` or `ja` key), placed at
 * the variant itself in the file when it can be found there, else at the start of the value.
 */
export function yamlVariants(raw: unknown, text: string, locate: YamlLocate, terminology: Terminology): LocatedHit[] {
  const out: LocatedHit[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const walk = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    else if (typeof value === "string") {
      const lang = path.at(-1);
      if (lang !== "en" && lang !== "ja") return;
      const hits = findVariants(value, lang, terminology);
      if (hits.length === 0) return;
      const at = locate(path);
      const valueStart = (lineStarts[at.line - 1] ?? 0) + at.column - 1;
      const source = lang === "en" ? text.toLowerCase() : text;
      const limit = valueStart + value.length * 2 + 200;
      for (const hit of hits) {
        const needle = lang === "en" ? hit.found.toLowerCase() : hit.found;
        // The how-many-th occurrence of this spelling in the value, found again in the file.
        let nth = 0;
        for (let i = value.indexOf(hit.found); i !== -1 && i < hit.index; i = value.indexOf(hit.found, i + 1)) nth += 1;
        let offset = source.indexOf(needle, valueStart);
        for (let n = 0; n < nth && offset !== -1; n += 1) offset = source.indexOf(needle, offset + 1);
        const where = offset !== -1 && offset < limit ? positionAt(text, offset) : at;
        out.push({ ...hit, ...where });
      }
    }
  };
  walk(raw, []);
  return out;
}
