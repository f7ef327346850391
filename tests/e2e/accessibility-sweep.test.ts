import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AXE_WCAG_TAGS, axeViolations, baseUrl, DEMO_PASSWORD, launchBrowser, openSession, signIn, type AxeFinding, type Session } from "../helpers/browser";
import { ACCEPT_HTML, Visitor } from "../helpers/http-visitor";
import { routeFiles } from "../helpers/route-files";

/**
 * Accessibility sweep (issue #14): every page of every route file, for each role that sees it, in
 * Japanese and English, has no serious or critical axe violation (WCAG 2.1 A/AA and best practices).
 * ROUTES names every file in app/routes: the pages to visit (real ids: a lesson, a track, a tool, a
 * department, a person, a certificate, an exam attempt in progress and one submitted…) with the roles
 * that reach them, or the reason it has no page. A route file missing from ROUTES fails the test.
 * Also: form errors tied to their fields, a visible focus indicator. (An exam taken with the keyboard
 * alone is in exams.test.ts.) SWEEP_TIMES=1 prints the time each page took to load and to check.
 */

type Role = "anonymous" | "learner" | "manager" | "hr" | "author" | "admin";
type Language = "ja" | "en";
const LANGUAGES: Language[] = ["ja", "en"];
const ROLES: Role[] = ["anonymous", "learner", "manager", "hr", "author", "admin"];

// The learner is a demo person no other browser test signs in as (in the demo manager's reporting line):
// the sweep exempts them from the courses, and they start, submit and leave open exam attempts.
const ACCOUNTS: Record<Exclude<Role, "anonymous">, string> = {
  learner: "rahul.sharma@example.com",
  manager: "manager@example.com",
  hr: "hr@example.com",
  author: "author@example.com",
  admin: "admin@example.com",
};
const LEARNER_ID = "demo-sharma";

/** Ids that only exist once the sweep's data is made (beforeAll). */
const made = { openAttempt: "", submittedAttempt: "", certificate: "", verifyCode: "" };

/** A page to visit: its URL (a function when it needs made ids), the roles that see it, and its status if not 200. */
type Visit = { url: string | (() => string); roles: Role[]; status?: number };
type Entry = { visit: Visit[] } | { excluded: string };

const SIGNED_IN: Role[] = ["learner", "manager", "hr", "author", "admin"];

