import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD, expectAccessible, launchBrowser, openSession, signIn, type Session } from "../helpers/browser";
import { answer, currentQuestion, keyOf, waitSaved, type YamlQuestion } from "../helpers/exam-e2e";

/**
 * The learner's exam in the browser: the AI Safe Use exam with the real content. The keys are read
 * here, in the test process, from the content the server published (never from the browser), and
 * matched to the question on screen by its text.
 */

// Demo learners no other browser test signs in as; HR exempts them from the courses first.
const LEARNERS = {
  pass: "hina.kato@example.com",
  fail: "ren.sasaki@example.com",
  reload: "yuma.inoue@example.com",
  keyboard: "sakura.kimura@example.com",
  expired: "yuko.yamaguchi@example.com",
  noScript: "ryo.hashimoto@example.com",
} as const;
const TRACK = "ai-safe-use";

// Screenshots for people to look at, when asked for (SCREENSHOT_DIR=/some/dir).
const shotDir = process.env.SCREENSHOT_DIR;
async function shot(page: Page, name: string) {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(shotDir, `${name}-${width}.png`), fullPage: true });
    // Long pages (the result with its review) also as their first screens, to look at.
    await page.screenshot({ path: path.join(shotDir, `${name}-${width}-top.png`), fullPage: true, clip: { x: 0, y: 0, width, height: 1600 } });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  // HR exempts the learners from the courses through the HR page (the "or whom HR exempts").
  const hr = await openSession(browser, "en");
  await signIn(hr.page, "hr@example.com");
  for (const email of Object.values(LEARNERS)) {
    await hr.page.goto(`/hr/certificates?q=${encodeURIComponent(email)}`);
    await hr.page.locator('main a[href*="person="]').first().click();
    await hr.page.locator("#exempt select").waitFor();
    await hr.page.locator("#exempt select").selectOption(TRACK);
    await hr.page.locator("#exempt textarea").fill("Passed the company's former AI e-learning (test setup)");
    const exemptions = hr.page.locator('[data-testid="exemptions"] li');
    const before = await exemptions.count();
    await hr.page.locator('#exempt button[type="submit"]').click();
    await exemptions.nth(before).waitFor();
  }
  expect(hr.consoleErrors).toEqual([]);
  await hr.context.close();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

function clean(s: Session) {
  expect(s.consoleErrors).toEqual([]);
}

async function startExam(s: Session, email: string): Promise<string> {
  await signIn(s.page, email);
  await s.page.goto(`/tracks/${TRACK}`);
  await expect.poll(() => s.page.locator('[data-testid="eligibility"]').getAttribute("data-kind")).toBe("ready");
  await s.page.locator('[data-testid="eligibility"] button[value="start"]').click();
  await s.page.waitForURL(/\/exams\/[A-Za-z0-9_-]{22}$/);
  await s.page.locator('[data-testid="question-stem"]').waitFor();
  return new URL(s.page.url()).pathname.split("/")[2]!;
}

/** Answers every question, checks that the page holds no key or explanation, and submits through the dialog. */
async function takeWholeExam(s: Session, right: boolean, shots?: string) {
  const page = s.page;
  await page.locator('[data-testid="question-stem"]').waitFor();
  const total = await page.locator('[data-testid="question-navigator"] button').count();
  expect(total).toBe(20);
  const seen: YamlQuestion[] = [];
  for (let i = 0; i < total; i++) {
    await expect.poll(() => page.locator('[data-testid="question"]').getAttribute("data-position")).toBe(String(i));
    seen.push(await answer(page, right));
    if (i === 0) {
      await expectAccessible(page);
      if (shots) await shot(page, `${shots}-question`);
    }
    if (i < total - 1) await page.getByRole("button", { name: /^(Next|次の問題)/ }).click();
  }
  // Integrity: the page's HTML and data hold no explanation of the questions it shows.
  const html = await page.content();
  for (const q of seen) {
    expect(html).not.toContain(q.explanation.en.slice(0, 60));
    expect(html).not.toContain(q.explanation.ja.slice(0, 40));
  }
  await page.getByRole("button", { name: /^(Finish and submit|解答を終えて提出する)/ }).click();
  const dialog = page.locator('[data-testid="confirm-dialog"]');
  await expect.poll(() => dialog.isVisible()).toBe(true);
  expect(await dialog.locator('[data-testid="confirm-unanswered"]').textContent()).toMatch(/every question|すべての問題に回答/);
  await expectAccessible(page);
  if (shots) await shot(page, `${shots}-confirm`);
  await dialog.getByRole("button", { name: /^(Submit now|提出する)$/ }).click();
  await page.waitForURL(/\/exams\/[A-Za-z0-9_-]{22}\/result$/);
  await page.locator('[data-testid="verdict"]').waitFor();
}

