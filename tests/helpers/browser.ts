import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const baseUrl = () => inject("baseUrl");
export const DEMO_PASSWORD = "manabi-demo";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export type Session = { context: BrowserContext; page: Page; consoleErrors: string[] };

/** A fresh browser profile speaking the given language; console errors are collected to fail the test. */
export async function openSession(browser: Browser, language: "ja" | "en"): Promise<Session> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: language === "ja" ? "ja-JP" : "en-US",
    extraHTTPHeaders: { "Accept-Language": language === "ja" ? "ja-JP,ja;q=0.9" : "en-US,en;q=0.9" },
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // The browser reports every 4xx page load (an expected 403 or 404) as a console error.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  return { context, page, consoleErrors };
}

/**
 * Signs in. A signed-in person's pages follow the language stored on their account, which an earlier
 * test (in any file, in any order) may have switched; unless `keepAccountLanguage` is set, the page is
 * then switched to the language of this browser profile, so each test starts where it says it does.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD, options: { keepAccountLanguage?: boolean } = {}): Promise<void> {
  await page.goto("/login");
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login")),
    page.locator('main button[type="submit"]').click(),
  ]);
  // The URL changes before React has rendered the signed-in page; wait for the account menu.
  await page.locator('[data-testid="account-menu"]').waitFor();
  if (options.keepAccountLanguage) return;
  const wanted = (await page.evaluate(() => navigator.language)).startsWith("ja") ? "ja" : "en";
  if ((await page.locator("html").getAttribute("lang")) === wanted) return;
  const at = page.url();
  await page.getByRole("button", { name: wanted === "ja" ? "Switch to Japanese" : "英語に切り替える" }).first().click();
  // A plain wait, not expect.poll: signIn also runs in beforeAll hooks, outside any test.
  await page.waitForFunction((lang) => document.documentElement.lang === lang, wanted);
  if (page.url() !== at) await page.goto(at);
  await page.locator('[data-testid="account-menu"]').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.locator('[data-testid="account-menu"] summary').click();
  await Promise.all([page.waitForURL(/\/login/), page.locator('[data-testid="account-menu"] form button').click()]);
}

export type AxeFinding = { rule: string; impact: string; help: string; targets: string[] };

/** The WCAG 2.1 A/AA rules and axe's best practices: what the accessibility sweep holds every page to. */
export const AXE_WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/** The serious and critical accessibility violations (axe-core) on the page as it is now. */
export async function axeViolations(page: Page, tags?: string[]): Promise<AxeFinding[]> {
  // Legacy mode runs axe in the page itself; the default opens a blank page per run to merge the results
  // of cross-origin frames, which Manabi's pages do not have. Only violations get their details.
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ["violations"] });
  const results = await (tags ? builder.withTags(tags) : builder).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact!, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}

/** No serious or critical accessibility violations (axe-core) on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const bad = (await axeViolations(page)).map((v) => `${v.rule} (${v.impact}): ${v.help} — ${v.targets.slice(0, 3).join(", ")}`);
  expect(bad, `axe on ${page.url()}`).toEqual([]);
}

const axeChecked = new Set<string>();

/**
 * expectAccessible, but only the first time this test file reaches the page (its path, in the page's
 * language, and an optional variant such as the role whose version it is): axe takes about a second a
 * page, and a second run on the same page proves nothing new. Use it where a test walks pages other
 * tests (or other iterations) have already checked.
 */
export async function expectAccessibleOnce(page: Page, variant = ""): Promise<void> {
  const key = `${await page.locator("html").getAttribute("lang")} ${new URL(page.url()).pathname} ${variant}`;
  if (axeChecked.has(key)) return;
  axeChecked.add(key);
  await expectAccessible(page);
}

export async function navLabels(page: Page): Promise<string[]> {
  return page.locator('[data-testid="main-nav"] a').allTextContents();
}
