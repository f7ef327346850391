import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";

// Assigned to one demo person only (by email), and withdrawn at the end, so other browser tests that read
// the demo company's figures see nothing of it.
const LEARNER = "learner@example.com";
const dueIn = (days: number) => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo" }).format(new Date(Date.now() + days * 86_400_000));

let browser: Browser;
const opened: Session[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const s of opened) await s.context.close();
  await browser?.close();
});

async function session(language: "ja" | "en", email: string): Promise<Session> {
  const s = await openSession(browser, language);
  opened.push(s);
  await signIn(s.page, email);
  return s;
}

describe("HR assigns a track and the learner sees it", () => {
  for (const [hrLanguage, learnerLanguage, text] of [
    ["ja", "en", { submit: "割り当てる", trackError: "トラックを選択してください。", whenError: "期限日、新入社員向けの日数、またはその両方を入力してください。", assigned: "Assigned to you", left: "14 days left", withdraw: "取り下げ", confirm: "割り当てを取り下げる" }],
    ["en", "ja", { submit: "Assign", trackError: "Choose a track.", whenError: "Enter a due date, a number of days for new hires, or both.", assigned: "あなたへの受講依頼", left: "残り14日", withdraw: "Withdraw", confirm: "Withdraw the assignment" }],
  ] as const) {
    it(`HR in ${hrLanguage} gets every problem at once, assigns one person, and that person sees it in ${learnerLanguage}`, async () => {
      const hr = await session(hrLanguage, "hr@example.com");
      await hr.page.goto("/hr/assignments");
      const submit = hr.page.locator(`main button[type="submit"]:has-text("${text.submit}")`);
      await submit.click();
      await expect.poll(() => hr.page.locator("#new-assignment").textContent()).toContain(text.trackError);
      expect(await hr.page.locator("#new-assignment").textContent()).toContain(text.whenError);
      expect(await hr.page.locator('select[name="trackId"]').getAttribute("aria-invalid")).toBe("true");
      await expectAccessible(hr.page);

      // The last track: the least likely to be assigned to this person by anything else.
      const option = hr.page.locator('select[name="trackId"] option').last();
      const [trackId, trackTitle] = [(await option.getAttribute("value"))!, (await option.textContent())!];
      await hr.page.selectOption('select[name="trackId"]', trackId);
      await hr.page.locator('input[name="scope"][value="people"]').check();
      await hr.page.locator('textarea[name="people"]').fill(LEARNER);
      await hr.page.locator('input[name="dueOn"]').fill(dueIn(14));
      await submit.click();
      const item = hr.page.getByTestId("assignment").filter({ hasText: trackTitle }).first();
      await item.waitFor();
      await expectAccessible(hr.page);

      const learner = await session(learnerLanguage, LEARNER);
      const mine = learner.page.getByTestId("my-assignments");
      await mine.waitFor();
      expect(await mine.locator("h2").textContent()).toBe(text.assigned);
      const card = mine.locator("li").filter({ has: learner.page.locator(`a[href="/tracks/${trackId}"]`) });
      expect(await card.textContent()).toContain(text.left);
      await expectAccessible(learner.page);

      // Withdraw (with its confirmation step), so the demo company is as it was.
      await item.locator("a", { hasText: text.withdraw }).click();
      await hr.page.getByTestId("withdraw-confirmation").locator("button", { hasText: text.confirm }).click();
      await expect.poll(() => hr.page.getByTestId("withdraw-confirmation").count()).toBe(0);
      await learner.page.reload();
      await learner.page.locator('[data-testid="account-menu"]').waitFor();
      const after = learner.page.getByTestId("my-assignments").locator("li").filter({ has: learner.page.locator(`a[href="/tracks/${trackId}"]`) });
      expect((await after.count()) === 0 || !(await after.textContent())?.includes(text.left)).toBe(true);
      expect([...hr.consoleErrors, ...learner.consoleErrors]).toEqual([]);
    });
  }
});
