import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baseUrl, expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

const NEW_EMAIL = "invite.e2e@example.com";
const NEW_PASSWORD = "first password 2027";

let browser: Browser;
const opened: Session[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const s of opened) await s.context.close();
  await browser?.close();
});

/** Runs the org import on /hr/import with this CSV and applies it. */
async function importAndApply(page: Page, csv: string): Promise<void> {
  await page.goto("/hr/import");
  await page.locator("#import-file").setInputFiles({ name: "org.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
  const apply = page.getByTestId("apply-form");
  await apply.waitFor();
  const confirm = apply.locator('input[name="confirm"]');
  if (await confirm.count()) await confirm.check();
  await apply.locator('button[type="submit"]').click();
  await page.getByTestId("apply-form").waitFor({ state: "detached" });
}

/** The text/plain part of an .eml file, decoded (base64 or quoted-printable). */
function plainText(eml: string): string {
  const part = eml.split(/\n--/).find((p) => /Content-Type: text\/plain/i.test(p)) ?? eml;
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n");
  if (/Content-Transfer-Encoding: base64/i.test(head!)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head!)) {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

describe("invitations in the browser", () => {
  it("HR invites a new person (ja); the link in the emailed .eml sets a password (en) and signs them in", async () => {
    const hr = await openSession(browser, "ja");
    opened.push(hr);
    await signIn(hr.page, "hr@example.com");

    // A new person arrives through the org import: the company as exported, plus one row.
    const exported = (await (await hr.page.request.get(`${baseUrl()}/hr/people.csv`)).text()).replace(/^\ufeff/, "");
    const [header] = exported.split(/\r?\n/);
    const columns = header!.split(",");
    const values: Record<string, string> = {
      employee_number: "990001",
      family_name: "Clark",
      given_name: "Emily",
      family_name_kana: "クラーク",
      given_name_kana: "エミリー",
      email: NEW_EMAIL,
      preferred_language: "en",
      active: "true",
    };
    const original = exported.replace(/\r?\n$/, "");
    await importAndApply(hr.page, `${original}\r\n${columns.map((c) => values[c] ?? "").join(",")}\r\n`);

    await hr.page.goto("/hr");
    await hr.page.locator('a[href="/hr/invitations"]').click();
    await expect.poll(() => hr.page.locator("h1").textContent()).toBe("招待");
    const row = hr.page.locator(`tr[data-person="${NEW_EMAIL}"]`);
    expect(await row.getAttribute("data-status")).toBe("not-invited");
    await row.locator('input[type="checkbox"]').check();
    await hr.page.locator('button[name="confirm"][value="selected"]').click();
    const confirm = hr.page.getByTestId("invite-confirm");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain("1人に招待メールを送ります。");
    await expectAccessible(hr.page);
    await confirm.locator('button[type="submit"]').click();
    await expect.poll(() => hr.page.locator(`tr[data-person="${NEW_EMAIL}"]`).getAttribute("data-status")).toBe("invited");
    expect(hr.consoleErrors).toEqual([]);

    // The worker writes the mail within a few seconds.
    const mailDir = inject("mailDir");
    let eml = "";
    await expect
      .poll(
        () => {
          const file = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).find((f) => f.endsWith(".eml") && fs.readFileSync(path.join(mailDir, f), "utf8").includes(NEW_EMAIL)) : undefined;
          eml = file ? fs.readFileSync(path.join(mailDir, file), "utf8") : "";
          return Boolean(file);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    expect(eml).toMatch(/^Subject: Manabi: set your password to start learning/m);
    const link = plainText(eml).match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/)![0];

    const person = await openSession(browser, "en");
    opened.push(person);
    await person.page.goto(new URL(link).pathname);
    await expect.poll(() => person.page.locator("h1").textContent()).toBe("Welcome to Manabi");
    await expectAccessible(person.page);
    const inputs = person.page.locator('input[type="password"]');
    await inputs.nth(0).fill(NEW_PASSWORD);
    await inputs.nth(1).fill(NEW_PASSWORD);
    await person.page.locator('form button[type="submit"]').filter({ hasText: "Set password and sign in" }).click();
    await person.page.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => person.page.getByText("Your password is set and you are signed in.").count()).toBeGreaterThan(0);
    expect(person.consoleErrors).toEqual([]);

    // The link works once.
    await person.page.goto(new URL(link).pathname);
    await expect.poll(() => person.page.locator("h1").textContent()).toBe("This link has already been used");

    // Leave the demo company as it was for the other browser tests: the new person is deactivated.
    await importAndApply(hr.page, exported);
  });
});