// A whole 20-question exam walked in the browser (with axe on several pages): about 40 s on this 2-core
// machine, more while other work shares it; the default 60 s was too tight on a busy CI run.
const WHOLE_EXAM_MS = 150_000;

describe("a learner takes the AI Safe Use exam", () => {
  it("passes in Japanese: tracks on My learning, the rules, every answer saved, the confirmation, the result and the review", async () => {
    const s = await openSession(browser, "ja");
    await signIn(s.page, LEARNERS.pass);
    await s.page.goto("/learn");
    const track = s.page.locator(`[data-testid="tracks"] li[data-track="${TRACK}"]`);
    expect(await track.locator('[data-testid="track-status"]').textContent()).toContain("受験できます");
    await expectAccessible(s.page);
    await shot(s.page, "ja-learn");
    await track.getByRole("link", { name: /^トラックを開く/ }).click();
    await s.page.waitForURL(new RegExp(`/tracks/${TRACK}$`));
    const rules = s.page.locator('[data-testid="rules"]');
    expect(await rules.textContent()).toMatch(/20問.*25分.*80％以上.*最大3回.*24時間後/s);
    await expectAccessible(s.page);
    await shot(s.page, "ja-track");
    await s.page.locator('[data-testid="eligibility"] button[value="start"]').click();
    await s.page.waitForURL(/\/exams\/[A-Za-z0-9_-]{22}$/);

    await takeWholeExam(s, true, "ja");
    expect(await s.page.locator('[data-testid="verdict"]').textContent()).toContain("合格");
    expect(await s.page.locator('[data-testid="verdict"]').getAttribute("data-passed")).toBe("true");
    expect(await s.page.locator('[data-testid="score"]').textContent()).toContain("得点100％（20問中20問正解）");
    expect(await s.page.locator('[data-testid="review-item"]').count()).toBe(20);
    expect(await s.page.locator('[data-testid="review-item"][data-correct="true"]').count()).toBe(20);
    expect(await s.page.locator('[data-testid="certificate-link"]').getAttribute("href")).toMatch(/^\/certificates\//);
    await expectAccessible(s.page);
    await shot(s.page, "ja-result");

    // The track now shows the certificate and the past attempt; My learning says certified.
    await s.page.goto(`/tracks/${TRACK}`);
    expect(await s.page.locator('[data-testid="eligibility"]').getAttribute("data-kind")).toBe("certified");
    expect(await s.page.locator('[data-testid="past-attempts"] tbody tr').count()).toBe(1);
    await s.page.goto("/learn");
    expect(await track.locator('[data-testid="track-status"]').textContent()).toMatch(/^✓ 認定済み（\d{4}年\d{1,2}月\d{1,2}日まで有効）$/);
    clean(s);
  }, WHOLE_EXAM_MS);

  it("fails in English and is told which domains to study and when the retake opens", async () => {
    const s = await openSession(browser, "en");
    await startExam(s, LEARNERS.fail);
    await takeWholeExam(s, false, "en");
    expect(await s.page.locator('[data-testid="verdict"]').textContent()).toContain("Not passed");
    expect(await s.page.locator('[data-testid="score"]').textContent()).toContain("Score 0% (0 of 20 correct). Pass mark: 80%.");
    expect(await s.page.locator('[data-testid="next-step"]').textContent()).toMatch(/You can retake the exam from .+ JST\. Attempts left: 2\./);
    const study = s.page.locator('[data-testid="study"]');
    expect(await study.locator("a").count()).toBeGreaterThan(0);
    expect(await study.locator("a").first().getAttribute("href")).toMatch(/^\/learn\/(genai-basics|safe-use)\//);
    // The review shows my answer, the right one and the explanation.
    const first = s.page.locator('[data-testid="review-item"]').first();
    // (in the question's option order: the right option may come before or after mine)
    const review = (await first.textContent()) ?? "";
    expect(review).toContain("Your answer");
    expect(review).toContain("Correct answer");
    expect(review).toMatch(/Explanation: /);
    expect(await s.page.locator('[data-testid="certificate-link"]').count()).toBe(0);
    await expectAccessible(s.page);
    await shot(s.page, "en-result");

    await s.page.goto(`/tracks/${TRACK}`);
    expect(await s.page.locator('[data-testid="eligibility"]').getAttribute("data-kind")).toBe("retake-wait");
    await shot(s.page, "en-track");
    clean(s);
  }, WHOLE_EXAM_MS);

  it("resumes after a reload at the same question with the answers kept, and switches language mid-exam", async () => {
    const s = await openSession(browser, "ja");
    const attemptId = await startExam(s, LEARNERS.reload);
    for (let i = 0; i < 3; i++) {
      await answer(s.page, true);
      await s.page.getByRole("button", { name: /^次の問題/ }).click();
    }
    await s.page.getByRole("button", { name: "後で見直す" }).click();
    await waitSaved(s.page);
    expect(new URL(s.page.url()).search).toBe("?q=4");

    await s.page.reload();
    await expect.poll(() => s.page.locator('[data-testid="question-number"]').textContent()).toMatch(/^第4問（全20問）/);
    const nav = s.page.locator('[data-testid="question-navigator"] button');
    for (let i = 0; i < 3; i++) expect(await nav.nth(i).getAttribute("aria-label")).toBe(`第${i + 1}問、回答済み`);
    expect(await nav.nth(3).getAttribute("aria-label")).toBe("第4問、未回答、見直し");
    expect(await nav.nth(3).getAttribute("aria-current")).toBe("step");
    await expectAccessible(s.page);

    // A closed tab: a new page in the same browser comes back to question 4 through the track page.
    await s.page.goto(`/tracks/${TRACK}`);
    await s.page.locator('[data-testid="eligibility"] button[value="start"]').click();
    await s.page.waitForURL(new RegExp(`/exams/${attemptId}$`));
    await expect.poll(() => s.page.locator('[data-testid="question-number"]').textContent()).toMatch(/^第4問/);

    await s.page.getByRole("button", { name: "英語に切り替える" }).click();
    await expect.poll(() => s.page.locator("html").getAttribute("lang")).toBe("en");
    expect(new URL(s.page.url()).pathname).toBe(`/exams/${attemptId}`);
    await expect.poll(() => s.page.locator('[data-testid="question-number"]').textContent()).toMatch(/^Question 4 of 20/);
    expect(await nav.nth(0).getAttribute("aria-label")).toBe("Question 1, answered");
    await expectAccessible(s.page);

    // The network drops: the answer is shown as not saved and retried, and saved once it is back.
    await s.context.setOffline(true);
    await s.page.locator('[data-testid="question"] input[name="answer"]').first().check();
    const status = s.page.locator('[data-testid="save-status"]');
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 10_000 }).toBe("retrying");
    expect(await status.textContent()).toContain("Not saved — retrying.");
    await s.context.setOffline(false);
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 20_000 }).toBe("idle");
    expect(await nav.nth(3).getAttribute("aria-label")).toBe("Question 4, answered, flagged");
    await s.page.reload();
    await expect.poll(() => nav.nth(3).getAttribute("aria-label")).toBe("Question 4, answered, flagged");
    // The browser reports the requests that failed while offline; nothing else may be logged.
    s.consoleErrors.splice(0, s.consoleErrors.length, ...s.consoleErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)));
    clean(s);
  });

  it("can be taken with the keyboard alone", async () => {
    const s = await openSession(browser, "en");
    await startExam(s, LEARNERS.keyboard);
    const page = s.page;
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return { tag: el?.tagName ?? "", type: el?.type ?? "", value: el?.value ?? "", text: el?.textContent?.trim() ?? "", checked: Boolean(el?.checked) };
    });
    const tabTo = async (match: (f: Awaited<ReturnType<typeof focused>>) => boolean, key = "Tab") => {
      for (let n = 0; n < 150; n++) {
        if (match(await focused())) return;
        await page.keyboard.press(key);
      }
      throw new Error(`focus never reached the target: ${JSON.stringify(await focused())}`);
    };
    const total = 20;
    for (let i = 0; i < total; i++) {
      await expect.poll(() => page.locator('[data-testid="question"]').getAttribute("data-position")).toBe(String(i));
      const q = await currentQuestion(page);
      const key = keyOf(q);
      if (q.type === "multiple") {
        for (const k of key) {
          await tabTo((f) => f.type === "checkbox" && f.value === k);
          await page.keyboard.press("Space");
        }
      } else {
        // Into the radio group, then the arrow keys move the choice within it.
        await tabTo((f) => f.type === "radio");
        if (!(await focused()).checked) await page.keyboard.press("Space");
        await tabTo((f) => f.type === "radio" && f.value === key[0], "ArrowDown");
      }
      await waitSaved(page);
      if (i < total - 1) {
        await tabTo((f) => f.tag === "BUTTON" && f.text.startsWith("Next"));
        await page.keyboard.press("Enter");
      }
    }
    await tabTo((f) => f.tag === "BUTTON" && f.text.startsWith("Finish and submit"));
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator('[data-testid="confirm-dialog"]').isVisible()).toBe(true);
    await tabTo((f) => f.tag === "BUTTON" && f.text === "Submit now");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/result$/);
    expect(await page.locator('[data-testid="verdict"]').getAttribute("data-passed")).toBe("true");
    clean(s);
  }, WHOLE_EXAM_MS);

  it("says so when the session ends mid-exam, keeps the unsent answer and saves it after signing in again", async () => {
    const s = await openSession(browser, "ja");
    const attemptId = await startExam(s, LEARNERS.expired);
    await answer(s.page, true);
    await s.page.getByRole("button", { name: /^次の問題/ }).click();
    // The session ends on the server: the browser still holds its cookie.
    await s.context.addCookies([{ name: "manabi_session", value: "no-longer-valid", url: baseUrl() }]);
    const q = await currentQuestion(s.page);
    const values = await s.page.locator('[data-testid="question"] input[name="answer"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const key = keyOf(q);
    for (const v of key.length ? key : values.slice(0, 1)) await s.page.locator(`[data-testid="question"] input[name="answer"][value="${v}"]`).check();
    const status = s.page.locator('[data-testid="save-status"]');
    await expect.poll(() => status.getAttribute("data-state")).toBe("signed-out");
    expect(await status.textContent()).toContain("セッションが終了しました。もう一度サインインしてください。保存済みの回答は残っています。");
    await expectAccessible(s.page);

    await status.getByRole("link").click();
    await s.page.waitForURL(/\/login\?/);
    await s.page.locator('input[name="email"]').fill(LEARNERS.expired);
    await s.page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await s.page.locator("main button[type=submit]").click();
    await s.page.waitForURL(new RegExp(`/exams/${attemptId}\\?q=2$`));
    // The answer chosen while signed out was kept in the tab and is saved now.
    await waitSaved(s.page);
    const nav = s.page.locator('[data-testid="question-navigator"] button');
    expect(await nav.nth(1).getAttribute("aria-label")).toBe("第2問、回答済み");
    await s.page.reload();
    await expect.poll(() => nav.nth(1).getAttribute("aria-label")).toBe("第2問、回答済み");
    clean(s);
  });

  it("works without JavaScript: plain form posts save, move, flag, confirm and submit", async () => {
    const context = await browser.newContext({
      baseURL: baseUrl(),
      javaScriptEnabled: false,
      locale: "en-US",
      extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" },
    });
    const page = await context.newPage();
    // signIn() waits for the hydrated account menu: here the plain form is posted.
    await page.goto("/login");
    await page.locator('input[name="email"]').fill(LEARNERS.noScript);
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.locator('main button[type="submit"]').click()]);
    await page.goto(`/tracks/${TRACK}`);
    await Promise.all([page.waitForURL(/\/exams\/[A-Za-z0-9_-]{22}$/), page.locator('[data-testid="eligibility"] button[value="start"]').click()]);
    const attemptPath = new URL(page.url()).pathname;

    // Answer question 1 and go on with "Next": the server saves it and opens question 2.
    const first = await currentQuestion(page);
    for (const v of keyOf(first)) await page.locator(`[data-testid="question"] input[name="answer"][value="${v}"]`).check();
    await Promise.all([page.waitForURL(`**${attemptPath}?q=2`), page.getByRole("button", { name: /^Next/ }).click()]);
    expect(await page.locator('[data-testid="question-number"]').textContent()).toMatch(/^Question 2 of 20/);
    // Flag question 2: it stays on question 2, marked.
    await Promise.all([page.waitForURL(`**${attemptPath}?q=2`), page.getByRole("button", { name: "Flag for review" }).click()]);
    expect(await page.getByRole("button", { name: "Flag for review" }).getAttribute("aria-pressed")).toBe("true");
    const nav = page.locator('[data-testid="question-navigator"] button');
    expect(await nav.nth(0).getAttribute("aria-label")).toBe("Question 1, answered");
    expect(await nav.nth(1).getAttribute("aria-label")).toBe("Question 2, not answered, flagged");
    // The navigator goes back to question 1, whose answer is still chosen.
    await Promise.all([page.waitForURL(`**${attemptPath}?q=1`), nav.nth(0).click()]);
    expect(await page.locator('[data-testid="question"] input[name="answer"]:checked').count()).toBe(keyOf(first).length);

    // Submit: a confirmation page with the counts, then the result.
    await Promise.all([page.waitForURL(`**${attemptPath}?q=1&confirm=1`), page.getByRole("button", { name: "Submit the exam…" }).click()]);
    const panel = page.locator('[data-testid="confirm-panel"]');
    expect(await panel.locator('[data-testid="confirm-unanswered"]').textContent()).toBe("Not answered: 19");
    expect(await panel.locator('[data-testid="confirm-flagged"]').textContent()).toBe("Flagged for review: 1");
    await Promise.all([page.waitForURL(`**${attemptPath}/result`), panel.getByRole("button", { name: "Submit now" }).click()]);
    expect(await page.locator('[data-testid="score"]').textContent()).toContain("Score 5% (1 of 20 correct)");
    await context.close();
  });
});
