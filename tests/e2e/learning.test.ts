import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import YAML from "yaml";
import { baseUrl, expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";
import { answerChecks } from "../helpers/lesson-e2e";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const contentDir = () => inject("contentDir");

function courses(): { id: string; lessons: string[] }[] {
  const dir = path.join(contentDir(), "courses");
  return fs
    .readdirSync(dir)
    .sort()
    .map((c) => YAML.parse(fs.readFileSync(path.join(dir, c, "course.yaml"), "utf8")));
}

function clean(s: Session) {
  expect(s.consoleErrors).toEqual([]);
}

// Screenshots for people to look at, when asked for (SCREENSHOT_DIR=/some/dir).
const shotDir = process.env.SCREENSHOT_DIR;
async function shot(page: Page, name: string) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: false });
}

/**
 * How the browser laid out Japanese text inside the elements matching `selector`: every character that
 * starts a line, and every break between two characters of one kanji, katakana or Latin run (検/索,
 * 影/響, confide/ntial), or inside one of the given words (繰り/返して).
 */
async function lineBreaks(page: Page, selector: string, words: string[]) {
  return page.evaluate(
    ({ selector, words }) => {
      const kanji = /[\u3005\u3400-\u4dbf\u4e00-\u9fff]/;
      const katakana = /[\u30a1-\u30fa\u30fc-\u30ff]/;
      const latin = /[A-Za-z0-9]/;
      const starts: string[] = [];
      const splits: string[] = [];
      let checked = 0;
      for (const root of document.querySelectorAll(selector)) {
        const chars: { ch: string; top: number; bottom: number; block: Element | null }[] = [];
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? "";
          // The box the text flows in: characters of different boxes (two options) are not neighbours.
          let block = node.parentElement;
          while (block && ["inline", "contents"].includes(getComputedStyle(block).display)) block = block.parentElement;
          for (let i = 0; i < text.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect || rect.width === 0) continue;
            chars.push({ ch: text[i]!, top: rect.top, bottom: rect.bottom, block });
          }
        }
        const plain = chars.map((c) => c.ch).join("");
        const lineStart = chars.map((c, i) => i > 0 && c.block === chars[i - 1]!.block && c.top >= chars[i - 1]!.bottom - 1);
        checked += chars.length;
        chars.forEach((c, i) => {
          if (!lineStart[i]) return;
          starts.push(c.ch);
          const before = chars[i - 1]!.ch;
          for (const script of [kanji, katakana, latin]) {
            if (script.test(before) && script.test(c.ch)) splits.push(`${plain.slice(Math.max(0, i - 6), i)}/${plain.slice(i, i + 6)}`);
          }
        });
        for (const word of words) {
          for (let at = plain.indexOf(word); at >= 0; at = plain.indexOf(word, at + 1)) {
            for (let k = at + 1; k < at + word.length; k++) if (lineStart[k]) splits.push(`${word}@${k - at}`);
          }
        }
      }
      return { checked, starts, splits };
    },
    { selector, words },
  );
}