const ROUTES: Record<string, Entry> = {
  $: { visit: [{ url: "/no-such-page", roles: ["anonymous", "learner"], status: 404 }] },
  "[.well-known].jwks[.json]": { excluded: "JSON resource: the certificate issuer's public keys" },
  _index: { visit: [{ url: "/", roles: SIGNED_IN }] },
  "account.password": { visit: [{ url: "/account/password", roles: ["learner"] }] },
  "achievements.$trackId.$lang": { excluded: "JSON resource: an Open Badges achievement" },
  "admin._index": {
    visit: [
      { url: "/admin", roles: ["admin"] },
      { url: `/admin?q=${encodeURIComponent("岡田")}`, roles: ["admin"] },
    ],
  },
  "admin.audit": { visit: [{ url: "/admin/audit", roles: ["admin"] }] },
  "admin.mail": { visit: [{ url: "/admin/mail", roles: ["admin"] }] },
  "admin.tokens": { visit: [{ url: "/admin/tokens", roles: ["admin"] }] },
  "admin.webhooks": { visit: [{ url: "/admin/webhooks", roles: ["admin"] }] },
  "api.v1.access.batch": { excluded: "JSON API (bearer token)" },
  "api.v1.access": { excluded: "JSON API (bearer token)" },
  "api.v1.events": { excluded: "JSON API (bearer token)" },
  "api.v1.forward-auth.$toolId": { excluded: "API: the forward-auth answer for a reverse proxy" },
  "api.v1.openapi[.]json": { excluded: "JSON resource: the API's OpenAPI description" },
  "api.v1.people.$person.tools": { excluded: "JSON API (bearer token)" },
  "auth.sso": { excluded: "redirect to the identity provider (404 while SSO is not configured)" },
  "auth.sso_.callback": { excluded: "auth callback from the identity provider (404 while SSO is not configured)" },
  "authoring._index": { visit: [{ url: "/authoring", roles: ["author"] }] },
  "authoring.items": { visit: [{ url: "/authoring/items", roles: ["author"] }] },
  "authoring.items[.csv]": { excluded: "CSV download" },
  "authoring.items_.$questionId": { visit: [{ url: "/authoring/items/af-p01", roles: ["author"] }] },
  "authoring.preview.$lessonId": { visit: [{ url: "/authoring/preview/genai-what-is-it", roles: ["author"] }] },
  "authoring.preview._index": { visit: [{ url: "/authoring/preview", roles: ["author"] }] },
  "certificates.$id": { visit: [{ url: () => `/certificates/${made.certificate}`, roles: ["learner"] }] },
  "certificates.$id_.badge": { excluded: "JSON resource: an Open Badges credential download" },
  "certificates.$id_.pdf": { excluded: "PDF download" },
  "certificates._index": { visit: [{ url: "/certificates", roles: ["learner"] }] },
  "credentials.$code": { excluded: "JSON resource: a verifiable credential" },
  "exams.$attemptId": {
    visit: [
      { url: () => `/exams/${made.openAttempt}`, roles: ["learner"] },
      // The confirmation before submitting (the page without JavaScript shows it as a panel).
      { url: () => `/exams/${made.openAttempt}?q=2&confirm=1`, roles: ["learner"] },
    ],
  },
  "exams.$attemptId_.answer": { excluded: "action only: saves one answer (JSON)" },
  "exams.$attemptId_.result": { visit: [{ url: () => `/exams/${made.submittedAttempt}/result`, roles: ["learner"] }] },
  hr: {
    visit: [
      { url: "/hr", roles: ["hr"] },
      { url: "/hr?track=ai-safe-use&department=dept-sales", roles: ["hr"] },
    ],
  },
  "hr_.assignments": {
    visit: [
      { url: "/hr/assignments", roles: ["hr"] },
      { url: "/hr/assignments?withdraw=demo-assign-practitioner", roles: ["hr"] },
    ],
  },
  "hr_.certificates": {
    visit: [
      { url: "/hr/certificates?q=sharma", roles: ["hr"] },
      { url: `/hr/certificates?person=${LEARNER_ID}`, roles: ["hr"] },
      { url: () => `/hr/certificates?person=${LEARNER_ID}&revoke=${made.certificate}`, roles: ["hr"] },
    ],
  },
  "hr_.import": { visit: [{ url: "/hr/import", roles: ["hr"] }] },
  "hr_.invitations": { visit: [{ url: "/hr/invitations", roles: ["hr"] }] },
  "hr_.people[.csv]": { excluded: "CSV download" },
  "hr_.reminders": { visit: [{ url: "/hr/reminders", roles: ["hr"] }] },
  "hr_.report": { visit: [{ url: "/hr/report?track=ai-safe-use&status=not-started", roles: ["hr"] }] },
  "hr_.report[.csv]": { excluded: "CSV download" },
  // The page of a link nobody holds answers 404 with its own text (a real token needs a new person imported and invited).
  "invite.$token": { visit: [{ url: "/invite/no-such-invitation-token", roles: ["anonymous"], status: 404 }] },
  issuer: { excluded: "JSON resource: the certificate issuer's profile" },
  "issuer_.keys.$thumbprint": { excluded: "JSON resource: one public key of the issuer" },
  language: { excluded: "action only (its GET redirects to /): switches the language" },
  "learn.$courseId.$lessonId": { visit: [{ url: "/learn/genai-basics/genai-what-is-it", roles: ["learner"] }] },
  "learn.$courseId._index": { visit: [{ url: "/learn/genai-basics", roles: ["learner"] }] },
  "learn._index": { visit: [{ url: "/learn", roles: ["learner"] }] },
  login: { visit: [{ url: "/login", roles: ["anonymous"] }] },
  logout: { excluded: "action only (its GET redirects to /): signs out" },
  team: { visit: [{ url: "/team", roles: ["manager"] }] },
  "team[.csv]": { excluded: "CSV download" },
  tools: { visit: [{ url: "/tools", roles: ["learner"] }] },
  "tools_.$toolId.people": {
    visit: [
      { url: "/tools/chat-assistant/people", roles: ["manager", "hr"] },
      { url: "/tools/code-assistant/people?show=allowed&department=dept-product", roles: ["hr"] },
    ],
  },
  "tools_.$toolId.people[.csv]": { excluded: "CSV download" },
  "tracks.$trackId": {
    visit: [
      { url: "/tracks/ai-safe-use", roles: ["learner"] },
      { url: "/tracks/ai-practitioner", roles: ["learner"] },
    ],
  },
  "verify.$code": { visit: [{ url: () => `/verify/${made.verifyCode}`, roles: ["anonymous"] }] },
};

