import fs from "node:fs";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import YAML from "yaml";
import { verifyOpenBadgeJwt } from "~/certification/open-badges-signing.server";
import { officialSchemaValidator } from "../unit/certification/open-badges-fixtures";
import { baseUrl, DEMO_PASSWORD, expectAccessible, launchBrowser, openSession, signIn } from "../helpers/browser";
import { answer } from "../helpers/exam-e2e";
import { Visitor } from "../helpers/http-visitor";
import { answerChecks } from "../helpers/lesson-e2e";

/**
 * The whole way from a new learner to a tool-unlocking certificate, as the exam issue's "done when"
 * describes it: complete the courses in the browser, pass the AI Safe Use exam, get a certificate that
 * prints on one A4 page, downloads as a PDF with the Japanese text in it, verifies at its public URL,
 * and whose Open Badges credential validates against the official schema and verifies with the
 * published keys. Along the way, as the access issue's "done when" describes it, a gateway's token asks
 * the access API and forward-auth about the learner before and after the exam, and the change feed
 * shows the grant.
 */
const LEARNER = { email: "naoki.hayashi@example.com", name: "林 直樹" };
const TRACK = { id: "ai-safe-use", courses: ["genai-basics", "safe-use"], title: "AI安全利用 基礎" };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function lessonsOf(courseId: string): string[] {
  const file = path.join(inject("contentDir"), "courses", courseId, "course.yaml");
  return (YAML.parse(fs.readFileSync(file, "utf8")) as { lessons: string[] }).lessons;
}

