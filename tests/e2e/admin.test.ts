import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

// Demo people no other browser test signs in as or changes: their roles change here only.
const OKADA = "osamu.okada@example.com";
const GOTO = "shinya.goto@example.com";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

// Screenshots for people to look at, when asked for (SCREENSHOT_DIR=/some/dir).
const shotDir = process.env.SCREENSHOT_DIR;
async function shot(page: Page, name: string) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: false });
}

function clean(s: Session) {
  expect(s.consoleErrors).toEqual([]);
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

async function rightEdge(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  expect(box, selector).not.toBeNull();
  return box!.x + box!.width;
}

describe("the admin's people list on a phone", () => {
  it("grants a role, asks before removing it, and shows one's own admin role as a note (ja, 390 px)", async () => {
    const s = await openSession(browser, "ja");
    await s.page.setViewportSize({ width: 390, height: 844 });
    await signIn(s.page, "admin@example.com");
    await s.page.goto(`/admin?q=${encodeURIComponent("岡田")}`);
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("ユーザーと役割");
    expect(await s.page.getByTestId("roles-hint").textContent()).toContain("解除する前に確認します");
    expect(await noSidewaysScroll(s.page)).toBe(true);

    const row = `li[data-person="${OKADA}"]`;
    const grant = s.page.locator(row).getByRole("button", { name: /作成者を付与/ });
    expect(await rightEdge(s.page, `${row} button:has-text("作成者")`)).toBeLessThanOrEqual(390);
    await grant.click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toContain("作成者の役割を付与しました");
    await shot(s.page, "admin-people-ja-390");

    // Removing asks first; "keep it" leaves the role in place.
    const remove = s.page.locator(row).getByRole("link", { name: /作成者を解除/ });
    expect(await rightEdge(s.page, `${row} a:has-text("作成者")`)).toBeLessThanOrEqual(390);
    await remove.click();
    const confirmation = s.page.getByTestId("remove-confirmation");
    await confirmation.waitFor();
    expect(await confirmation.locator("h2").textContent()).toBe("岡田 修さんの作成者の役割を解除しますか？");
    expect(await noSidewaysScroll(s.page)).toBe(true);
    await expectAccessible(s.page);
    await shot(s.page, "admin-confirm-remove-ja-390");
    await confirmation.getByRole("link", { name: "解除しない" }).click();
    await expect.poll(() => confirmation.count()).toBe(0);
    expect(await s.page.locator(row).getByRole("link", { name: /作成者を解除/ }).count()).toBe(1);

    await remove.click();
    await confirmation.getByRole("button", { name: "作成者を解除する" }).click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toContain("作成者の役割を解除しました");
    expect(new URL(s.page.url()).search).toBe(`?q=${encodeURIComponent("岡田")}`);
    expect(await s.page.locator(row).getByRole("button", { name: /作成者を付与/ }).count()).toBe(1);

    // One's own admin role: not a button or a link, with a note that says why.
    await s.page.goto(`/admin?q=admin%40example.com`);
    const mine = s.page.locator('li[data-person="admin@example.com"]');
    expect(await mine.getByTestId("own-admin").evaluate((el) => el.tagName)).toBe("SPAN");
    expect(await mine.locator("a, button").filter({ hasText: "管理者" }).count()).toBe(0);
    expect(await mine.textContent()).toContain("ご自身の管理者の役割は解除できません");
    await expectAccessible(s.page);
    await shot(s.page, "admin-own-ja-390");
    clean(s);
  });
});

describe("the audit log", () => {
  it("lists role changes and publishes, filtered by kind, person and day (en, 1280 and 390 px)", async () => {
    const s = await openSession(browser, "en");
    await signIn(s.page, "admin@example.com");
    await s.page.goto(`/admin?q=${encodeURIComponent(GOTO)}`);
    const row = s.page.locator(`li[data-person="${GOTO}"]`);
    await row.getByRole("button", { name: /Grant HR/ }).click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toContain("HR granted to");
    await row.getByRole("link", { name: /Remove HR/ }).click();
    await s.page.getByTestId("remove-confirmation").getByRole("button", { name: "Remove HR" }).click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toContain("HR removed from");

    await s.page.goto("/admin");
    await s.page.getByRole("link", { name: "Full audit log" }).first().click();
    await s.page.waitForURL(/\/admin\/audit/);
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("Audit log");

    // By person and kind: this test's two role changes, newest first.
    await s.page.getByLabel("Person (name or email)").fill(GOTO);
    await s.page.getByLabel("Kind").selectOption("roles");
    await s.page.getByRole("button", { name: "Apply" }).click();
    await s.page.waitForURL(/person=/);
    const entries = s.page.getByTestId("audit-entries").locator("li");
    await expect.poll(() => entries.count()).toBe(2);
    expect(await entries.nth(0).textContent()).toMatch(/removed HR from Shinya Goto|removed HR from Goto Shinya/);
    expect(await entries.nth(1).textContent()).toMatch(/granted HR to/);
    await expectAccessible(s.page);
    await shot(s.page, "audit-roles-en-1280");

    // Publishes: the release published at start-up.
    await s.page.goto("/admin/audit?kind=publish");
    expect(await s.page.getByTestId("audit-entries").textContent()).toContain("published content release #1");

    // A day with nothing, and a day that is not one.
    await s.page.goto("/admin/audit?from=2001-01-01&to=2001-01-02");
    expect(await s.page.locator("main").textContent()).toContain("No entries match these filters.");
    await s.page.goto("/admin/audit?from=2026-02-30");
    expect(await s.page.locator("main").textContent()).toContain("Enter a date such as 2026-11-30.");
    await expectAccessible(s.page);

    await s.page.setViewportSize({ width: 390, height: 844 });
    await s.page.goto(`/admin/audit?person=${encodeURIComponent(GOTO)}`);
    expect(await noSidewaysScroll(s.page)).toBe(true);
    await shot(s.page, "audit-en-390");
    clean(s);
  });

  it("is shown in Japanese too", async () => {
    const s = await openSession(browser, "ja");
    await s.page.setViewportSize({ width: 390, height: 844 });
    await signIn(s.page, "admin@example.com");
    await s.page.goto("/admin/audit?kind=publish");
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("監査ログ");
    expect(await s.page.getByTestId("audit-entries").textContent()).toContain("コンテンツのリリース #1 を公開");
    expect(await noSidewaysScroll(s.page)).toBe(true);
    await expectAccessible(s.page);
    await shot(s.page, "audit-ja-390");
    clean(s);
  });

  it("is refused to HR, managers and learners", async () => {
    for (const email of ["hr@example.com", "manager@example.com", "learner@example.com"]) {
      const s = await openSession(browser, "ja");
      await signIn(s.page, email);
      const response = await s.page.goto("/admin/audit");
      expect(response?.status(), email).toBe(403);
      await s.context.close();
    }
  });
});