describe("a learner reads lessons", () => {
  it("reads a lesson in Japanese, switches to English on the same lesson, answers a check and sees progress", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, "learner@example.com");
    await s.page.goto("/learn");
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("マイ学習");
    await expectAccessible(s.page);

    await s.page.getByRole("link", { name: "始める: 生成AIの基本" }).click();
    await s.page.waitForURL(/\/learn\/genai-basics\/genai-what-is-it$/);
    await expect.poll(() => s.page.locator("h1").textContent()).not.toBe("マイ学習");
    expect(await s.page.locator("html").getAttribute("lang")).toBe("ja");
    const jaTitle = await s.page.locator("h1").textContent();
    // BudouX: Japanese text carries phrase-boundary break opportunities.
    expect(await s.page.locator(".lesson-body wbr").count()).toBeGreaterThan(20);
    await expectAccessible(s.page);

    await s.page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("en");
    expect(new URL(s.page.url()).pathname).toBe("/learn/genai-basics/genai-what-is-it");
    expect(await s.page.locator("h1").textContent()).not.toBe(jaTitle);
    await expectAccessible(s.page);

    // Answer the first knowledge check: a first wrong try gets a hint and no key; the right answer (or a
    // second wrong try) brings the explanation. Focus lands on the result, then back on the question.
    const check = s.page.locator(".knowledge-check").first();
    const options = check.locator('input[name="answer"]');
    const count = await options.count();
    let answeredRight = false;
    for (let i = 0; i < count && !answeredRight; i++) {
      await options.nth(i).check();
      await check.getByRole("button", { name: "Check my answer" }).click();
      const result = check.getByTestId("check-result");
      await expect.poll(() => result.locator("p").first().textContent()).toMatch(/^(✓ Correct\.|✗ Not quite\.)/);
      expect(await s.page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("check-result");
      const verdict = (await result.locator("p").first().textContent()) ?? "";
      expect(await result.locator("p").nth(1).textContent()).toBeTruthy();
      if (verdict.startsWith("✓")) {
        answeredRight = true;
        expect(await check.getByTestId("check-mark").filter({ hasText: "Right answer" }).count()).toBe(1);
      } else {
        // The first wrong try shows a hint and which option was mine, never which one is right.
        if (i === 0) {
          expect(await result.textContent()).toContain("Hint");
          expect(await check.getByTestId("check-mark").filter({ hasText: "Right answer" }).count()).toBe(0);
        }
        await check.getByRole("button", { name: "Try again" }).click();
        await expect.poll(() => s.page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("answer");
      }
    }
    expect(answeredRight).toBe(true);
    await expectAccessible(s.page);

    // Loaded afresh, the body comes as the HTML the server renders once for every reader: this reader's
    // own state (answered before, the form's token) is applied once the page has hydrated.
    await s.page.reload();
    const reloaded = s.page.locator(".knowledge-check").first();
    await expect.poll(() => reloaded.locator('input[name="csrf"]').inputValue()).not.toBe("");
    await expect.poll(() => reloaded.textContent()).toContain("Answered correctly");

    // Scrolling to the end records the reading; the course page shows progress.
    await s.page.locator('[data-testid="lesson-end"]').scrollIntoViewIfNeeded();
    await s.page.waitForLoadState("networkidle");
    await s.page.goto("/learn/genai-basics");
    await expect.poll(() => s.page.locator("main").textContent()).toMatch(/In progress/);
    clean(s);
  });

  it("completes a lesson and resumes the course at the first unfinished lesson", async () => {
    const s = await openSession(browser, "en");
    await signIn(s.page, "shota.nakamura@example.com");
    const course = courses().find((c) => c.id === "genai-basics")!;
    await s.page.goto(`/learn/genai-basics/${course.lessons[0]}`);
    // Answer every check by trying each option until right.
    await answerChecks(s.page, "en");
    // Reaching the end of the lesson records the reading.
    await s.page.locator('[data-testid="lesson-end"]').scrollIntoViewIfNeeded();
    // (after the minimum reading time, scaled down for browser tests by MANABI_READING_TIME_FACTOR)
    await expect.poll(() => s.page.locator('[data-testid="lesson-status"]').textContent(), { timeout: 20_000 }).toContain("Lesson complete");
    await s.page.goto("/learn");
    await s.page.getByRole("link", { name: /^Continue: / }).first().click();
    await s.page.waitForURL(new RegExp(`/learn/genai-basics/${course.lessons[1]}$`));
    clean(s);
  });

  it("after a session ends mid-lesson, says so and brings the learner back to the lesson", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, "yui.matsumoto@example.com");
    await s.page.goto("/learn/safe-use/safe-approved-tools");
    await s.page.waitForLoadState("networkidle");
    // The session ends on the server (expired or revoked): the browser still holds a cookie of the right
    // form that no longer names a session.
    await s.context.addCookies([{ name: "manabi_session", value: "a".repeat(40), url: baseUrl() }]);
    const check = s.page.locator(".knowledge-check").first();
    await check.locator('input[name="answer"]').first().check();
    await check.getByRole("button", { name: "回答する" }).click();
    await s.page.waitForURL(/\/login\?/);
    expect(await s.page.getByRole("status").first().textContent()).toContain("セッションの有効期限が切れました");
    await s.page.locator('input[name="email"]').fill("yui.matsumoto@example.com");
    await s.page.locator('input[name="password"]').fill("manabi-demo");
    await s.page.locator("main button[type=submit]").click();
    await s.page.waitForURL(/\/learn\/safe-use\/safe-approved-tools$/);
    await expectAccessible(s.page);
    clean(s);
  });

  // Every lesson in Japanese (a test per course, one signed-in reader) and the first and last lesson of
  // each course in English, hydrated without console errors; tests/integration/lesson-pages.test.tsx
  // renders every lesson in both languages on the server.
  // The production build's React reports a hydration mismatch as a console error (minified #418, #423,
  // #425) and a development build as a warning: either fails here, besides clean()'s check of all errors.
  const HYDRATION = /hydrat|did not match|Minified React error #4(18|19|22|23|25)/i;
  async function openLessons(s: Session, language: "ja" | "en", course: { id: string; lessons: string[] }, only?: (i: number) => boolean) {
    const hydrationMessages: string[] = [];
    const listen = (message: { type(): string; text(): string }) => {
      if (HYDRATION.test(message.text())) hydrationMessages.push(`${message.type()}: ${message.text()}`);
    };
    s.page.on("console", listen);
    for (const [i, lessonId] of course.lessons.entries()) {
      if (only && !only(i)) continue;
      const response = await s.page.goto(`/learn/${course.id}/${lessonId}`);
      expect(response?.status(), `${language} ${lessonId}`).toBe(200);
      expect(await s.page.locator(".lesson-body").count(), lessonId).toBe(1);
      // Hydrated: a knowledge check's form has its token only from then on (the server's HTML has none).
      const check = s.page.locator(".knowledge-check").first();
      if ((await check.count()) > 0) await expect.poll(() => check.locator('input[name="csrf"]').inputValue(), { timeout: 20_000 }).not.toBe("");
      if (i === 0) await expectAccessible(s.page);
    }
    s.page.off("console", listen);
    expect(hydrationMessages).toEqual([]);
    clean(s);
  }
  let readerJa: Session | undefined;
  for (const course of courses()) {
    it(`opens every lesson of ${course.id} in Japanese without console errors`, async () => {
      if (!readerJa) {
        readerJa = await openSession(browser, "ja");
        await signIn(readerJa.page, "daiki.mori@example.com");
      }
      await openLessons(readerJa, "ja", course);
    });
  }

  it("opens the first and last lesson of every course in English without console errors, under a CSP without unsafe-eval", async () => {
    const s = await openSession(browser, "en");
    await signIn(s.page, "daiki.mori@example.com");
    for (const course of courses()) await openLessons(s, "en", course, (i) => i === 0 || i === course.lessons.length - 1);
    const csp = (await fetch(`${baseUrl()}/login`)).headers.get("content-security-policy") ?? "";
    expect(csp).not.toContain("unsafe-eval");
  });
});

