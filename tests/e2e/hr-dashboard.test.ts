import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

// The demo seed assigns AI Safe Use to everyone; other browser tests may certify people meanwhile, so
// the figures are checked against each other (the number clicked = the people listed), not as constants.
const TEXT = {
  ja: { title: "認定状況ダッシュボード", notStarted: "未着手", track: "AI安全利用 基礎", listTitle: "AI安全利用 基礎：対象者一覧", asOf: /^\d{1,2}:\d{2}時点の集計$/, refresh: "今すぐ更新" },
  en: { title: "Readiness dashboard", notStarted: "Not started", track: "AI Safe Use", listTitle: "AI Safe Use: people", asOf: /^Figures as of \d{2}:\d{2} JST$/, refresh: "Refresh now" },
} as const;

const shotDir = process.env.SCREENSHOT_DIR;
async function shot(page: Page, name: string) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

let browser: Browser;
const opened: Session[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const s of opened) await s.context.close();
  await browser?.close();
});

describe("HR dashboard in the browser", () => {
  for (const language of ["ja", "en"] as const) {
    const text = TEXT[language];
    it(`shows the charts with their tables and drills down from a number to the people behind it in ${language}, accessibly`, async () => {
      const s = await openSession(browser, language);
      opened.push(s);
      await signIn(s.page, "hr@example.com");
      await s.page.goto("/hr?track=ai-safe-use");
      expect(await s.page.locator("h1").textContent()).toBe(text.title);
      // The figures may be up to a minute old: the page says from when, and Refresh now computes them
      // anew (so the number clicked below matches the list, which is always exact).
      expect(await s.page.getByTestId("dashboard-as-of").textContent()).toMatch(text.asOf);
      const refresh = s.page.getByTestId("dashboard-refresh");
      expect(await refresh.textContent()).toBe(text.refresh);
      expect(await refresh.getAttribute("href")).toBe("/hr?track=ai-safe-use&fresh=1");
      // A whole-page load (reloadDocument), so waiting for the address waits for the new figures.
      await Promise.all([s.page.waitForURL(/fresh=1/), refresh.click()]);
      expect(await s.page.getByTestId("dashboard-as-of").textContent()).toMatch(text.asOf);
      const row = s.page.locator('[data-testid="track-summary"] tr[data-track="ai-safe-use"]');
      expect(await row.locator("th").textContent()).toBe(text.track);
      // Both charts are server-rendered SVG images with a text alternative, each beside its table.
      for (const chart of ["bar-chart", "line-chart"]) {
        const svg = s.page.getByTestId(chart);
        expect(await svg.getAttribute("role")).toBe("img");
        expect((await svg.locator("title").textContent())?.length).toBeGreaterThan(10);
      }
      expect(await s.page.locator('[data-testid="department-table"] tbody tr').count()).toBeGreaterThan(1);
      expect(await s.page.locator('[data-testid="expiring"] a').count()).toBe(3);
      await expectAccessible(s.page);
      await shot(s.page, `hr-dashboard-${language}`);

      // The "not started" number of the track links to exactly that many people.
      const link = row.locator('a[href*="status=not-started"]');
      const count = Number((await link.evaluate((a) => a.firstChild?.textContent ?? "")).replace(/[^\d]/g, ""));
      expect(count).toBeGreaterThan(0);
      await Promise.all([s.page.waitForURL(/\/hr\/report\?/), link.click()]);
      // A client-side navigation: the address changes before the new page has rendered.
      await expect.poll(() => s.page.locator("h1").textContent()).toBe(text.listTitle);
      const statuses = await s.page.locator('[data-testid="report-people"] td[data-status]').allTextContents();
      expect(statuses).toHaveLength(count);
      expect(new Set(statuses)).toEqual(new Set([text.notStarted]));
      expect(await s.page.getByTestId("report-csv").getAttribute("href")).toBe("/hr/report.csv?track=ai-safe-use&status=not-started");
      await expectAccessible(s.page);
      await shot(s.page, `hr-report-${language}`);
      expect(s.consoleErrors).toEqual([]);
    });
  }
});
