import { describe, expect, it } from "vitest";
import { languageFromAcceptLanguage } from "~/i18n/accept-language";

describe("languageFromAcceptLanguage", () => {
  const cases: [string | null | undefined, "ja" | "en" | null][] = [
    ["ja,en-US;q=0.9,en;q=0.8", "ja"],
    ["en-US,en;q=0.9", "en"],
    ["en-US,en;q=0.9,ja;q=0.8", "en"],
    ["EN-gb", "en"],
    ["ja-JP", "ja"],
    // The browser's first choice is not offered: its next one that is.
    ["fr-FR,en;q=0.5", "en"],
    ["de-DE,de;q=0.9,ja;q=0.3,en;q=0.2", "ja"],
    ["zh-Hant-TW,en;q=0.7", "en"],
    // q-values decide, not the order; on a tie the order does.
    ["en;q=0.4,ja;q=0.8", "ja"],
    ["en, ja", "en"],
    ["ja ; q=0.5 , en ; q=0.5", "ja"],
    // q=0 refuses a language, also after a wildcard.
    ["ja;q=0,en;q=0.1", "en"],
    ["*;q=0.5,en;q=0", "ja"],
    ["*", "ja"],
    ["en;q=0,ja;q=0", null],
    // Nothing offered, nothing at all, or junk: no answer (the caller falls back to Japanese).
    ["de-DE", null],
    ["", null],
    [null, null],
    [undefined, null],
    ["<script>", null],
    [";;;,,,q=1", null],
    ["en;q=2", "en"],
    ["en;q=abc", null],
  ];
  for (const [header, language] of cases) {
    it(`${JSON.stringify(header)} → ${language}`, () => {
      expect(languageFromAcceptLanguage(header)).toBe(language);
    });
  }

  it("reads a long header without giving up on its first ranges", () => {
    expect(languageFromAcceptLanguage(["en", ...Array.from({ length: 500 }, (_, i) => `x${i}`)].join(","))).toBe("en");
  });
});