const urlOf = (v: Visit) => (typeof v.url === "function" ? v.url() : v.url);
const visitsOf = (role: Role) =>
  Object.entries(ROUTES).flatMap(([file, entry]) => ("visit" in entry ? entry.visit.filter((v) => v.roles.includes(role)).map((v) => ({ file, visit: v })) : []));

/** Posts a form of a page with the page's own CSRF token. */
async function post(v: Visitor, page: string, fields: Record<string, string>, action = page): Promise<Response> {
  const csrf = await v.csrfToken(page);
  return v.postForm(action, { csrf, ...fields });
}

/**
 * The learner's exam attempts and certificate, made through the server as a browser without JavaScript
 * would: HR exempts the learner from both tracks' courses; the learner submits an AI Safe Use attempt
 * unanswered (a result) and leaves an AI Practitioner attempt open; HR records an external certificate.
 */
async function makeData() {
  const hr = new Visitor(baseUrl(), "en");
  expect((await hr.signIn(ACCOUNTS.hr, DEMO_PASSWORD)).status).toBe(302);
  const hrPage = `/hr/certificates?person=${LEARNER_ID}`;
  for (const trackId of ["ai-safe-use", "ai-practitioner"]) {
    const res = await post(hr, hrPage, { intent: "exempt", userId: LEARNER_ID, trackId, reason: "Accessibility sweep (test setup)" }, "/hr/certificates");
    expect(res.status, `exempt from ${trackId}`).toBe(302);
  }
  const learner = new Visitor(baseUrl(), "en");
  expect((await learner.signIn(ACCOUNTS.learner, DEMO_PASSWORD)).status).toBe(302);
  const start = async (trackId: string) => {
    const res = await post(learner, `/tracks/${trackId}`, { intent: "start" });
    const id = /^\/exams\/([A-Za-z0-9_-]+)$/.exec(res.headers.get("location") ?? "")?.[1];
    expect(id, `an attempt of ${trackId} (${res.status} ${res.headers.get("location")})`).toBeTruthy();
    return id!;
  };
  made.submittedAttempt = await start("ai-safe-use");
  const submitted = await post(learner, `/exams/${made.submittedAttempt}`, { intent: "submit" });
  expect(submitted.headers.get("location")).toBe(`/exams/${made.submittedAttempt}/result`);
  made.openAttempt = await start("ai-practitioner");

  const passedOn = new Date(Date.now() - 10 * 24 * 3600 * 1000 + 9 * 3600 * 1000).toISOString().slice(0, 10);
  const recorded = await post(hr, hrPage, { intent: "recordExternal", userId: LEARNER_ID, trackId: "ai-safe-use", passedOn, evidence: "Paper certificate checked by HR (test setup)" }, "/hr/certificates");
  expect(recorded.status, "record an external certificate").toBe(302);
  const list = await (await learner.fetch("/certificates", { headers: { Accept: ACCEPT_HTML } })).text();
  made.certificate = /href="\/certificates\/([A-Za-z0-9_-]+)"/.exec(list)?.[1] ?? "";
  expect(made.certificate, "a certificate on the learner's list").not.toBe("");
  const page = await (await learner.fetch(`/certificates/${made.certificate}`, { headers: { Accept: ACCEPT_HTML } })).text();
  made.verifyCode = /\/verify\/([A-Za-z0-9_-]+)/.exec(page)?.[1] ?? "";
  expect(made.verifyCode, "the certificate's verification link").not.toBe("");
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  await makeData();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

// Signed-in English sessions stay open after the sweep for the form and focus checks (a sign-in each saved).
const kept = new Map<string, Session>();
afterAll(async () => {
  for (const s of kept.values()) await s.context.close();
});

async function session(role: Role, language: Language): Promise<Session> {
  const key = `${role} ${language}`;
  const open = kept.get(key);
  if (open) return open;
  const s = await openSession(browser, language);
  if (role !== "anonymous") await signIn(s.page, ACCOUNTS[role]);
  if (language === "en") kept.set(key, s);
  return s;
}

async function release(s: Session) {
  if (![...kept.values()].includes(s)) await s.context.close();
}

type Finding = AxeFinding & { role: Role; language: Language; url: string };
type Seen = { role: Role; language: Language; file: string; url: string; status: number; expected: number; };

const findings: Finding[] = [];
const seen: Seen[] = [];

/** One role in one language: one browser context, signed in once, every page of the role, axe on each. */
async function sweepRole(role: Role, language: Language): Promise<void> {
  const t0 = Date.now();
  const s = await session(role, language);
  if (process.env.SWEEP_TIMES) console.log(`${role} ${language} signed in: ${Date.now() - t0} ms`);
  try {
    for (const { file, visit } of visitsOf(role)) {
      const url = urlOf(visit);
      const t0 = Date.now();
      const response = await s.page.goto(url);
      const status = response?.status() ?? 0;
      const expected = visit.status ?? 200;
      const lang = await s.page.locator("html").getAttribute("lang");
      // A page in the wrong language or with another status than expected is not covered.
      const entry: Seen = { role, language, file, url, status: lang === language ? status : -1, expected };
      seen.push(entry);
      if (status !== expected || lang !== language) continue;
      const t1 = Date.now();
      for (const f of await axeViolations(s.page, AXE_WCAG_TAGS)) findings.push({ ...f, role, language, url });
      if (process.env.SWEEP_TIMES) console.log(`${role} ${language} ${url}: load ${t1 - t0} ms, axe ${Date.now() - t1} ms`);
    }
    expect(s.consoleErrors, `console errors (${role}, ${language})`).toEqual([]);
  } finally {
    await release(s);
  }
}

describe("accessibility sweep", () => {
  it("has an entry (pages or a reason) for every route file in app/routes", () => {
    const files = routeFiles();
    const missing = files.filter((f) => !(f in ROUTES));
    const stale = Object.keys(ROUTES).filter((f) => !files.includes(f));
    expect(missing, "route files with neither pages to visit nor a reason in ROUTES (accessibility-sweep.test.ts)").toEqual([]);
    expect(stale, "entries in ROUTES without a route file").toEqual([]);
  });

  // One role and language after the other: the machine has two cores, and a signed-in person's pages
  // follow the language stored on their account (which signing in sets), so an account is in one language at a time.
  for (const language of LANGUAGES) {
    for (const role of ROLES) {
      it(`${role}, ${language}: every page of the role is seen as expected and has no serious or critical axe violation`, async () => {
        await sweepRole(role, language);
        const mine = seen.filter((s) => s.role === role && s.language === language);
        expect(mine.length).toBeGreaterThan(0);
        const wrong = mine.filter((s) => s.status !== s.expected).map((s) => `${s.url}: ${s.status === -1 ? "not in the expected language" : s.status} (expected ${s.expected})`);
        expect(wrong, `pages ${role} does not see as expected in ${language}`).toEqual([]);
        const report = findings.filter((f) => f.role === role && f.language === language).map((f) => `${f.url} — ${f.rule} (${f.impact}): ${f.help} — ${f.targets.slice(0, 3).join(", ")}`);
        expect(report, `serious or critical axe violations (${role}, ${language})`).toEqual([]);
      }, 180_000);
    }
  }

  it("covered every page in ROUTES in both languages, each by a role that sees it (and lists them)", () => {
    const covered = seen.filter((s) => s.status === s.expected);
    console.log(
      `Accessibility sweep: ${covered.length} pages checked (role × language × URL):\n` +
        covered.map((s) => `  ${s.role.padEnd(9)} ${s.language}  ${s.url}${s.expected === 200 ? "" : ` (${s.expected})`}`).join("\n"),
    );
    const uncovered = Object.entries(ROUTES).flatMap(([file, entry]) =>
      "visit" in entry ? LANGUAGES.filter((language) => !covered.some((s) => s.file === file && s.language === language)).map((language) => `${file} (${language})`) : [],
    );
    expect(uncovered, "route files no role saw a page of").toEqual([]);
    expect(findings.map((f) => `${f.role} ${f.language} ${f.url} — ${f.rule}`), "serious or critical axe violations").toEqual([]);
  });

  it("ties each form error to its field: a wrong password on sign-in, an empty HR assignment form", async () => {
    for (const language of LANGUAGES) {
      const s = await openSession(browser, language);
      try {
        await s.page.goto("/login");
        // Not an email address: the field is marked and names its message.
        await s.page.locator('input[name="email"]').fill("hayato.ishikawa");
        await s.page.locator('input[name="password"]').fill("not the password");
        await s.page.locator('main button[type="submit"]').click();
        await expect.poll(() => invalidFields(s.page.locator("main form"))).toEqual([
          { name: "email", messages: [language === "ja" ? "name@example.com のような形式でメールアドレスを入力してください。" : "Enter an email address such as name@example.com."] },
        ]);
        // A wrong password: the answer names the password field and the message says what is wrong.
        await s.page.locator('input[name="email"]').fill("hayato.ishikawa@example.com");
        await s.page.locator('input[name="password"]').fill("not the password");
        await s.page.locator('main button[type="submit"]').click();
        const message = s.page.getByRole("alert");
        await expect.poll(() => message.count()).toBe(1);
        const text = (await message.textContent())!.trim();
        expect(text).toMatch(language === "ja" ? /メールアドレスまたはパスワード/ : /email address or password/i);
        expect(await invalidFields(s.page.locator("main form"))).toEqual([{ name: "password", messages: [text] }]);
        expect(s.consoleErrors).toEqual([]);
      } finally {
        await s.context.close();
      }
    }
    const hr = await session("hr", "en");
    await hr.page.goto("/hr/assignments");
    const form = hr.page.locator("form#new-assignment");
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => invalidFields(form)).toEqual([
      { name: "trackId", messages: ["Choose a track."] },
      { name: "dueOn", messages: [expect.stringMatching(/due/i)] },
    ]);
    // Every message shown belongs to a field that names it.
    expect(await form.evaluate((f) => [...f.querySelectorAll('[id$="-error"]')].filter((m) => !f.querySelector(`[aria-describedby~="${m.id}"]`)).map((m) => m.id))).toEqual([]);
    expect(await axeViolations(hr.page, AXE_WCAG_TAGS)).toEqual([]);
    expect(hr.consoleErrors).toEqual([]);
  });

  it("shows where the keyboard focus is on the sign-in page, My learning, an exam question and the HR assignment form", async () => {
    const checks: [Role, string][] = [
      ["anonymous", "/login"],
      ["learner", "/learn"],
      ["learner", `/exams/${made.openAttempt}`],
      ["hr", "/hr/assignments"],
    ];
    for (const [role, url] of checks) {
      const s = await session(role, "en");
      try {
        await s.page.goto(url);
        await s.page.locator("body").click({ position: { x: 1, y: 1 } });
        const focused = [];
        for (let n = 0; n < 12; n++) {
          await s.page.keyboard.press("Tab");
          focused.push(await focusIndicator(s.page));
        }
        expect(focused.filter((f) => f.tag !== "BODY").length, `${url}: Tab reaches controls`).toBeGreaterThanOrEqual(8);
        expect(focused.filter((f) => f.tag !== "BODY" && !f.visible).map((f) => f.what), `${url}: focused controls without a visible focus indicator`).toEqual([]);
        expect(s.consoleErrors).toEqual([]);
      } finally {
        await release(s);
      }
    }
  });
});