/** A token made the way an admin makes one (the page shows the secret once). */
async function adminToken(scopes: string[]): Promise<string> {
  const admin = new Visitor(baseUrl(), "en");
  await admin.signIn("admin@example.com", DEMO_PASSWORD);
  const body = new URLSearchParams({ csrf: await admin.csrfToken("/admin/tokens"), intent: "create", name: "journey gateway" });
  for (const scope of scopes) body.append("scopes", scope);
  const res = await admin.fetch("/admin/tokens", {
    method: "POST",
    body,
    headers: { Origin: admin.base, Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded" },
  });
  expect(res.status).toBe(200);
  return /mnb_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/.exec(await res.text())![0];
}

const TOOL = "chat-assistant"; // requires AI Safe Use only

async function gateway(secret: string) {
  const headers = { Authorization: `Bearer ${secret}` };
  const access = await fetch(`${baseUrl()}/api/v1/access?user=${encodeURIComponent(LEARNER.email)}&tool=${TOOL}`, { headers });
  const forward = await fetch(`${baseUrl()}/api/v1/forward-auth/${TOOL}`, { headers: { ...headers, "X-Forwarded-Email": LEARNER.email } });
  return { access: (await access.json()) as { allowed: boolean; missingTracks: { trackId: string }[]; certificates: { trackId: string }[] }, forward: forward.status };
}

/** The feed's cursor after everything in it now. */
async function feedEnd(secret: string): Promise<string> {
  let after = "";
  for (;;) {
    const res = await fetch(`${baseUrl()}/api/v1/events?limit=1000${after ? `&after=${after}` : ""}`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { nextCursor: string; hasMore: boolean };
    after = page.nextCursor;
    if (!page.hasMore) return after;
  }
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await pdfjs.getDocument({ data: bytes.slice(), disableFontFace: true, verbosity: 0 }).promise;
  const content = await (await doc.getPage(1)).getTextContent();
  return content.items.map((item) => ("str" in item ? item.str : "")).join("");
}

describe("from a new learner to a verified certificate", () => {
  it("completes the courses, passes the exam, and gets a certificate that prints, downloads, verifies and validates", async () => {
    // 0. A gateway asks about the learner: not yet.
    const secret = await adminToken(["access:read", "events:read"]);
    const before = await gateway(secret);
    expect(before.access).toMatchObject({ allowed: false, missingTracks: [{ trackId: TRACK.id }] });
    expect(before.forward).toBe(403);
    const feedStart = await feedEnd(secret);

    const s = await openSession(browser, "ja");
    await signIn(s.page, LEARNER.email);
    const page = s.page;

    // 1. Every lesson of the track's courses: the checks answered right and the lesson read to the end.
    for (const courseId of TRACK.courses) {
      for (const lessonId of lessonsOf(courseId)) {
        await page.goto(`/learn/${courseId}/${lessonId}`);
        await answerChecks(page, "ja");
        await page.locator('[data-testid="lesson-end"]').scrollIntoViewIfNeeded();
        await expect
          .poll(() => page.locator('[data-testid="lesson-status"]').textContent(), { timeout: 20_000 })
          .toContain("このレッスンを完了しました");
      }
    }

    // 2. The exam opens; every answer right.
    await page.goto(`/tracks/${TRACK.id}`);
    await expect.poll(() => page.locator('[data-testid="eligibility"]').getAttribute("data-kind")).toBe("ready");
    await expectAccessible(page);
    await page.locator('[data-testid="eligibility"] button[value="start"]').click();
    await page.waitForURL(/\/exams\/[A-Za-z0-9_-]{22}$/);
    await page.locator('[data-testid="question-stem"]').waitFor();
    const total = await page.locator('[data-testid="question-navigator"] button').count();
    expect(total).toBe(20);
    for (let i = 0; i < total; i++) {
      await expect.poll(() => page.locator('[data-testid="question"]').getAttribute("data-position")).toBe(String(i));
      await answer(page, true);
      if (i < total - 1) await page.getByRole("button", { name: /^次の問題/ }).click();
    }
    await page.getByRole("button", { name: /^解答を終えて提出する/ }).click();
    await page.locator('[data-testid="confirm-dialog"]').getByRole("button", { name: /^提出する$/ }).click();
    await page.waitForURL(/\/exams\/[A-Za-z0-9_-]{22}\/result$/);
    expect(await page.locator('[data-testid="verdict"]').getAttribute("data-passed")).toBe("true");

    // The gateway's next question is answered yes, and the change feed shows the grant.
    const after = await gateway(secret);
    expect(after.access).toMatchObject({ allowed: true, missingTracks: [], certificates: [{ trackId: TRACK.id }] });
    expect(after.forward).toBe(204);
    await expect
      .poll(
        async () => {
          const feed = (await (await fetch(`${baseUrl()}/api/v1/events?after=${feedStart}`, { headers: { Authorization: `Bearer ${secret}` } })).json()) as {
            events: { kind: string; tool: string; user: { email: string } }[];
          };
          return feed.events.some((e) => e.kind === "granted" && e.tool === TOOL && e.user.email === LEARNER.email);
        },
        { timeout: 15_000 },
      )
      .toBe(true);

    // 3. The certificate: on screen, printed (one A4 page), as a PDF with the Japanese text in it.
    await page.locator('[data-testid="certificate-link"]').click();
    await page.waitForURL(/\/certificates\/[0-9a-f-]{36}$/);
    const certificatePath = new URL(page.url()).pathname;
    const sheet = page.getByTestId("certificate-sheet");
    expect(await sheet.textContent()).toContain(LEARNER.name);
    expect(await sheet.textContent()).toContain(TRACK.title);
    await expectAccessible(page);
    const printed = await PDFDocument.load(await page.pdf({ format: "A4", printBackground: true }));
    expect(printed.getPageCount()).toBe(1);
    const pdf = await page.request.get(`${certificatePath}/pdf`);
    expect(pdf.status()).toBe(200);
    const text = await pdfText(new Uint8Array(await pdf.body()));
    expect(text.replace(/\s+/g, "")).toContain(LEARNER.name.replace(/\s+/g, ""));
    expect(text).toContain(TRACK.title);

    // 4. Its public verification page, opened by someone who is not signed in.
    const verifyUrl = (await page.locator(".certificate-verify-url").textContent())!.trim();
    expect(verifyUrl).toMatch(/\/verify\/[0-9A-Z-]+$/);
    const visitor = await browser.newContext({ locale: "ja-JP" });
    const anonymous = await visitor.newPage();
    await anonymous.goto(new URL(new URL(verifyUrl).pathname, baseUrl()).href);
    expect(await anonymous.locator("main").textContent()).toContain("有効");
    expect(await anonymous.locator("main").textContent()).toContain(LEARNER.name);
    expect(await anonymous.locator("main").textContent()).not.toContain(LEARNER.email);
    await visitor.close();

    // 5. The Open Badges credential: valid against the official schema, signed by a published key.
    const badge = await page.request.get(`${certificatePath}/badge`);
    expect(badge.status()).toBe(200);
    const jwt = (await badge.text()).trim();
    const jwks = (await (await page.request.get("/.well-known/jwks.json")).json()) as Parameters<typeof verifyOpenBadgeJwt>[1];
    const credential = await verifyOpenBadgeJwt(jwt, jwks);
    const validate = officialSchemaValidator();
    expect(validate(credential), JSON.stringify(validate.errors)).toBe(true);
    const tampered = `${jwt.split(".")[0]}.${Buffer.from(JSON.stringify({ ...credential, name: "Forged" })).toString("base64url")}.${jwt.split(".")[2]}`;
    await expect(verifyOpenBadgeJwt(tampered, jwks)).rejects.toThrow();

    // 6. And the tools it unlocks.
    await page.goto("/tools");
    expect(await page.getByTestId("unlocked-tools").textContent()).toContain("社内チャットアシスタント");
    expect(s.consoleErrors).toEqual([]);
    await s.context.close();
  }, 600_000);
});
