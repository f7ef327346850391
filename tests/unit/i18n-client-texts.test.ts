import fs from "node:fs";
import path from "node:path";
import { createInstance } from "i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ensureLanguages, languagesOfPage, LOCALE_URLS, switchLanguage } from "~/i18n/client-locale";
import ja from "~/i18n/locales/ja.json";
import { i18nOptions } from "~/i18n/settings";

/** The browser's fetch of a texts file, answered from the repository (the URLs are the source files under Vitest). */
function serveTextsFromDisk() {
  const requested: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    requested.push(url);
    const file = path.join(process.cwd(), url);
    return fs.existsSync(file) ? new Response(fs.readFileSync(file), { status: 200 }) : new Response("", { status: 404 });
  });
  return requested;
}

async function japaneseOnly() {
  const i18n = createInstance();
  await i18n.init({ ...i18nOptions, lng: "ja", resources: { ja: { common: ja } }, partialBundledLanguages: true });
  return i18n;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the texts a page loads in the browser", () => {
  it("are its own language's only, unless a matched route asks for every language", () => {
    expect(languagesOfPage("ja", [undefined, { breadcrumb: "x" }])).toEqual(["ja"]);
    expect(languagesOfPage("en", [undefined])).toEqual(["en"]);
    expect(languagesOfPage("en", [undefined, { languages: "all" }])).toEqual(["en", "ja"]);
    expect(languagesOfPage("ja", [{ languages: "all" }])).toEqual(["ja", "en"]);
  });

  it("switching language loads the other texts before the language changes, so no key is ever shown", async () => {
    const requested = serveTextsFromDisk();
    const i18n = await japaneseOnly();
    const seenWhenChanged: string[] = [];
    i18n.on("languageChanged", (lng) => seenWhenChanged.push(i18n.t("app.name") + "|" + i18n.t("nav.home")));
    await switchLanguage(i18n, "en");
    expect(i18n.language).toBe("en");
    expect(requested).toEqual([LOCALE_URLS.en]);
    expect(seenWhenChanged).toEqual(["Manabi|Home"]);
    // Back to Japanese: already held, nothing fetched.
    await switchLanguage(i18n, "ja");
    expect(i18n.t("nav.home")).toBe(ja.nav.home);
    expect(requested).toEqual([LOCALE_URLS.en]);
  });

  it("a page showing both languages gets both, each fetched once even when asked for twice at the same time", async () => {
    const requested = serveTextsFromDisk();
    const i18n = await japaneseOnly();
    await Promise.all([ensureLanguages(i18n, ["ja", "en"]), ensureLanguages(i18n, ["en"])]);
    expect(requested).toEqual([LOCALE_URLS.en]);
    expect(i18n.getFixedT("en")("nav.home")).toBe("Home");
    expect(i18n.getFixedT("ja")("nav.home")).toBe(ja.nav.home);
  });

  it("a failed load leaves the language as it was, and is tried again next time", async () => {
    let fail = true;
    vi.stubGlobal("fetch", async (url: string) =>
      fail ? new Response("", { status: 503 }) : new Response(fs.readFileSync(path.join(process.cwd(), url)), { status: 200 }),
    );
    const i18n = await japaneseOnly();
    await expect(switchLanguage(i18n, "en")).rejects.toThrow(/en texts \(503\)/);
    expect(i18n.language).toBe("ja");
    fail = false;
    await switchLanguage(i18n, "en");
    expect(i18n.t("nav.home")).toBe("Home");
  });
});
