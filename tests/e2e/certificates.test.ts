import fs from "node:fs";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

// A demo learner no other browser test signs in as, so the certificates HR records here disturb nothing.
// Japanese-script names are family name first in Japanese; English shows the romanised name, given name first (formatPersonName).
const LEARNER = { email: "mayu.ikeda@example.com", ja: "池田 真由", en: "Mayu Ikeda" };
const DAY = 24 * 60 * 60 * 1000;
/** A Tokyo calendar day, `days` from today, as YYYY-MM-DD. */
const tokyoDay = (days: number) => new Date(Date.now() + days * DAY + 9 * 60 * 60 * 1000).toISOString().slice(0, 10);

// Screenshots for people to look at, when asked for (SCREENSHOT_DIR=/some/dir).
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
  await browser?.close();
});

async function session(language: "ja" | "en") {
  const s = await openSession(browser, language);
  opened.push(s);
  return s;
}

function clean(s: Session) {
  expect(s.consoleErrors).toEqual([]);
}

/** HR records an external certificate for the learner through the HR page; returns its number. */
async function recordExternal(page: Page, trackId: string, passedOn: string, evidence: string): Promise<string> {
  await page.locator("#record-external select").selectOption(trackId);
  await page.locator('#record-external input[type="date"]').fill(passedOn);
  await page.locator("#record-external textarea").fill(evidence);
  const toast = page.getByRole("status").filter({ hasText: "を登録しました" });
  const before = (await toast.count()) ? await toast.textContent() : null;
  await page.locator('#record-external button[type="submit"]').click();
  // Post/Redirect/Get: wait for the notice of this recording, not the previous one.
  await expect.poll(async () => ((await toast.count()) ? await toast.textContent() : null)).not.toBe(before);
  return /MNB-\d{4}-\d{6,}/.exec((await toast.textContent()) ?? "")![0];
}

const numbers = { valid: "", expired: "", revoked: "" };

