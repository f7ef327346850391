import { describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD } from "../helpers/browser";
import { ACCEPT_HTML, rawRequest, Visitor, type Language } from "../helpers/http-visitor";

// Hostile or malformed requests against the built server (plain HTTP, no browser): each gets the right
// 4xx with a message in the reader's language, never a 500.

const HTML = ACCEPT_HTML;
const visitor = (language: Language = "ja") => new Visitor(baseUrl(), language);
const signIn = (v: Visitor, email: string, redirectTo?: string) => v.signIn(email, DEMO_PASSWORD, redirectTo);

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  return (await res.json()) as { type: string; status: number; title: string; detail: string; requestId: string };
}

describe("sign-in with over-long fields", () => {
  it("refuses a 3,000-character email before the password check, in the reader's language, without echoing it", async () => {
    for (const [language, message] of [
      ["ja", "name@example.com のような形式でメールアドレスを入力してください。"],
      ["en", "Enter an email address such as name@example.com."],
    ] as const) {
      const v = visitor(language);
      const csrf = await v.csrfToken();
      const email = `${"a".repeat(3000)}@example.com`;
      const res = await v.postForm("/login", { csrf, email, password: "whatever" });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).not.toContain("a".repeat(300));
    }
  });

  it("refuses a 10 MB field with 413 and a page in the reader's language that does not echo it", async () => {
    for (const [language, title] of [
      ["ja", "送信された内容が大きすぎます"],
      ["en", "What you sent is too large"],
    ] as const) {
      const v = visitor(language);
      const csrf = await v.csrfToken();
      const res = await v.postForm("/login", { csrf, email: "x".repeat(10 * 1024 * 1024), password: "x" });
      expect(res.status).toBe(413);
      const html = await res.text();
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(title);
      expect(html.length).toBeLessThan(10_000);
      expect(res.headers.get("x-request-id")).toBeTruthy();
      expect(html).toContain(res.headers.get("x-request-id"));
    }
  });

  it("refuses a too-large body to a non-browser client with problem+json", async () => {
    const res = await visitor("en").fetch("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: "email=" + "x".repeat(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    const body = await problem(res);
    expect(body).toMatchObject({ status: 413, title: "What you sent is too large", requestId: res.headers.get("x-request-id") });
  });
});

describe("posts that are not same-site forms", () => {
  it("refuses Origin: null with 403, in the reader's language", async () => {
    for (const [language, title] of [
      ["ja", "ほかのサイトからの送信は受け付けていません"],
      ["en", "Requests from other sites are refused"],
    ] as const) {
      const v = visitor(language);
      const csrf = await v.csrfToken();
      const res = await v.postForm("/login", { csrf, email: "learner@example.com", password: DEMO_PASSWORD }, { Origin: "null" });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain(title);
      expect(v.cookies.has("manabi_session")).toBe(false);
    }
  });

  it("refuses JSON, text and XML bodies with 415", async () => {
    const v = visitor("en");
    for (const [type, body] of [
      ["application/json", JSON.stringify({ email: "learner@example.com", password: DEMO_PASSWORD })],
      ["text/plain", "email=learner@example.com"],
      ["application/xml", "<login><email>learner@example.com</email></login>"],
      ["text/xml", "<a/>"],
    ] as const) {
      const res = await v.fetch("/login", { method: "POST", headers: { "Content-Type": type, Accept: "application/json" }, body });
      expect(res.status, type).toBe(415);
      expect((await problem(res)).title, type).toBe("This format is not accepted");
    }
  });

  it("refuses a broken multipart body with 400", async () => {
    const v = visitor("ja");
    const csrf = await v.csrfToken();
    const res = await v.fetch("/login", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=----manabi", Origin: baseUrl(), Accept: "application/json" },
      body: `------manabi\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n------manabi\r\nContent-Disposition: form-da`,
    });
    expect(res.status).toBe(400);
    expect((await problem(res)).title).toBe("リクエストを処理できませんでした");
  });

  it("accepts a well-formed multipart sign-in, as Remix forms may send", async () => {
    const v = visitor("ja");
    const csrf = await v.csrfToken();
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("email", "learner@example.com");
    form.set("password", DEMO_PASSWORD);
    const res = await v.fetch("/login", { method: "POST", body: form, headers: { Origin: baseUrl() } });
    expect(res.status).toBe(302);
    expect(v.cookies.has("manabi_session")).toBe(true);
  });

  it("refuses a NUL byte in a form field, the query or the path with 400", async () => {
    const v = visitor("ja");
    const csrf = await v.csrfToken();
    const field = await v.postForm("/login", { csrf, email: "learner\u0000@example.com", password: DEMO_PASSWORD });
    expect(field.status).toBe(400);
    expect(await field.text()).toContain("リクエストを処理できませんでした");
    for (const path of ["/login?redirectTo=%00", "/learn/%00", "/admin?q=a%00b"]) {
      const res = await v.fetch(path, { headers: { Accept: HTML } });
      expect(res.status, path).toBe(400);
    }
  });
});

