import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

// Only dry runs here: applying a file would deactivate the demo company the other browser tests use.
const HEADER = "employee_number,family_name,given_name,family_name_kana,given_name_kana,email,department_code,department_name,manager_employee_number,preferred_language,active";
const FILE = [
  HEADER,
  "900001,山田,太郎,ヤマダ,タロウ,taro.import@example.com,IMP,取込部,,ja,true",
  // Row 3: the kana reading is in hiragana.
  "900002,佐藤,花子,さとう,ハナコ,hanako.import@example.com,IMP,取込部,900001,en,true",
].join("\r\n");

let browser: Browser;
const opened: Session[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const s of opened) await s.context.close();
  await browser?.close();
});

describe("HR org import in the browser", () => {
  for (const [language, expected] of [
    ["ja", { title: "組織データの取り込み", row: "3 行目", reason: "「family_name_kana」はカタカナで入力してください。「さとう」はカタカナではありません。", errors: "エラー 1 件" }],
    ["en", { title: "Import the organisation", row: "Row 3", reason: "\"family_name_kana\" must be in katakana; \"さとう\" is not.", errors: "1 error must be fixed" }],
  ] as const) {
    it(`shows the dry run's problem with its row and reason in ${language}, with no Apply button, accessibly`, async () => {
      const s = await openSession(browser, language);
      opened.push(s);
      await signIn(s.page, "hr@example.com");
      await s.page.goto("/hr");
      await s.page.locator('a[href="/hr/import"]').click();
      await expect.poll(() => s.page.locator("h1").textContent()).toBe(expected.title);
      await expectAccessible(s.page);

      await s.page.locator("#import-file").setInputFiles({ name: "org.csv", mimeType: "text/csv", buffer: Buffer.from(`\ufeff${FILE}\r\n`, "utf8") });
      await s.page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click();
      const problems = s.page.getByTestId("import-problems");
      await problems.waitFor();
      const rows = problems.locator("tbody tr");
      expect(await rows.count()).toBe(1);
      expect(await rows.first().locator("td").first().textContent()).toBe(expected.row);
      expect(await rows.first().locator("td").last().textContent()).toBe(expected.reason);
      expect(await s.page.getByRole("alert").filter({ hasText: expected.errors }).count()).toBe(1);
      expect(await s.page.getByTestId("apply-form").count()).toBe(0);
      await expectAccessible(s.page);
      expect(s.consoleErrors).toEqual([]);
    });
  }
});
