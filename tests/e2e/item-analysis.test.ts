import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn } from "../helpers/browser";
import { answerChecks } from "../helpers/lesson-e2e";

// A demo learner no other browser test signs in as; their first tries give the table figures whatever
// else the other browser tests did (the English test reads the same question, so the tests run in order).
const LEARNER = "miho.abe@example.com";
const AUTHOR = "author@example.com";
const LESSON = "/learn/ai-foundations/af-what-is-ai";
const CHECK = "af-p01";

const shotDir = process.env.SCREENSHOT_DIR;
async function shot(page: Page, name: string) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("item analysis", () => {
  it("a learner answers knowledge checks; an author opens item analysis from Authoring in Japanese, filters, sorts by facility and opens the question's option choices", async () => {
    const learner = await openSession(browser, "ja");
    await signIn(learner.page, LEARNER);
    await learner.page.goto(LESSON);
    await answerChecks(learner.page, "ja");
    expect(learner.consoleErrors).toEqual([]);
    await learner.context.close();

    const s = await openSession(browser, "ja");
    const { page } = s;
    await signIn(page, AUTHOR);
    await page.goto("/authoring");
    await Promise.all([page.waitForURL(/\/authoring\/items$/), page.getByRole("link", { name: "項目分析を開く" }).click()]);
    await expect.poll(() => page.locator("h1").textContent()).toBe("項目分析");
    const row = page.locator(`[data-question="${CHECK}"]`);
    expect(await row.locator("td").nth(2).textContent()).toMatch(/^[1-9][\d,]*$/);
    expect(await row.textContent()).toContain("理解度チェック");
    const all = await page.locator("[data-question]").count();

    // Narrow to the question's course and domain (a GET form), then sort by facility (a header link).
    const domain = (await row.locator("td").nth(1).locator("span").textContent())!;
    await page.getByLabel("コース").selectOption({ label: "AIの基礎知識" });
    await page.getByLabel("分野").selectOption({ label: domain });
    await Promise.all([page.waitForURL(/course=ai-foundations/), page.getByRole("button", { name: "表示", exact: true }).click()]);
    await expect.poll(() => page.locator("[data-question]").count()).toBeLessThan(all);
    expect(await page.locator("[data-question] td:nth-child(2) span").allTextContents()).toEqual(
      Array(await page.locator("[data-question]").count()).fill(domain),
    );
    await Promise.all([page.waitForURL(/sort=facility&dir=asc/), page.getByRole("link", { name: /^正答率/ }).click()]);
    await expect.poll(() => page.locator('th[aria-sort="ascending"]').textContent()).toMatch(/^正答率/);
    await expectAccessible(page);
    await shot(page, "item-analysis-ja");

    await Promise.all([page.waitForURL(new RegExp(`/authoring/items/${CHECK}$`)), row.getByRole("link", { name: CHECK }).click()]);
    await expect.poll(() => page.locator("h1").textContent()).toBe(`問題 ${CHECK}`);
    expect(await page.getByTestId("item-options").getByText("正解", { exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await shot(page, "item-detail-ja");
    expect(s.consoleErrors).toEqual([]);
    await s.context.close();
  });

  it("reads in English, with the flagged-only filter", async () => {
    const s = await openSession(browser, "en");
    const { page } = s;
    await signIn(page, AUTHOR);
    await page.goto("/authoring/items");
    await expect.poll(() => page.locator("h1").textContent()).toBe("Item analysis");
    expect(await page.locator(`[data-question="${CHECK}"]`).textContent()).toContain("Knowledge check");
    await page.getByLabel("Flagged questions only").check();
    await Promise.all([page.waitForURL(/flagged=1/), page.getByRole("button", { name: "Apply" }).click()]);
    // A question answered a few times is never flagged; every row left carries a flag.
    await expect.poll(() => page.locator(`[data-question="${CHECK}"]`).count()).toBe(0);
    const rows = page.locator("[data-question]");
    const left = await rows.count();
    for (let i = 0; i < left; i++) expect(await rows.nth(i).locator("td").last().locator("li").count()).toBeGreaterThan(0);
    if (left === 0) expect(await page.getByText("No questions match these filters.").count()).toBe(1);
    await expectAccessible(page);
    await shot(page, "item-analysis-en");

    await page.goto(`/authoring/items/${CHECK}`);
    await expect.poll(() => page.locator("h1").textContent()).toBe(`Question ${CHECK}`);
    expect(await page.getByTestId("item-figures").textContent()).toContain("n/a");
    await expectAccessible(page);
    await shot(page, "item-detail-en");
    expect(s.consoleErrors).toEqual([]);
    await s.context.close();
  });
});