describe("certificates in the browser", () => {
  it("HR finds the learner, records external certificates and revokes one after confirming", async () => {
    const s = await session("ja");
    await signIn(s.page, "hr@example.com");
    await s.page.goto("/hr/certificates");
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("認定証と免除");
    await s.page.getByRole("searchbox", { name: "社員を検索（氏名、よみがな、メールアドレス）" }).fill("いけだ");
    await s.page.getByRole("button", { name: "検索" }).click();
    await s.page.getByRole("link", { name: `${LEARNER.ja}さんの認定証を管理` }).click();
    await expect.poll(() => s.page.locator("#person-heading").textContent()).toBe(LEARNER.ja);
    await expectAccessible(s.page);

    // A missing reason is shown beside the field; nothing is recorded.
    await s.page.locator("#record-external select").selectOption("ai-safe-use");
    await s.page.locator('#record-external input[type="date"]').fill(tokyoDay(-10));
    await s.page.locator('#record-external button[type="submit"]').click();
    await expect.poll(() => s.page.locator("#record-external").textContent()).toContain("確認した証跡を入力してください。");

    // Valid, inside AI Safe Use's 60-day recertification window (12 months from 320 days ago).
    numbers.valid = await recordExternal(s.page, "ai-safe-use", tokyoDay(-320), "社内試験の紙の合格証（2025年）を人事部で確認");
    // Expired: the practitioner track is valid for 24 months; this pass is three years old.
    numbers.expired = await recordExternal(s.page, "ai-practitioner", tokyoDay(-3 * 365), "G検定 2022#2 合格証");
    numbers.revoked = await recordExternal(s.page, "ai-practitioner", tokyoDay(-5), "G検定 2026#6 合格証");

    await s.page.getByRole("link", { name: `認定証 ${numbers.revoked} を取り消す` }).click();
    const confirm = s.page.getByTestId("revoke-confirmation");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`認定証 ${numbers.revoked} を取り消しますか？`);
    await expectAccessible(s.page);
    await shot(s.page, "hr-revoke-confirm-ja");
    await confirm.locator("textarea").fill("合格証の番号が別人のものと判明したため");
    await confirm.getByRole("button", { name: "認定証を取り消す" }).click();
    await s.page.getByRole("status").filter({ hasText: `${numbers.revoked} を取り消しました` }).waitFor();
    await shot(s.page, "hr-person-ja");
    clean(s);
  });

  for (const language of ["ja", "en"] as const) {
    it(`the learner sees, prints and downloads the certificate in ${language}, and its QR target verifies it signed out`, async () => {
      expect(numbers.valid, "the HR test recorded the certificates").not.toBe("");
      const s = await session(language);
      await signIn(s.page, LEARNER.email);
      const L = language === "ja"
        ? { list: "マイ認定証", track: "AI安全利用 基礎", print: "印刷", pdf: "PDFをダウンロード", valid: "有効", expired: "期限切れ", revoked: "取り消し済み", notice: "今から再認定を受けてください" }
        : { list: "My certificates", track: "AI Safe Use", print: "Print", pdf: "Download PDF", valid: "Valid", expired: "Expired", revoked: "Revoked", notice: "Recertify from now on to keep your tool access." };

      // Home: the recertification notice, linking to the track.
      await s.page.goto("/");
      const notice = s.page.getByTestId("recertify-notice");
      await expect.poll(() => notice.textContent()).toContain(L.notice);
      expect(await notice.locator("a").getAttribute("href")).toBe("/tracks/ai-safe-use");

      await s.page.goto("/certificates");
      await expect.poll(() => s.page.locator("h1").textContent()).toBe(L.list);
      const rows = s.page.getByTestId("certificates").locator("tbody tr");
      await expect.poll(() => rows.count()).toBe(3);
      const statusOf = async (n: string) => (await rows.filter({ hasText: n }).locator("[data-status]").textContent())?.trim();
      expect(await statusOf(numbers.valid)).toBe(L.valid);
      expect(await statusOf(numbers.expired)).toBe(L.expired);
      expect(await statusOf(numbers.revoked)).toBe(L.revoked);
      await expectAccessible(s.page);

      await rows.filter({ hasText: numbers.valid }).getByRole("link", { name: L.track }).click();
      const sheet = s.page.getByTestId("certificate-sheet");
      await sheet.waitFor();
      expect(await sheet.textContent()).toContain(LEARNER[language]);
      expect(await sheet.textContent()).toContain(numbers.valid);
      expect(await sheet.locator(".certificate-qr svg").getAttribute("role")).toBe("img");
      await expectAccessible(s.page);
      await shot(s.page, `certificate-${language}-1280`);

      // Print: only the sheet, on exactly one A4 page.
      await s.page.emulateMedia({ media: "print" });
      expect(await s.page.locator("header").first().isVisible()).toBe(false);
      expect(await s.page.getByRole("button", { name: L.print }).isVisible()).toBe(false);
      await shot(s.page, `certificate-${language}-print`);
      const printed = await PDFDocument.load(await s.page.pdf({ format: "A4", printBackground: true }));
      expect(printed.getPageCount()).toBe(1);
      await s.page.emulateMedia({ media: "screen" });

      await s.page.setViewportSize({ width: 390, height: 844 });
      await shot(s.page, `certificate-${language}-390`);
      await s.page.setViewportSize({ width: 1280, height: 800 });

      // Download the PDF.
      const [download] = await Promise.all([s.page.waitForEvent("download"), s.page.getByRole("link", { name: L.pdf }).click()]);
      expect(download.suggestedFilename()).toBe(`${numbers.valid}_${L.track}.pdf`);
      const file = await download.path();
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);

      // The QR code's target, opened signed out, for each of the three certificates.
      const urls: Record<string, string> = {};
      for (const [status, number] of Object.entries(numbers)) {
        await s.page.goto("/certificates");
        await rows.filter({ hasText: number }).locator("a").first().click();
        await sheet.waitFor();
        urls[status] = (await sheet.locator(".certificate-verify-url").textContent())!;
        expect(urls[status]).toMatch(/\/verify\/[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
      }
      const visitor = await session(language);
      for (const [status, url] of Object.entries(urls)) {
        await visitor.page.goto(url);
        const box = visitor.page.getByTestId("verify-status");
        await box.waitFor();
        expect(await box.getAttribute("data-status")).toBe(status);
        expect(await box.locator("h2").textContent()).toBe(L[status as keyof typeof numbers]);
        const main = (await visitor.page.locator("main").textContent()) ?? "";
        expect(main).toContain(LEARNER[language]);
        expect(main).not.toContain(LEARNER.email);
        expect(main).not.toContain(numbers[status as keyof typeof numbers]);
        expect(await visitor.page.locator('meta[name="robots"]').getAttribute("content")).toBe("noindex");
        expect(await visitor.page.getByTestId("main-nav").count()).toBe(0);
        await expectAccessible(visitor.page);
        await shot(visitor.page, `verify-${status}-${language}`);
      }
      // An unknown code is a plain 404.
      const res = await visitor.page.goto("/verify/0000-0000-0000-0000-0000-0000-0000-0000");
      expect(res?.status()).toBe(404);
      expect(await visitor.page.getByTestId("error-page").getAttribute("data-status")).toBe("404");
      clean(visitor);
      clean(s);
    });
  }
});
