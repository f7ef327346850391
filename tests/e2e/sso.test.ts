import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../helpers/browser";
import { startTestIdp, type TestIdp } from "../helpers/oidc-idp";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

/**
 * Signing in through the company's provider in a real browser. The shared browser-test server has no
 * SSO configured, so this file starts its own (the production build, demo company, AUTH_PASSWORD=off)
 * beside a local OpenID provider that signs in the demo learner without a form.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

let idp: TestIdp;
let db: TestDatabase;
let server: ChildProcess;
let browser: Browser;
let baseUrl: string;
const logs: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://localhost:${port}`;
  idp = await startTestIdp({ redirectUris: [`${baseUrl}/auth/sso/callback`], postLogoutRedirectUris: [`${baseUrl}/login?signedOut=1`] });
  db = await createTestDatabase("manabi_e2e_sso");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    MANABI_SEED_DEMO: "1",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_DISPLAY_NAME: "Example Corp",
    OIDC_DISPLAY_NAME_JA: "エグザンプル社",
    AUTH_PASSWORD: "off",
    AUTH_BREAK_GLASS_EMAILS: "admin@example.com",
  };
  for (const name of ["SMTP_URL", "SMTP_HOST", "PUBLIC_URL"]) delete env[name];
  if (db.kind === "postgres") {
    env.DATABASE_URL = db.url;
    env.SESSION_SECRET ??= randomBytes(32).toString("base64url");
    delete env.PGLITE_DIR;
  } else {
    delete env.DATABASE_URL;
    env.PGLITE_DIR = db.dir;
  }
  server = spawn(process.execPath, ["server.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout?.on("data", (d) => logs.push(String(d)));
  server.stderr?.on("data", (d) => logs.push(String(d)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`The server exited:\n${logs.join("")}`);
    if (Date.now() > deadline) throw new Error(`The server did not start:\n${logs.join("")}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  await idp?.close();
  await db?.drop();
});

describe("single sign-on in the browser", () => {
  for (const [language, button, home] of [
    ["ja", "エグザンプル社でサインイン", "/"],
    ["en", "Sign in with Example Corp", "/"],
  ] as const) {
    it(`signs the demo learner in through the company's provider, without a password (${language})`, async () => {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: language === "ja" ? "ja-JP" : "en-US",
        extraHTTPHeaders: { "Accept-Language": language === "ja" ? "ja-JP,ja;q=0.9" : "en-US,en;q=0.9" },
      });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
          consoleErrors.push(m.text());
      });
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      // The same company account both times: the second sign-in finds the person by the stored subject.
      idp.signInAs({ sub: "learner-sub", email: "Learner@Example.com", email_verified: true });

      await page.goto("/login");
      // Passwords are off: no password field until the break-glass section is opened.
      await expect(page.locator('input[name="password"]').isVisible()).resolves.toBe(false);
      const sso = page.getByTestId("sso-sign-in");
      await expect(sso.textContent()).resolves.toBe(button);
      await Promise.all([page.waitForURL((url) => url.origin === baseUrl && url.pathname === "/"), sso.click()]);
      await page.locator('[data-testid="account-menu"]').waitFor();
      // Home shows the learner's own assignments and progress (a signed-in page, not the sign-in form).
      expect(new URL(page.url()).pathname).toBe(home);
      // Their own page: greeted by name, with their progress and the assignment the demo gives everyone.
      expect(await page.locator("main h1").textContent()).toContain(language === "ja" ? "佐藤 美咲" : "Misaki Sato");
      expect(await page.getByTestId("my-assignments").count()).toBe(1);
      expect(await page.locator("main progress").count()).toBeGreaterThan(0);
      expect(consoleErrors).toEqual([]);
      await context.close();
    });
  }
});
