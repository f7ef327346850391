import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

// A demo learner no other browser test signs in as: fresh (no progress, no certificate) until HR
// records a certificate for them below.
const LEARNER = { email: "aoi.maeda@example.com", kana: "まえだ", ja: "前田 葵" };
const DAY = 24 * 60 * 60 * 1000;
/** A Tokyo calendar day, `days` from today, as YYYY-MM-DD. */
const tokyoDay = (days: number) => new Date(Date.now() + days * DAY + 9 * 60 * 60 * 1000).toISOString().slice(0, 10);

const EVERYDAY = ["chat-assistant", "document-translator", "image-generator", "meeting-summarizer"];
const CONFIDENTIAL = ["code-assistant", "data-analysis-assistant"];

const TEXT = {
  ja: {
    title: "利用できるAIツール",
    noneUnlocked: "現在利用できるツールはありません。",
    summaryLocked: "6件中0件のツールが利用できます",
    summaryUnlocked: "6件中4件のツールが利用できます",
    locked: "利用不可",
    unlocked: "✓ 利用可能",
    safeUse: "AI安全利用 基礎",
    practitioner: "AI活用実務者（機密情報・コード対応）",
    courses: "次のステップ：以下のコースを修了してから、試験を受けてください。",
    courseLinks: ["生成AIの基本", "業務でAIを安全に使う"],
    internal: "社外秘",
    confidential: "極秘",
    guidanceFirst: "必ず会社のアカウントでログインしてください。",
    validUntil: /^\d{4}年\d{1,2}月\d{1,2}日まで利用できます。$/,
    recertification: "AI安全利用 基礎の更新受験ができるようになりました。",
  },
  en: {
    title: "My AI tools",
    noneUnlocked: "No tools are unlocked for you yet.",
    summaryLocked: "0 of 6 tools unlocked",
    summaryUnlocked: "4 of 6 tools unlocked",
    locked: "Locked",
    unlocked: "✓ Unlocked",
    safeUse: "AI Safe Use",
    practitioner: "AI Practitioner (confidential data and code)",
    courses: "Next: complete these courses, then take the exam.",
    courseLinks: ["Generative AI basics", "Using AI safely at work"],
    internal: "Internal",
    confidential: "Confidential",
    guidanceFirst: "Sign in with your company account only.",
    validUntil: /^You can use this tool until \d{1,2} [A-Z][a-z]+ \d{4}\.$/,
    recertification: "Recertification is open for AI Safe Use:",
  },
} as const;

