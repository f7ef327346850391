import { describe, expect, it } from "vitest";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const enKeys = flatten(en as Tree);
const jaKeys = flatten(ja as Tree);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

// i18next plural forms: English has "_one" and "_other", Japanese only "_other".
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, "");
const baseKeys = (keys: Map<string, string>) => new Set([...keys.keys()].map(base));
/** The Japanese text for an English key: the same key, or its "_other" form. */
const jaFor = (key: string) => jaKeys.get(key) ?? jaKeys.get(`${base(key)}_other`);

describe("locale files", () => {
  it("have the same keys in English and Japanese", () => {
    const en = baseKeys(enKeys);
    const ja = baseKeys(jaKeys);
    expect([...ja].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !ja.has(k))).toEqual([]);
  });

  it("say counted things with plural forms: _one and _other in English, _other in Japanese", () => {
    for (const key of enKeys.keys()) {
      if (!PLURAL.test(key)) continue;
      expect(enKeys.has(`${base(key)}_one`) && enKeys.has(`${base(key)}_other`), key).toBe(true);
      expect(jaKeys.has(`${base(key)}_other`), key).toBe(true);
    }
    // Japanese has no singular form: a "_one" key there (kept for key parity) says the same as "_other".
    for (const [key, value] of jaKeys) if (key.endsWith("_one")) expect(value, key).toBe(jaKeys.get(`${base(key)}_other`));
    // No "(s)" plurals and no count stuck to a plural noun in English.
    for (const [key, value] of enKeys) {
      expect(value, key).not.toMatch(/\(s\)/);
      if (!PLURAL.test(key)) expect(value, key).not.toMatch(/\{\{count\}\} (lessons|people|errors|attempts|months|questions|minutes|sessions|browsers)\b/);
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const [key, value] of enKeys) {
      expect(placeholders(jaFor(key) ?? ""), key).toEqual(placeholders(value));
    }
  });

  it("have no empty strings, and Japanese text in the Japanese file", () => {
    for (const [key, value] of [...enKeys, ...jaKeys]) expect(value.trim(), key).not.toBe("");
    const japanese = [...jaKeys.values()].filter((v) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(v));
    expect(japanese.length / jaKeys.size).toBeGreaterThan(0.8);
  });

  it("uses full-width punctuation in Japanese sentences", () => {
    for (const [key, value] of jaKeys) {
      if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(value)) expect(value, key).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff][,.]/);
    }
  });
});