describe("Japanese that breaks between phrases, and a language switch that keeps the place", () => {
  const LESSON = "/learn/safe-use/safe-confidential-data";
  const WORDS = ["検索", "繰り返して", "間違える", "影響", "個人情報", "機密情報"];

  it("breaks Japanese only between phrases in checks, explanations, pop-ups, tables and headings on a 390 px phone", async () => {
    const s = await openSession(browser, "ja");
    await s.page.setViewportSize({ width: 390, height: 844 });
    await signIn(s.page, "chihiro.murakami@example.com");
    await s.page.goto(LESSON);
    await s.page.waitForLoadState("networkidle");
    // The break points are in the page as sent (server-rendered), not added in the browser.
    const html = await (await s.context.request.get(LESSON)).text();
    expect(html).toMatch(/<legend[^>]*>[^<]*<wbr\/>/);
    for (const where of [".knowledge-check legend", ".knowledge-check label", ".lesson-body table", ".lesson-body h2", "h1"]) {
      expect(await s.page.locator(`${where} wbr`).count(), where).toBeGreaterThan(0);
    }
    // Answer the checks: the explanations shown after a right answer carry their breaks too.
    await answerChecks(s.page, "ja");
    expect(await s.page.locator('[data-testid="check-result"] wbr').count()).toBeGreaterThan(0);

    const regions = ".knowledge-check, .lesson-body table, .lesson-body h2, .lesson-body h3, main h1";
    const layout = await lineBreaks(s.page, regions, WORDS);
    expect(layout.checked).toBeGreaterThan(500);
    expect(layout.splits).toEqual([]);
    expect(layout.starts.filter((ch) => "、。，．）」』】ー".includes(ch))).toEqual([]);
    expect(layout.starts.length).toBeGreaterThan(20);
    // A table wider than the phone scrolls sideways instead of squeezing its words.
    expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await s.page.locator(".lesson-body table").first().scrollIntoViewIfNeeded();
    await shot(s.page, "lesson-table-ja-390");
    await s.page.locator(".knowledge-check").first().scrollIntoViewIfNeeded();
    await shot(s.page, "lesson-check-ja-390");

    // A glossary pop-up, opened by a tap: no line starts with 、 or 。 and no word is split.
    const term = s.page.locator(".lesson-body button.term").first();
    await term.scrollIntoViewIfNeeded();
    await term.click();
    const tip = s.page.locator('[role="tooltip"]:visible').first();
    expect(await tip.locator("wbr").count()).toBeGreaterThan(0);
    const tipLayout = await lineBreaks(s.page, '[role="tooltip"]:not(.hidden)', WORDS);
    expect(tipLayout.checked).toBeGreaterThan(10);
    expect(tipLayout.splits).toEqual([]);
    expect(tipLayout.starts.filter((ch) => "、。，．）」』】ー".includes(ch))).toEqual([]);
    await shot(s.page, "lesson-term-ja-390");
    await expectAccessible(s.page);
    clean(s);
  });

  it("switches language at the section being read and keeps the answered checks (with JavaScript)", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, "kei.kondo@example.com");
    await s.page.goto(LESSON);
    await answerChecks(s.page, "ja");
    await s.page.waitForLoadState("networkidle");
    // Read on into the fourth section (## 貼り付ける前にマスキングする).
    await s.page.locator("#section-4").evaluate((el) => el.scrollIntoView());
    await s.page.mouse.wheel(0, 150);
    await expect.poll(() => s.page.evaluate(() => document.getElementById("section-4")!.getBoundingClientRect().top)).toBeLessThan(0);
    expect(await s.page.locator("#section-4").textContent()).toContain("マスキング");
    // The reader stays there a moment; reaching the switch at the top of the page scrolls back up.
    await s.page.waitForTimeout(1500);

    await s.page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("en");
    const url = new URL(s.page.url());
    expect(url.pathname + url.hash).toBe(`${LESSON}#section-4`);
    expect(await s.page.locator("#section-4").textContent()).toContain("Mask before you paste");
    const top = () => s.page.evaluate(() => document.getElementById("section-4")!.getBoundingClientRect().top);
    // The section lands near the top of the window once the new page has scrolled to it (the language
    // flips first, so a page still at its top must not pass: wait for both bounds together).
    const atSection = async () => {
      const t = await top();
      return t >= -5 && t < 120 ? "at the section" : `section-4 at ${t}px`;
    };
    await expect.poll(atSection).toBe("at the section");
    // The checks answered in Japanese show as answered in English (the reader's own state: once hydrated).
    const checks = s.page.locator(".knowledge-check");
    expect(await checks.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await checks.count()); i++) await expect.poll(() => checks.nth(i).textContent()).toContain("Answered correctly");
    await shot(s.page, "lesson-switched-en-1280");

    // And back again, still at the same section.
    await s.page.mouse.wheel(0, 60);
    await s.page.waitForTimeout(1500);
    await s.page.getByRole("button", { name: "Switch to Japanese" }).click();
    await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("ja");
    await expect.poll(atSection).toBe("at the section");
    await expect.poll(() => checks.first().textContent()).toContain("正解済み");
    clean(s);
  });

  it("switches language on the same lesson without JavaScript", async () => {
    const context = await browser.newContext({
      baseURL: baseUrl(),
      javaScriptEnabled: false,
      locale: "ja-JP",
      extraHTTPHeaders: { "Accept-Language": "ja-JP,ja;q=0.9" },
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await signIn(page, "tomoko.ishii@example.com");
    await page.goto(LESSON);
    expect(await page.locator("html").getAttribute("lang")).toBe("ja");
    expect(await page.locator("#section-4").textContent()).toContain("マスキング");
    await page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    expect(new URL(page.url()).pathname).toBe(LESSON);
    expect(await page.locator("#section-4").textContent()).toContain("Mask before you paste");
    await context.close();
  });
});

