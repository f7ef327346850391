// A page's script carries no UI texts: the browser loads its language's texts (one hashed JSON file per
// language) before it hydrates, the other language only when the reader switches, and both only on a
// page that shows both side by side (the author's preview). The page never shows a key instead of a text.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";
import { launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

type Tree = { [key: string]: string | Tree };
function keysOf(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k, (prefix + k).replace(/_(one|other)$/, "")] : keysOf(v, `${prefix}${k}.`)));
}
const KEYS = [...new Set(keysOf(en as Tree))];

/**
 * Records which texts files the page fetches, and any text on screen that is a bare key (checked on
 * every change of the page from its first byte, so a key shown for one frame is caught too).
 */
async function watch(s: Session) {
  const texts: string[] = [];
  const keysShown: string[] = [];
  s.page.on("request", (r) => {
    const m = /\/assets\/(ja|en)-[\w-]+\.json$/.exec(new URL(r.url()).pathname);
    if (m) texts.push(m[1]!);
  });
  await s.page.exposeBinding("reportKeyShown", (_source, key: string) => void keysShown.push(key));
  await s.page.addInitScript((keys: string[]) => {
    const known = new Set(keys);
    const check = (node: Node) => {
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      for (let n = walker.currentNode as Node | null; n; n = walker.nextNode()) {
        const text = n.nodeType === Node.TEXT_NODE ? n.textContent?.trim() : undefined;
        if (text && known.has(text)) (window as unknown as { reportKeyShown: (k: string) => void }).reportKeyShown(text);
      }
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "characterData") check(r.target);
        for (const added of r.addedNodes) check(added);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  }, KEYS);
  return { texts, keysShown };
}

/** Hydrated: the router is running and React has attached to the page. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => !!(window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
}

describe("the UI texts a page loads", () => {
  it("a Japanese lesson loads the Japanese texts only; switching to English loads the English ones, and no key is ever on screen", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, "learner@example.com");
    const seen = await watch(s);
    await s.page.goto("/learn/genai-basics/genai-what-is-it");
    await hydrated(s.page);
    expect(seen.texts).toEqual(["ja"]);
    expect(await s.page.locator("link[data-texts]").evaluateAll((links) => links.map((l) => l.getAttribute("data-texts")))).toEqual(["ja"]);
    // The hydrated page answers in Japanese (a knowledge check's button is rendered by the client too).
    await expect.poll(() => s.page.getByRole("button", { name: "英語に切り替える" }).count()).toBe(1);

    seen.texts.length = 0;
    await s.page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("en");
    await hydrated(s.page);
    expect(seen.texts).toEqual(["en"]);
    expect(await s.page.getByRole("button", { name: "Switch to Japanese" }).count()).toBe(1);
    expect(await s.page.locator('[data-testid="main-nav"] a').first().textContent()).toBe(en.nav.home);
    // A link followed in English stays in English with the texts already held: nothing fetched again.
    await s.page.getByRole("link", { name: en.nav.learning }).first().click();
    await s.page.waitForURL(/\/learn$/);
    await expect.poll(() => s.page.locator("h1").textContent()).toBe(en.learning.title);
    expect(seen.texts).toEqual(["en"]);
    expect(seen.keysShown).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });

  it("the author's preview shows each column's labels in its own language, on a direct load and when reached by a link", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, "author@example.com");
    const seen = await watch(s);
    // The knowledge checks' labels come from each column's own language (the author's marks above them
    // stay in the page's language).
    const checkLabel = (lang: "ja" | "en") => s.page.locator(`section[lang=${lang}] .knowledge-check button[type="submit"]`).first().textContent();
    const columnsInTheirLanguages = async () => {
      expect(await checkLabel("en")).toBe(en.lesson.check.submit);
      expect(await checkLabel("ja")).toBe(ja.lesson.check.submit);
    };

    // Reached by a link (the router navigates; the page is not reloaded).
    await s.page.goto("/authoring/preview");
    await hydrated(s.page);
    expect(seen.texts).toEqual(["ja"]);
    await s.page.locator('main a[href="/authoring/preview/genai-what-is-it"]').click();
    await s.page.waitForURL(/\/authoring\/preview\/genai-what-is-it$/);
    await expect.poll(() => s.page.locator("section[lang=en]").count()).toBe(1);
    await columnsInTheirLanguages();
    expect([...new Set(seen.texts)].sort()).toEqual(["en", "ja"]);

    // Loaded directly: both languages' texts before hydration.
    seen.texts.length = 0;
    await s.page.reload();
    await hydrated(s.page);
    expect(seen.texts.sort()).toEqual(["en", "ja"]);
    await columnsInTheirLanguages();
    expect(seen.keysShown).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
