import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD } from "../helpers/browser";
import { ACCEPT_HTML, Visitor } from "../helpers/http-visitor";
import { routeFiles, urlOfRouteFile } from "../helpers/route-files";

// Security headers on every page (issue #14, security sweep). The URL of every file in app/routes/ is
// derived from its name (dynamic segments get "x", which answers 404 or a refusal — headers must be
// there too), requested by a signed-out visitor and by the demo learner, manager, HR, author and admin
// through the real server. A new route file is covered without an edit. Every answer — page, redirect,
// 403, 404, CSV, JSON — carries the headers; every HTML page's scripts carry the CSP's nonce.
// Also: the session and CSRF cookies' flags under production settings.

const files = routeFiles();

const ROLES = { learner: "learner@example.com", manager: "manager@example.com", hr: "hr@example.com", author: "author@example.com", admin: "admin@example.com" };
const visitors: Record<string, Visitor> = {};

beforeAll(async () => {
  visitors.anonymous = new Visitor(baseUrl(), "ja");
  for (const [role, email] of Object.entries(ROLES)) {
    const v = new Visitor(baseUrl(), role === "hr" ? "en" : "ja");
    const res = await v.signIn(email, DEMO_PASSWORD);
    expect(res.status, role).toBe(302);
    visitors[role] = v;
  }
});

// The API's hot endpoints (access check, forward-auth) are answered before Express with a CSP that
// allows nothing: JSON and plain text run no script (app/access/api-fast-path.server.ts).
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function expectSecurityHeaders(res: Response, label: string): string | null {
  const csp = res.headers.get("content-security-policy") ?? "";
  if (csp === API_CSP) {
    expect(res.headers.get("content-type") ?? "", label).not.toMatch(/html/);
    expectOtherHeaders(res, label);
    return null;
  }
  expect(csp, label).toContain("default-src 'self'");
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})'/.exec(csp)?.[1];
  expect(nonce, `${label}: script-src with a nonce`).toBeTruthy();
  expect(csp, label).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  expect(csp, label).toContain("object-src 'none'");
  expect(csp, label).toContain("base-uri 'self'");
  expect(csp, label).toContain("form-action 'self'");
  expect(csp, label).toContain("frame-ancestors 'none'");
  expectOtherHeaders(res, label);
  return nonce!;
}

function expectOtherHeaders(res: Response, label: string): void {
  expect(res.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(res.headers.get("x-frame-options"), label).toBe("DENY");
  expect(res.headers.get("referrer-policy"), label).toBe("same-origin");
  expect(res.headers.get("strict-transport-security"), label).toMatch(/max-age=\d{7,}/);
  expect(res.headers.get("x-request-id"), label).toMatch(/^[0-9a-f]{8}$/);
  expect(res.headers.get("x-powered-by"), label).toBeNull();
}

describe("security headers", () => {
  it("derives a URL from every route file", () => {
    expect(urlOfRouteFile("tools_.$toolId.people[.csv]")).toBe("/tools/x/people.csv");
    expect(urlOfRouteFile("[.well-known].jwks[.json]")).toBe("/.well-known/jwks.json");
    expect(urlOfRouteFile("api.v1.openapi[.]json")).toBe("/api/v1/openapi.json");
    expect(urlOfRouteFile("learn._index")).toBe("/learn");
    expect(urlOfRouteFile("_index")).toBe("/");
    expect(urlOfRouteFile("$")).toBe("/no-such-page");
    expect(files.length).toBeGreaterThan(50);
  });

  it("are on every route's answer, for every role, and every HTML page's scripts carry the CSP nonce", async () => {
    const seen: Record<number, number> = {};
    let apiAnswers = 0;
    for (const file of files) {
      const url = urlOfRouteFile(file);
      for (const [role, v] of Object.entries(visitors)) {
        const label = `${role} GET ${url} (${file})`;
        const res = await v.fetch(url, { headers: { Accept: ACCEPT_HTML } });
        expect(res.status, label).toBeLessThan(500);
        seen[res.status] = (seen[res.status] ?? 0) + 1;
        const nonce = expectSecurityHeaders(res, label);
        if (nonce === null) apiAnswers++;
        const body = await res.text();
        if (nonce !== null && (res.headers.get("content-type") ?? "").startsWith("text/html")) {
          const scripts = body.match(/<script\b[^>]*>/g) ?? [];
          for (const tag of scripts) expect(tag, label).toContain(`nonce="${nonce}"`);
          expect(body, label).not.toMatch(/\son[a-z]+="/i);
        }
      }
    }
    // The sweep saw pages, redirects, refusals, not-found answers and the API's own headers.
    expect(apiAnswers, "answers of the API fast path").toBeGreaterThan(0);
    for (const status of [200, 302, 403, 404]) expect(seen[status] ?? 0, `answers with ${status}`).toBeGreaterThan(0);
  });

  it("are on the answers to posts and to static files", async () => {
    const v = new Visitor(baseUrl(), "en");
    const csrf = await v.csrfToken();
    expectSecurityHeaders(await v.postForm("/login", { csrf, email: "x", password: "" }), "bad sign-in");
    expectSecurityHeaders(await v.postForm("/language", { csrf, language: "en", redirectTo: "/" }), "language");
    expectSecurityHeaders(await v.fetch("/favicon.ico"), "favicon");
  });
});

describe("cookie flags under production settings", () => {
  it("sets the session cookie HttpOnly, SameSite=Lax, Secure, for the whole site, ending with the browser", async () => {
    const v = new Visitor(baseUrl(), "ja");
    const csrf = await v.csrfToken();
    const res = await v.postForm("/login", { csrf, email: "learner@example.com", password: DEMO_PASSWORD });
    expect(res.status).toBe(302);
    const session = res.headers.getSetCookie().find((c) => c.startsWith("manabi_session="));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*Path=\//i);
    expect(session).not.toMatch(/Max-Age|Expires/i);
  });

  it("sets the CSRF cookie HttpOnly, SameSite=Lax and Secure, and every cookie the sign-in page sets Secure", async () => {
    const v = new Visitor(baseUrl(), "en");
    const page = await v.fetch("/login", { headers: { Accept: ACCEPT_HTML } });
    const cookies = page.headers.getSetCookie();
    const csrf = cookies.find((c) => c.startsWith("manabi_csrf="));
    expect(csrf).toMatch(/;\s*HttpOnly/i);
    expect(csrf).toMatch(/;\s*SameSite=Lax/i);
    expect(csrf).toMatch(/;\s*Secure/i);
    for (const c of cookies) expect(c, c.split("=")[0]).toMatch(/;\s*Secure/i);
  });
});
