import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn } from "../helpers/browser";

// The demo manager (田中 浩, head of Sales): two team leads and their members below them.
const MANAGER = "manager@example.com";

const TEXT = {
  ja: {
    title: "チーム",
    direct: "山本 大輔",
    indirect: "佐藤 美咲",
    via: "上長：山本 大輔",
    people: "チームの人数",
    remind: "リマインド",
    sent: /さんに.+のリマインドを送信します。/,
    reminded: "本日リマインド済み",
    hint: "横にスクロールすると、すべての認定トラックを確認できます。",
  },
  en: {
    title: "My team",
    direct: "Daisuke Yamamoto",
    indirect: "Misaki Sato",
    via: "Reports to Daisuke Yamamoto",
    people: "People in your team",
    remind: "Remind",
    sent: /A reminder about .+ is on its way to .+\./,
    reminded: "Reminded today",
    hint: "Scroll sideways to see every track.",
  },
} as const;

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

describe("the manager view", () => {
  for (const language of ["ja", "en"] as const) {
    const text = TEXT[language];
    it(`shows the demo manager's whole reporting line by track, reminds a person, and works at 390 px (${language}, axe)`, async () => {
      const session = await openSession(browser, language);
      const { page } = session;
      try {
        await signIn(page, MANAGER);
        await page.goto("/team");
        await expect.poll(() => page.locator("h1").textContent()).toBe(text.title);
        await expect.poll(() => page.getByTestId("summary-people").locator("dt").textContent()).toBe(text.people);

        const matrix = page.getByTestId("team-matrix");
        const rows = matrix.locator("tbody tr[data-person]");
        expect(await rows.count()).toBeGreaterThanOrEqual(13);
        const names = await matrix.locator("tbody th[scope=row] span.font-semibold").allTextContents();
        expect(names).toContain(text.direct);
        expect(names).toContain(text.indirect);
        const indirectRow = rows.filter({ hasText: text.indirect });
        expect(await indirectRow.getByTestId("line").textContent()).toBe(text.via);
        // Every cell says its status in words, not colour alone.
        const badges = await matrix.locator("[data-status]").allTextContents();
        expect(badges.length).toBeGreaterThan(0);
        for (const b of badges) expect(b.replace(/^[!○◐✓]/, "").trim()).not.toBe("");
        await expectAccessible(page);
        await shot(page, `team-${language}-1280`);

        // Remind the first person the list offers it for (each language reminds a different person).
        const remindable = rows.filter({ has: page.getByRole("button", { name: new RegExp(text.remind) }) });
        const row = language === "ja" ? remindable.first() : remindable.nth(1);
        const personId = await row.getAttribute("data-person");
        await Promise.all([page.waitForURL(/\/team/), row.getByRole("button").click()]);
        await expect.poll(() => page.getByRole("status").first().textContent()).toMatch(text.sent);
        await expect.poll(() => page.locator(`tr[data-person="${personId}"]`).textContent()).toContain(text.reminded);

        // At phone width the name column stays put and a hint says the table scrolls sideways.
        await page.setViewportSize({ width: 390, height: 844 });
        await expect.poll(() => page.getByTestId("scroll-hint").isVisible()).toBe(true);
        expect(await page.getByTestId("scroll-hint").textContent()).toContain(text.hint);
        const nameCell = page.locator(`tr[data-person="${personId}"] th`);
        const before = await nameCell.boundingBox();
        await page.locator('[role="region"]').evaluate((el) => (el.scrollLeft = 400));
        const after = await nameCell.boundingBox();
        expect(after?.x).toBe(before?.x);
        await expectAccessible(page);
        await shot(page, `team-${language}-390`);
        expect(session.consoleErrors).toEqual([]);
      } finally {
        await session.context.close();
      }
    });
  }
});