/** The fields of a form marked aria-invalid, with the texts of the elements their aria-describedby names. */
function invalidFields(form: Locator) {
  return form.evaluate((f) =>
    [...f.querySelectorAll('[aria-invalid="true"]')]
      .filter((el) => el !== f)
      .map((el) => ({
        name: el.getAttribute("name"),
        messages: (el.getAttribute("aria-describedby") ?? "")
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => document.getElementById(id)?.textContent?.trim() ?? `(no element #${id})`),
      })),
  );
}

/**
 * The focused element and whether it shows a focus indicator: an outline, or a ring (box-shadow) it does
 * not have when not focused (a button's resting shadow is no indicator).
 */
function focusIndicator(page: Page) {
  return page.evaluate(() => {
    const el = (document.activeElement ?? document.body) as HTMLElement;
    const style = getComputedStyle(el);
    const focused = { outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, boxShadow: style.boxShadow };
    let restingShadow = focused.boxShadow;
    if (el !== document.body) {
      el.blur();
      restingShadow = getComputedStyle(el).boxShadow;
      el.focus();
    }
    const outline = focused.outlineStyle !== "none" && parseFloat(focused.outlineWidth) > 0;
    const ring = focused.boxShadow !== "none" && focused.boxShadow !== restingShadow;
    const what = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} "${(el.textContent || el.getAttribute("aria-label") || el.getAttribute("name") || "").trim().slice(0, 40)}" (outline ${focused.outlineStyle} ${focused.outlineWidth}, box-shadow ${focused.boxShadow})`;
    return { tag: el.tagName, visible: outline || ring, what };
  });
}
