import type { Page } from "playwright-core";
import { expect } from "vitest";
import { bank, keyOf } from "./exam-e2e";

const LABELS = {
  ja: { submit: "回答する" },
  en: { submit: "Check my answer" },
} as const;

/**
 * Answers every knowledge check on the lesson page right at the first try: the keys are read here, in
 * the test process, from the content the server published (never from the browser), and matched to
 * the check by its question id. (Trying options until right cost a round trip per wrong option; the
 * wrong-answer path — hint, no key, try again — is tested once in learning.test.ts.)
 */
export async function answerChecks(page: Page, language: "ja" | "en") {
  const keys = new Map(bank().map((q) => [q.id, keyOf(q)]));
  const checks = page.locator(".knowledge-check");
  const count = await checks.count();
  for (let k = 0; k < count; k++) {
    const check = checks.nth(k);
    const id = await check.getAttribute("data-question");
    const key = id ? keys.get(id) : undefined;
    expect(key, `the key of knowledge check ${id}`).toBeDefined();
    for (const value of key!) await check.locator(`input[name="answer"][value="${value}"]`).check();
    await check.getByRole("button", { name: LABELS[language].submit }).click();
    const verdict = check.getByTestId("check-result").locator("p").first();
    await expect.poll(() => verdict.textContent()).toMatch(/^(✓|✗)/);
    expect(await verdict.textContent(), `knowledge check ${id}`).toMatch(/^✓/);
  }
}
