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

describe("locale files", () => {
  it("have the same keys in English and Japanese", () => {
    expect([...jaKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys.keys()].filter((k) => !jaKeys.has(k))).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    for (const [key, value] of enKeys) {
      expect(placeholders(jaKeys.get(key) ?? ""), key).toEqual(placeholders(value));
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
