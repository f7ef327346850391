import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn } from "../helpers/browser";

// The admin's webhooks page in a real browser, in both languages: add one (the address checked as
// typed, the secret shown once), send it a test request, disable it behind the confirmation step.

const TEXT = {
  ja: {
    title: "Webhook",
    adminLink: "他システム向けのWebhook",
    urlScheme: "https:// または http:// で始まるURLを入力してください。",
    urlCredentials: "URLにユーザー名やパスワードを含めないでください。",
    descriptionRequired: "説明を入力してください。",
    submit: "Webhookを追加",
    added: (name: string) => `Webhook「${name}」を追加しました`,
    verify: "署名の検証",
    active: "有効",
    disabled: "無効",
    ping: "テスト送信",
    pingOk: (name: string) => `「${name}」へのテストリクエストに HTTP 204 が返りました。`,
    disable: "無効にする",
    confirmTitle: (name: string) => `Webhook「${name}」を無効にしますか？`,
    disabledToast: (name: string) => `Webhook「${name}」を無効にしました。`,
    deliveries: "配信履歴",
  },
  en: {
    title: "Webhooks",
    adminLink: "Webhooks for other systems",
    urlScheme: "Use an address starting with https:// or http://.",
    urlCredentials: "Leave the user name and password out of the address",
    descriptionRequired: "Enter a description.",
    submit: "Add webhook",
    added: (name: string) => `Webhook “${name}” added`,
    verify: "Checking the signature",
    active: "Active",
    disabled: "Disabled",
    ping: "Send test",
    pingOk: (name: string) => `The test request to “${name}” was answered with HTTP 204.`,
    disable: "Disable",
    confirmTitle: (name: string) => `Disable webhook “${name}”?`,
    disabledToast: (name: string) => `Webhook “${name}” disabled.`,
    deliveries: "Deliveries",
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
let receiver: Server;
let receiverUrl: string;
const received: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/manabi`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe("the admin's webhooks page", () => {
  for (const language of ["ja", "en"] as const) {
    it(`adds, tests and disables a webhook (${language})`, async () => {
      const text = TEXT[language];
      const name = `E2E receiver ${language}`;
      const session = await openSession(browser, language);
      const { page } = session;
      await signIn(page, "admin@example.com");
      await page.goto("/admin");
      await page.getByRole("link", { name: text.adminLink }).click();
      await page.waitForURL(/\/admin\/webhooks$/);
      await page.locator("h1", { hasText: text.title }).waitFor();
      await page.getByRole("heading", { name: text.deliveries, level: 2 }).waitFor();
      await expectAccessible(page);

      // Bad input: said beside the fields, in the page's language, before anything is sent.
      const url = page.locator('input[name="url"]');
      const description = page.locator('input[name="description"]');
      await url.fill("ftp://example.com/hook");
      // Focus then Enter: a click could land beside the button once the blur's message moves it down.
      await page.getByRole("button", { name: text.submit }).press("Enter");
      await page.getByText(text.urlScheme, { exact: true }).waitFor();
      await page.getByText(text.descriptionRequired, { exact: true }).waitFor();
      await expect.poll(() => url.getAttribute("aria-invalid")).toBe("true");
      await url.fill("https://user:pw@example.com/hook");
      await page.getByText(text.urlCredentials, { exact: false }).waitFor();
      await expectAccessible(page);

      // A good one: the secret and how to check signatures, shown once.
      await url.fill(receiverUrl);
      await description.fill(name);
      await page.getByRole("button", { name: text.submit }).press("Enter");
      const added = page.locator('[data-testid="new-webhook"]');
      await added.waitFor();
      expect(await added.getByRole("heading", { level: 2 }).textContent()).toBe(text.added(name));
      expect(await added.getByRole("heading", { level: 3 }).textContent()).toBe(text.verify);
      const secret = await page.locator('[data-testid="webhook-secret"]').inputValue();
      expect(secret).toMatch(/^whsec_/);
      const row = page.locator('[data-testid="webhooks"] tbody tr', { has: page.getByText(name, { exact: true }) });
      expect(await row.locator('[data-testid="webhook-health"]').textContent()).toBe(text.active);
      await expectAccessible(page);
      await shots(page, `webhooks-added-${language}`);
      await page.reload();
      expect(await page.content()).not.toContain(secret);

      // A test request reaches the receiver; the page says how it was answered.
      received.length = 0;
      await row.getByRole("button", { name: text.ping }).click();
      await page.getByRole("status").filter({ hasText: text.pingOk(name) }).waitFor();
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!)).toMatchObject({ events: [], test: true });

      // Disabling asks first (a page state, works without JavaScript), then disables.
      await row.getByRole("link", { name: text.disable }).click();
      const confirm = page.locator('[data-testid="disable-confirmation"]');
      await confirm.waitFor();
      expect(await confirm.getByRole("heading").textContent()).toBe(text.confirmTitle(name));
      await expectAccessible(page);
      await confirm.getByRole("button").click();
      await page.getByRole("status").filter({ hasText: text.disabledToast(name) }).waitFor();
      const after = page.locator('[data-testid="webhooks"] tbody tr', { has: page.getByText(name, { exact: true }) });
      expect(await after.locator('[data-testid="webhook-health"]').textContent()).toBe(text.disabled);
      expect(await after.getByRole("button", { name: text.ping }).count()).toBe(0);
      await expectAccessible(page);
      await shots(page, `webhooks-disabled-${language}`);

      expect(session.consoleErrors).toEqual([]);
      await session.context.close();
    }, 120_000);
  }
});