describe("methods", () => {
  it("refuses TRACE with 405", async () => {
    const res = await rawRequest(baseUrl(), "TRACE", "/login", { Accept: "application/json" });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD, POST");
    expect(JSON.parse(res.body).status).toBe(405);
  });

  it("refuses PUT, PATCH and DELETE to actions that mean POST with 405 and Allow", async () => {
    const v = visitor("en");
    const csrf = await v.csrfToken();
    for (const path of ["/login", "/logout", "/language", "/account/password"]) {
      for (const method of ["PUT", "PATCH", "DELETE"]) {
        const res = await v.fetch(path, {
          method,
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl(), Accept: HTML },
          body: new URLSearchParams({ csrf, language: "en" }).toString(),
        });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get("allow"), `${method} ${path}`).toBe("GET, HEAD, POST");
        expect(await res.text(), `${method} ${path}`).toContain("This kind of request is not accepted");
      }
    }
  });

  it("answers a form posted to an unknown address with 404, not 405 or 500", async () => {
    const v = visitor("en");
    const csrf = await v.csrfToken();
    const res = await v.postForm("/no-such-page", { csrf });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page not found");
  });
});

describe("redirect targets after sign-in", () => {
  it("signs in with a non-Latin redirectTo, sets the session cookie and lands on the encoded path", async () => {
    const v = visitor("ja");
    const res = await signIn(v, "learner@example.com", "/日本語?q=テスト");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/%E6%97%A5%E6%9C%AC%E8%AA%9E?q=%E3%83%86%E3%82%B9%E3%83%88");
    expect(v.cookies.has("manabi_session")).toBe(true);
    // The session works: the target (no such page) answers as a signed-in 404, and home opens.
    const landed = await v.fetch(res.headers.get("location")!, { headers: { Accept: HTML } });
    expect(landed.status).toBe(404);
    expect(await landed.text()).toContain('data-testid="account-menu"');
    const home = await v.fetch("/", { headers: { Accept: HTML } });
    expect(home.status).toBe(200);
  });

  it("keeps an existing lesson path with Japanese in its query", async () => {
    const v = visitor("en");
    const res = await signIn(v, "learner@example.com", "/learn?q=生成AI");
    expect(res.headers.get("location")).toBe("/learn?q=%E7%94%9F%E6%88%90AI");
    const page = await v.fetch(res.headers.get("location")!, { headers: { Accept: HTML } });
    expect(page.status).toBe(200);
  });
});

describe("caching", () => {
  it("marks signed-in pages and every .data response private, no-store", async () => {
    const v = visitor("ja");
    await signIn(v, "learner@example.com");
    for (const path of ["/", "/learn", "/tools"]) {
      const res = await v.fetch(path, { headers: { Accept: HTML } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
    }
    // Single-fetch data requests, as the browser makes them during client-side navigation.
    for (const path of ["/_root.data", "/learn.data", "/tools.data?_routes=routes%2Ftools"]) {
      const res = await v.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
    }
    // A data request that redirects (signed out) and a data action are private too.
    const anonymous = await visitor().fetch("/learn.data");
    expect(anonymous.headers.get("cache-control")).toBe("private, no-store");
    const csrf = await v.csrfToken("/");
    const action = await v.postForm("/language.data", { csrf, language: "ja", redirectTo: "/" });
    expect(action.status).toBeLessThan(500);
    expect(action.headers.get("cache-control")).toBe("private, no-store");
  });
});

describe("health and readiness", () => {
  it("answers /healthz after checking the database and /readyz once start-up has finished, without a session", async () => {
    const health = await fetch(`${baseUrl()}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok" });
    expect(health.headers.get("cache-control")).toBe("no-store");
    const ready = await fetch(`${baseUrl()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });
});
