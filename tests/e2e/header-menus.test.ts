import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

let browser: Browser;
let s: Session;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await s?.context.close();
  await browser?.close();
});

describe("the header's menus on a phone", () => {
  it("never lie on top of each other; a tap outside or Escape closes the open one", async () => {
    s = await openSession(browser, "en");
    await s.page.setViewportSize({ width: 390, height: 844 });
    await signIn(s.page, "learner@example.com");
    const phone = s.page.getByTestId("phone-menu");
    const account = s.page.getByTestId("account-menu");
    const isOpen = (menu: typeof phone) => menu.evaluate((d) => (d as HTMLDetailsElement).open);

    await phone.locator("summary").click();
    expect(await isOpen(phone)).toBe(true);
    expect(await phone.locator("summary").textContent()).toContain("Close menu");
    await account.locator("summary").click();
    await expect.poll(() => isOpen(phone)).toBe(false);
    expect(await isOpen(account)).toBe(true);

    // The account menu covers the phone menu's button: a tap outside closes it first.
    await s.page.locator("footer").click();
    await expect.poll(() => isOpen(account)).toBe(false);
    await phone.locator("summary").click();
    expect(await isOpen(phone)).toBe(true);
    await s.page.keyboard.press("Escape");
    await expect.poll(() => isOpen(phone)).toBe(false);
    expect(await s.page.evaluate(() => document.activeElement?.closest("[data-testid]")?.getAttribute("data-testid"))).toBe("phone-menu");
    expect(s.consoleErrors).toEqual([]);
  });
});