// Screenshots for people to look at, when asked for (SCREENSHOT_DIR=/some/dir).
const shotDir = process.env.SCREENSHOT_DIR;
async function shots(page: Page, name: string) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(shotDir, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function clean(s: Session) {
  expect(s.consoleErrors).toEqual([]);
}

const card = (page: Page, toolId: string) => page.locator(`[data-tool="${toolId}"]`);

async function openTools(page: Page, language: "ja" | "en") {
  await page.goto("/tools");
  await expect.poll(() => page.locator("h1").textContent()).toBe(TEXT[language].title);
}

describe("My AI tools in the browser", () => {
  for (const language of ["ja", "en"] as const) {
    it(`a fresh learner sees every tool locked, with what is missing and links to the courses (${language})`, async () => {
      const L = TEXT[language];
      const s = await openSession(browser, language);
      await signIn(s.page, LEARNER.email);
      await openTools(s.page, language);
      expect(await s.page.getByTestId("tools-summary").textContent()).toBe(L.summaryLocked);
      expect(await s.page.locator("#unlocked-heading + p").textContent()).toContain(L.noneUnlocked);
      expect(await s.page.locator('[data-allowed="true"]').count()).toBe(0);
      expect(await s.page.getByTestId("locked-tools").locator("[data-tool]").count()).toBe(6);

      const chat = card(s.page, "chat-assistant");
      expect(await chat.getByTestId("tool-status").textContent()).toBe(L.locked);
      expect(await chat.getByTestId("data-class").textContent()).toBe(L.internal);
      const requirement = chat.locator('[data-track="ai-safe-use"]');
      expect(await requirement.getAttribute("data-satisfied")).toBe("false");
      expect(await requirement.textContent()).toContain(L.safeUse);
      expect(await requirement.locator('[data-next="courses"] p').first().textContent()).toBe(L.courses);
      const links = requirement.locator('[data-next="courses"] ul a');
      expect(await links.allTextContents()).toEqual(L.courseLinks);
      expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["/learn/genai-basics", "/learn/safe-use"]);
      expect(await requirement.locator('a[href="/tracks/ai-safe-use"]').count()).toBe(1);
      // Guidance is a real list, one rule per item.
      const rules = chat.getByTestId("guidance").locator("li");
      expect(await rules.count()).toBeGreaterThan(2);
      expect(await rules.first().textContent()).toContain(L.guidanceFirst);

      const code = card(s.page, "code-assistant");
      expect(await code.getByTestId("data-class").textContent()).toBe(L.confidential);
      expect(await code.locator("[data-track]").evaluateAll((els) => els.map((e) => e.getAttribute("data-track")))).toEqual(["ai-safe-use", "ai-practitioner"]);
      expect(await code.locator('[data-track="ai-practitioner"]').textContent()).toContain(L.practitioner);

      await expectAccessible(s.page);
      await shots(s.page, `tools-locked-${language}`);
      // The course link leads to the course.
      await links.first().click();
      await s.page.waitForURL(/\/learn\/genai-basics$/);
      clean(s);
      await s.context.close();
    });
  }

  it("HR records an AI Safe Use certificate for the learner (setup)", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, "hr@example.com");
    await s.page.goto("/hr/certificates");
    await s.page.getByRole("searchbox").fill(LEARNER.kana);
    await s.page.getByRole("button", { name: "検索" }).click();
    await s.page.getByRole("link", { name: `${LEARNER.ja}さんの認定証を管理` }).click();
    await expect.poll(() => s.page.locator("#person-heading").textContent()).toBe(LEARNER.ja);
    // Passed 320 days ago, valid for 12 months: inside the track's 60-day recertification window.
    await s.page.locator("#record-external select").selectOption("ai-safe-use");
    await s.page.locator('#record-external input[type="date"]').fill(tokyoDay(-320));
    await s.page.locator("#record-external textarea").fill("社内試験の紙の合格証を人事部で確認");
    await s.page.locator('#record-external button[type="submit"]').click();
    await s.page.getByRole("status").filter({ hasText: "を登録しました" }).waitFor();
    clean(s);
    await s.context.close();
  });

  for (const language of ["ja", "en"] as const) {
    it(`with the certificate the everyday tools unlock at once, until its date, with a recertification notice (${language})`, async () => {
      const L = TEXT[language];
      const s = await openSession(browser, language);
      await signIn(s.page, LEARNER.email);
      await openTools(s.page, language);
      expect(await s.page.getByTestId("tools-summary").textContent()).toBe(L.summaryUnlocked);
      const unlocked = await s.page.getByTestId("unlocked-tools").locator("[data-tool]").evaluateAll((els) => els.map((e) => e.getAttribute("data-tool")));
      expect(unlocked.sort()).toEqual([...EVERYDAY].sort());
      const locked = await s.page.getByTestId("locked-tools").locator("[data-tool]").evaluateAll((els) => els.map((e) => e.getAttribute("data-tool")));
      expect(locked.sort()).toEqual([...CONFIDENTIAL].sort());

      const chat = card(s.page, "chat-assistant");
      expect(await chat.getByTestId("tool-status").textContent()).toBe(L.unlocked);
      expect(await chat.getByTestId("valid-until").textContent()).toMatch(L.validUntil);
      const notice = chat.getByTestId("recertification");
      expect(await notice.textContent()).toContain(L.recertification);
      expect(await notice.locator("a").getAttribute("href")).toBe("/tracks/ai-safe-use");

      // The practitioner tools show the held track as done and the missing one with its courses.
      const code = card(s.page, "code-assistant");
      expect(await code.locator('[data-track="ai-safe-use"]').getAttribute("data-satisfied")).toBe("true");
      const missing = code.locator('[data-track="ai-practitioner"]');
      expect(await missing.getAttribute("data-satisfied")).toBe("false");
      expect(await missing.locator('[data-next="courses"] ul a').evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
        "/learn/genai-basics",
        "/learn/safe-use",
        "/learn/ai-foundations",
      ]);

      await expectAccessible(s.page);
      await shots(s.page, `tools-unlocked-${language}`);
      clean(s);
      await s.context.close();
    });
  }
  for (const language of ["ja", "en"] as const) {
    it(`HR sees who may use a tool, with the reason for each person who may not, and downloads it (${language})`, async () => {
      const s = await openSession(browser, language);
      await signIn(s.page, "hr@example.com");
      await openTools(s.page, language);
      await card(s.page, "chat-assistant").getByTestId("roster-link").click();
      await s.page.waitForURL(/\/tools\/chat-assistant\/people$/);
      await expect.poll(() => s.page.locator("h1").textContent()).toBe(language === "ja" ? "社内チャットアシスタントの利用可否" : "Who may use Chat assistant");
      // The learner certified above is among those who may use it, until the certificate's date.
      await s.page.getByRole("link", { name: language === "ja" ? /^利用できる人/ : /^May use it/ }).click();
      await s.page.waitForURL(/show=allowed$/);
      const row = s.page.getByTestId("roster").locator("tr", { hasText: LEARNER.email });
      await expect.poll(() => row.textContent()).toMatch(language === "ja" ? /\d{4}年\d{1,2}月\d{1,2}日まで利用可（再認定の時期です）/ : /May use it until \d{1,2} [A-Z][a-z]+ \d{4} — recertification is due/);
      await s.page.getByRole("link", { name: language === "ja" ? /^利用できない人/ : /^May not use it/ }).click();
      await s.page.waitForURL(/show=not-allowed$/);
      await expect.poll(() => s.page.getByTestId("roster").locator("tbody tr").first().textContent()).toContain(language === "ja" ? "AI安全利用 基礎：" : "AI Safe Use: ");
      await expectAccessible(s.page);
      const href = await s.page.getByTestId("roster-csv").getAttribute("href");
      const response = await s.page.request.get(href!);
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
      const body = await response.body();
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.toString("utf8")).toContain(LEARNER.email);
      await shots(s.page, `tool-roster-${language}`);
      clean(s);
      await s.context.close();
    });
  }
});
