import type { Page } from "playwright-core";
import { expect } from "vitest";

const LABELS = {
  ja: { submit: "回答する", retry: "もう一度答える" },
  en: { submit: "Check my answer", retry: "Try again" },
} as const;

/**
 * Answers every knowledge check on the lesson page as a learner who does not know the keys would: trying
 * options (pairs for "choose two") until the check says the answer is right.
 */
export async function answerChecks(page: Page, language: "ja" | "en") {
  const labels = LABELS[language];
  const checks = page.locator(".knowledge-check");
  for (let k = 0; k < (await checks.count()); k++) {
    const check = checks.nth(k);
    const multiple = (await check.locator('input[type="checkbox"]').count()) > 0;
    const n = await check.locator('input[name="answer"]').count();
    const combos: number[][] = multiple
      ? Array.from({ length: n }, (_, a) => Array.from({ length: n - a - 1 }, (_, b) => [a, a + b + 1])).flat()
      : Array.from({ length: n }, (_, a) => [a]);
    for (const combo of combos) {
      for (const i of combo) await check.locator('input[name="answer"]').nth(i).check();
      await check.getByRole("button", { name: labels.submit }).click();
      const verdict = check.getByTestId("check-result").locator("p").first();
      await expect.poll(() => verdict.textContent()).toMatch(/^(✓|✗)/);
      if ((await verdict.textContent())?.startsWith("✓")) break;
      await check.getByRole("button", { name: labels.retry }).click();
    }
  }
}