describe("an author previews and publishes", () => {
  it("previews a draft change in both languages and publishes it as a new release", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, "author@example.com");
    await s.page.goto("/authoring");
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("コンテンツ管理");
    expect(await s.page.locator('[data-testid="releases"] > li').count()).toBe(1);
    await expectAccessible(s.page);

    // Edit the English version of a lesson in the draft only.
    const file = path.join(contentDir(), "courses/genai-basics/01-what-is-it.en.mdx");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\n$/, "\n\nA sentence added in the draft.\n"));

    await s.page.goto("/authoring/preview/genai-what-is-it");
    await expect.poll(() => s.page.locator("section[lang=en]").textContent()).toContain("A sentence added in the draft.");
    expect(await s.page.locator("section[lang=ja] .lesson-body").count()).toBe(1);
    await expectAccessible(s.page);

    await s.page.goto("/authoring");
    await expect.poll(() => s.page.locator("main").textContent()).toContain("翻訳が古くなっている可能性があります");
    // Only the English side changed: publishing asks the author to confirm the Japanese is behind.
    await s.page.getByTestId("confirm-stale").check();
    await s.page.getByRole("button", { name: "新しいリリースを公開" }).click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toContain("リリース #2 を公開しました");
    expect(await s.page.locator('[data-testid="releases"] > li').count()).toBe(2);
    await expectAccessible(s.page);

    // A learner sees the new text at once.
    const learner = await openSession(browser, "en");
    await signIn(learner.page, "ai.kobayashi@example.com");
    await learner.page.goto("/learn/genai-basics/genai-what-is-it");
    expect(await learner.page.locator(".lesson-body").textContent()).toContain("A sentence added in the draft.");
    clean(s);
    clean(learner);
  });

  it("refuses the authoring pages to a learner", async () => {
    const s = await openSession(browser, "en");
    await signIn(s.page, "learner@example.com");
    const response = await s.page.goto("/authoring/preview");
    expect(response?.status()).toBe(403);
    await expectAccessible(s.page);
  });
});
