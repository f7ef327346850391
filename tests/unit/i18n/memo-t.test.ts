import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { rememberPlainLookups } from "~/i18n/memo-t";

async function instance(lng: string) {
  const i18n = createInstance();
  await i18n.init({
    lng,
    fallbackLng: "ja",
    resources: {
      en: { translation: { title: "My learning", greet: "Hello, {{name}}", lessons_one: "{{count}} lesson", lessons_other: "{{count}} lessons", nested: { a: "A" }, onlyJa: undefined } },
      ja: { translation: { title: "マイ学習", greet: "{{name}}さん、こんにちは", lessons_other: "{{count}}件のレッスン", onlyJa: "日本語だけ" } },
    },
    interpolation: { escapeValue: false },
  });
  rememberPlainLookups(i18n);
  return i18n;
}

describe("rememberPlainLookups", () => {
  it("answers plain lookups as i18next does, the second time from memory", async () => {
    const en = await instance("en");
    const t = en.getFixedT("en");
    for (let round = 0; round < 2; round++) {
      expect(t("title")).toBe("My learning");
      expect(t("nested.a")).toBe("A");
      expect(t("missing.key")).toBe("missing.key");
      expect(t("onlyJa")).toBe("日本語だけ"); // the fallback language
      expect(en.getFixedT("en", null, "nested")("a")).toBe("A");
      expect(en.getFixedT("ja")("title")).toBe("マイ学習");
      expect(en.t("title")).toBe("My learning");
    }
  });

  it("leaves interpolation, plurals, defaults and objects to i18next every time", async () => {
    const en = await instance("en");
    const t = en.getFixedT("en");
    expect(t("greet", { name: "Sato" })).toBe("Hello, Sato");
    expect(t("greet", { name: "Tanaka" })).toBe("Hello, Tanaka");
    expect(t("lessons", { count: 1 })).toBe("1 lesson");
    expect(t("lessons", { count: 3 })).toBe("3 lessons");
    expect(t("absent", { defaultValue: "first" })).toBe("first");
    expect(t("absent", { defaultValue: "second" })).toBe("second");
    expect(t("nested", { returnObjects: true })).toEqual({ a: "A" });
    expect(t(["absent", "title"])).toBe("My learning");
    const ja = await instance("ja");
    expect(ja.getFixedT("ja")("lessons", { count: 2 })).toBe("2件のレッスン");
  });
});
