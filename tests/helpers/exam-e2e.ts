import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect, inject } from "vitest";
import YAML from "yaml";

/**
 * Browser-test helpers for exams: the keys are read here, in the test process, from the content the
 * server published (never from the browser), and matched to the question on screen by its text.
 */
export type YamlQuestion = {
  id: string;
  use?: string;
  type: "single" | "multiple" | "truefalse";
  stem: { en: string; ja: string };
  options?: { id: string; text: { en: string; ja: string } }[];
  answer: string | string[] | boolean;
  explanation: { en: string; ja: string };
};

// Parsing every course's questions.yaml costs ~250 ms; the browser tests look up a key per question.
// Kept per file, and parsed again when the file changed (a test may edit the content).
const parsed = new Map<string, { mtimeMs: number; size: number; questions: YamlQuestion[] }>();

export function bank(): YamlQuestion[] {
  const dir = path.join(inject("contentDir"), "courses");
  return fs.readdirSync(dir).flatMap((course) => {
    const file = path.join(dir, course, "questions.yaml");
    if (!fs.existsSync(file)) return [];
    const { mtimeMs, size } = fs.statSync(file);
    const kept = parsed.get(file);
    if (kept && kept.mtimeMs === mtimeMs && kept.size === size) return kept.questions;
    const questions = (YAML.parse(fs.readFileSync(file, "utf8")) as { questions: YamlQuestion[] }).questions ?? [];
    parsed.set(file, { mtimeMs, size, questions });
    return questions;
  });
}
export const keyOf = (q: YamlQuestion): string[] => (Array.isArray(q.answer) ? q.answer.map(String) : [String(q.answer)]);


const lang = async (page: Page) => ((await page.locator("html").getAttribute("lang")) === "en" ? "en" : "ja");

/** The question on screen, found in the bank by its text. */
export async function currentQuestion(page: Page): Promise<YamlQuestion> {
  const stem = (await page.locator('[data-testid="question-stem"]').textContent())!.trim();
  const l = await lang(page);
  const options = (await page.locator('[data-testid="question"] label').allTextContents()).map((t) => t.trim()).sort();
  // Two questions may share a stem (the options then differ): match both.
  const found = bank().filter(
    (q) => q.stem[l].trim() === stem && (q.type === "truefalse" || JSON.stringify((q.options ?? []).map((o) => o.text[l].trim()).sort()) === JSON.stringify(options)),
  );
  expect(found, stem).toHaveLength(1);
  return found[0]!;
}

export async function waitSaved(page: Page) {
  await expect.poll(() => page.locator('[data-testid="save-status"]').getAttribute("data-state")).toBe("idle");
  await expect.poll(() => page.locator('[data-testid="save-status"]').textContent()).toMatch(/Saved \d|\d{1,2}:\d{2}:\d{2}に保存しました/);
}

/** Chooses the right (or a wrong) answer of the question on screen with the mouse. */
export async function answer(page: Page, right: boolean) {
  const q = await currentQuestion(page);
  const key = keyOf(q);
  const inputs = page.locator('[data-testid="question"] input[name="answer"]');
  const values = await inputs.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  const pick = right ? key : [values.find((v) => !key.includes(v))!];
  for (const v of pick) await page.locator(`[data-testid="question"] input[name="answer"][value="${v}"]`).check();
  await waitSaved(page);
  return q;
}

