import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baseUrl,
  expectAccessible,
  expectAccessibleOnce,
  launchBrowser,
  navLabels,
  openSession,
  signIn,
  signOut,
  type Session,
} from "../helpers/browser";

let browser: Browser;
const sessions: Session[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function session(language: "ja" | "en") {
  const s = await openSession(browser, language);
  sessions.push(s);
  return s;
}

function expectNoConsoleErrors(s: Session) {
  expect(s.consoleErrors).toEqual([]);
}

const NAV = {
  ja: { learner: ["ホーム", "マイ学習", "利用できるAIツール"], team: "チーム", hr: "人事", authoring: "コンテンツ管理", admin: "システム管理" },
  en: { learner: ["Home", "My learning", "My AI tools"], team: "Team", hr: "HR", authoring: "Authoring", admin: "Admin" },
};

const ACCOUNTS = [
  { email: "learner@example.com", extra: [] as const },
  { email: "manager@example.com", extra: ["team"] as const },
  { email: "hr@example.com", extra: ["hr"] as const },
  { email: "author@example.com", extra: ["authoring"] as const },
  { email: "admin@example.com", extra: ["admin"] as const },
];

describe("sign-in page", () => {
  it("is in Japanese for a Japanese browser and in English for an English one", async () => {
    const ja = await session("ja");
    await ja.page.goto("/");
    expect(new URL(ja.page.url()).pathname).toBe("/login");
    expect(await ja.page.locator("html").getAttribute("lang")).toBe("ja");
    await expect.poll(() => ja.page.locator("h1").textContent()).toBe("Manabiにログイン");
    expect(await ja.page.title()).toBe("ログイン | Manabi");
    await expectAccessible(ja.page);
    expectNoConsoleErrors(ja);

    const en = await session("en");
    await en.page.goto("/login");
    expect(await en.page.locator("html").getAttribute("lang")).toBe("en");
    expect(await en.page.locator("h1").textContent()).toBe("Sign in to Manabi");
    await expectAccessible(en.page);
    expectNoConsoleErrors(en);
  });

  it("sends strict security headers and a CSP without unsafe-eval", async () => {
    const res = await fetch(`${baseUrl()}/login`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("set-cookie")).toMatch(/manabi_csrf=.*HttpOnly.*SameSite=Lax/i);
  });

  it("says the email or password is wrong, in the reader's language", async () => {
    for (const [language, message] of [
      ["ja", "メールアドレスまたはパスワードが正しくありません。"],
      ["en", "The email address or password is not correct."],
    ] as const) {
      const s = await session(language);
      await s.page.goto("/login");
      await s.page.locator('input[name="email"]').fill("yumi.fujita@example.com");
      await s.page.locator('input[name="password"]').fill("not-the-password");
      await s.page.locator("main button[type=submit]").click();
      await expect.poll(() => s.page.getByRole("alert").textContent()).toBe(message);
      expect(new URL(s.page.url()).pathname).toBe("/login");
      await expectAccessible(s.page);
      expectNoConsoleErrors(s);
    }
  });

  it("shows field errors before sending an empty form", async () => {
    const s = await session("ja");
    await s.page.goto("/login");
    await s.page.locator("main button[type=submit]").click();
    await expect.poll(() => s.page.locator("main").textContent()).toContain("メールアドレスを入力してください。");
    expect(await s.page.locator("main").textContent()).toContain("パスワードを入力してください。");
    await expectAccessible(s.page);
  });

  it("pauses sign-in after repeated failures and says until when", async () => {
    const s = await session("ja");
    await s.page.goto("/login");
    for (let i = 0; i < 5; i++) {
      await s.page.locator('input[name="email"]').fill("takuya.yoshida@example.com");
      await s.page.locator('input[name="password"]').fill(`wrong-${i}`);
      await s.page.locator("main button[type=submit]").click();
      await s.page.getByRole("alert").waitFor();
      await s.page.waitForLoadState("networkidle");
    }
    const text = await s.page.getByRole("alert").textContent();
    expect(text).toMatch(/ログインの失敗が続いたため、安全のため\d{1,2}:\d{2}までログインを停止しています。/);
    // Even the right password is refused while the pause lasts.
    await s.page.locator('input[name="email"]').fill("takuya.yoshida@example.com");
    await s.page.locator('input[name="password"]').fill("manabi-demo");
    await s.page.locator("main button[type=submit]").click();
    await s.page.waitForLoadState("networkidle");
    expect(new URL(s.page.url()).pathname).toBe("/login");
    expect(await s.page.getByRole("alert").textContent()).toContain("ログインを停止しています");
    expectNoConsoleErrors(s);
  });
});

describe("each role's navigation", () => {
  for (const account of ACCOUNTS) {
    it(`${account.email} signs in and sees its navigation in both languages`, async () => {
      const s = await session("ja");
      await signIn(s.page, account.email);
      expect(new URL(s.page.url()).pathname).toBe("/");
      const expectedJa = [...NAV.ja.learner, ...account.extra.map((k) => NAV.ja[k])];
      await expect.poll(() => navLabels(s.page)).toEqual(expectedJa);
      await expect.poll(() => s.page.locator("h1").textContent()).toMatch(/さん、ようこそ$/);
      await expectAccessible(s.page);

      await s.page.getByRole("button", { name: "英語に切り替える" }).click();
      await s.page.waitForURL((u) => u.pathname === "/");
      await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("en");
      const expectedEn = [...NAV.en.learner, ...account.extra.map((k) => NAV.en[k])];
      await expect.poll(() => navLabels(s.page)).toEqual(expectedEn);
      expect(await s.page.locator("h1").textContent()).toMatch(/^Welcome, /);
      await expectAccessible(s.page);

      // Every page in the navigation opens (pages still being built say so politely); axe once per page
      // (the learner's pages are in every role's navigation, and the home page was checked above).
      for (const href of await s.page.locator('[data-testid="main-nav"] a').evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
        const response = await s.page.goto(href!);
        expect(response?.status(), href!).toBe(200);
        if (href !== "/") await expectAccessibleOnce(s.page);
      }

      // Back to Japanese for the next person on this account.
      await s.page.goto("/");
      await s.page.getByRole("button", { name: "Switch to Japanese" }).click();
      await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("ja");
      await signOut(s.page);
      expect(await s.page.getByRole("status").first().textContent()).toContain("ログアウトしました。");
      expectNoConsoleErrors(s);
    });
  }
});

describe("refusals and errors", () => {
  it("shows a learner a 403 page, not a crash, for an HR page — in both languages", async () => {
    const s = await session("ja");
    await signIn(s.page, "learner@example.com");
    const response = await s.page.goto("/hr");
    expect(response?.status()).toBe(403);
    expect(await s.page.locator("h1").textContent()).toBe("このページを表示する権限がありません");
    await expectAccessible(s.page);

    await s.page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("You do not have access to this page");
    await expectAccessible(s.page);
    await s.page.getByRole("button", { name: "Switch to Japanese" }).click();
    await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("ja");
    expectNoConsoleErrors(s);
  });

  it("shows a 404 page for an unknown address", async () => {
    const s = await session("en");
    const response = await s.page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    expect(await s.page.locator("h1").textContent()).toBe("Page not found");
    await expectAccessible(s.page);
    expectNoConsoleErrors(s);
  });

  it("rejects a form posted without its CSRF token, and one from another site", async () => {
    const s = await session("ja");
    await signIn(s.page, "author@example.com");
    // A form without the token, sent by the browser itself (same origin).
    const navigation = s.page.waitForNavigation();
    await s.page.evaluate(() => {
        const form = document.createElement("form");
        form.method = "post";
        form.action = "/logout";
        document.body.appendChild(form);
        form.submit();
    });
    expect((await navigation)?.status()).toBe(403);
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("フォームの有効期限が切れました");
    await expectAccessible(s.page);
    // Still signed in: the forged sign-out did nothing.
    await s.page.goto("/");
    expect(new URL(s.page.url()).pathname).toBe("/");

    const crossSite = await s.context.request.post(`${baseUrl()}/logout`, {
      headers: { Origin: "https://evil.example.com" },
      form: { csrf: "guess" },
    });
    expect(crossSite.status()).toBe(403);
  });

  it("remembers the language a signed-out visitor chose", async () => {
    const s = await session("ja");
    await s.page.goto("/login");
    await s.page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("Sign in to Manabi");
    await s.page.reload();
    expect(await s.page.locator("html").getAttribute("lang")).toBe("en");
    expectNoConsoleErrors(s);
  });

  it("keeps a signed-in person's language choice on their account, on any device", async () => {
    const first = await session("ja");
    await signIn(first.page, "kenta.shimizu@example.com");
    await first.page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => first.page.locator("html").getAttribute("lang")).toBe("en");

    const other = await session("ja");
    await signIn(other.page, "kenta.shimizu@example.com", undefined, { keepAccountLanguage: true });
    await expect.poll(() => other.page.locator("html").getAttribute("lang")).toBe("en");
    expectNoConsoleErrors(other);
  });

  it("lets an admin grant and remove a role, written to the audit log", async () => {
    const s = await session("ja");
    await signIn(s.page, "admin@example.com");
    await s.page.goto("/admin?q=" + encodeURIComponent("藤田"));
    await expect.poll(() => s.page.locator("h1").textContent()).toBe("ユーザーと役割");
    await expectAccessible(s.page);
    await s.page.getByRole("button", { name: "作成者を付与: 藤田 由美" }).click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toContain("藤田 由美さんに作成者の役割を付与しました。");
    await expect.poll(() => s.page.locator("main").textContent()).toContain("藤田 由美さんに作成者を付与");
    // Removing a role asks first.
    await s.page.getByRole("link", { name: "作成者を解除: 藤田 由美" }).click();
    await s.page.getByTestId("remove-confirmation").getByRole("button", { name: "作成者を解除する" }).click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toContain("藤田 由美さんの作成者の役割を解除しました。");
    await expectAccessible(s.page);
    expectNoConsoleErrors(s);
  });

  it("checks the current password before changing it", async () => {
    const s = await session("ja");
    await signIn(s.page, "aya.hasegawa@example.com");
    await s.page.goto("/account/password");
    await s.page.getByLabel("現在のパスワード").fill("wrong-password");
    await s.page.getByLabel("新しいパスワード", { exact: true }).fill("a-brand-new-passphrase");
    await s.page.getByLabel("新しいパスワード（確認）").fill("a-brand-new-passphrase");
    await s.page.getByRole("button", { name: "パスワードを変更" }).click();
    await expect.poll(() => s.page.locator("main").textContent()).toContain("現在のパスワードが正しくありません。");
    await expectAccessible(s.page);
    expectNoConsoleErrors(s);
  });

  it("signs out the person's other sessions from the account page and says so", async () => {
    const other = await session("en");
    await signIn(other.page, "aya.hasegawa@example.com");
    const s = await session("ja");
    await signIn(s.page, "aya.hasegawa@example.com");
    await s.page.goto("/account/password");
    await expect.poll(() => s.page.getByTestId("other-sessions").textContent()).toMatch(/^このほかに\d+か所/);
    await s.page.getByRole("button", { name: "ほかの端末からログアウト" }).click();
    await expect.poll(() => s.page.getByRole("status").first().textContent()).toMatch(/ほかの\d+か所からログアウトしました。/);
    expect(await s.page.getByTestId("other-sessions").textContent()).toBe("ほかのブラウザーや端末ではログインしていません。");
    await expectAccessible(s.page);
    // The other browser is signed out at its next request.
    await other.page.goto("/");
    expect(new URL(other.page.url()).pathname).toBe("/login");
    expectNoConsoleErrors(s);
  });
});
