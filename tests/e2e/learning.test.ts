import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
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

  it("opens every lesson of every course in both languages without console errors", async () => {
    for (const language of ["ja", "en"] as const) {
      const s = await openSession(browser, language);
      await signIn(s.page, "daiki.mori@example.com");
      for (const course of courses()) {
        for (const [i, lessonId] of course.lessons.entries()) {
          const response = await s.page.goto(`/learn/${course.id}/${lessonId}`);
          expect(response?.status(), `${language} ${lessonId}`).toBe(200);
          expect(await s.page.locator(".lesson-body").count(), lessonId).toBe(1);
          if (i === 0) await expectAccessible(s.page);
        }
      }
      const csp = (await fetch(`${baseUrl()}/login`)).headers.get("content-security-policy") ?? "";
      expect(csp).not.toContain("unsafe-eval");
      clean(s);
    }
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
