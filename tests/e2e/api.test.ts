import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD } from "../helpers/browser";
import { Visitor } from "../helpers/http-visitor";

// The access API through the built server: the request guard in front of Remix, resource routes,
// and a token made the way an admin makes one (the page shows the secret once).

let secret: string;
let admin: Visitor;

beforeAll(async () => {
  admin = new Visitor(baseUrl(), "en");
  await admin.signIn("admin@example.com", DEMO_PASSWORD);
  const csrf = await admin.csrfToken("/admin/tokens");
  const body = new URLSearchParams({ csrf, intent: "create", name: "e2e gateway" });
  body.append("scopes", "access:read");
  const res = await admin.fetch("/admin/tokens", {
    method: "POST",
    body,
    headers: { Origin: admin.base, Accept: "text/html", "Content-Type": "application/x-www-form-urlencoded" },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("Cache-Control")).toContain("no-store");
  secret = /mnb_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/.exec(await res.text())![0];
  // Shown once: the page read again does not hold it.
  expect(await (await admin.fetch("/admin/tokens", { headers: { Accept: "text/html" } })).text()).not.toContain(secret);
});

const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${baseUrl()}${path}`, { ...init, headers: { Authorization: `Bearer ${secret}`, ...init.headers } });

describe("the access API over HTTP", () => {
  it("serves the OpenAPI document", async () => {
    const res = await fetch(`${baseUrl()}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect((await res.json()).openapi).toBe("3.1.0");
  });

  it("answers a decision with a bearer token, never cached", async () => {
    const res = await api("/api/v1/access?user=LEARNER@example.com&tool=chat-assistant");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ allowed: false, user: { email: "learner@example.com" }, tool: { id: "chat-assistant" } });
  });

  it("takes a JSON batch past the guard, and refuses JSON anywhere else and forms on the batch", async () => {
    const pairs = Array.from({ length: 1000 }, () => ({ user: "learner@example.com", tool: "chat-assistant" }));
    const ok = await api("/api/v1/access/batch", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pairs }) });
    expect(ok.status).toBe(200);
    expect((await ok.json()).decisions).toHaveLength(1000);
    const tooMany = await api("/api/v1/access/batch", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pairs: [...pairs, pairs[0]] }) });
    expect(tooMany.status).toBe(413);
    expect(tooMany.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    const form = await api("/api/v1/access/batch", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "pairs=1" });
    expect(form.status).toBe(415);
    const elsewhere = await api("/api/v1/access", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(elsewhere.status).toBe(415);
  });

  it("does not take a signed-in session in place of a token", async () => {
    const res = await admin.fetch("/api/v1/people/learner@example.com/tools");
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  });

  it("keeps the forward-auth contract: 403 with a reason, 401 with the forwarded header alone", async () => {
    const denied = await api("/api/v1/forward-auth/chat-assistant", { headers: { "X-Forwarded-Email": "learner@example.com" } });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toMatch(/^not allowed: ai-safe-use not certified/);
    const anonymous = await fetch(`${baseUrl()}/api/v1/forward-auth/chat-assistant`, { headers: { "X-Forwarded-Email": "learner@example.com" } });
    expect(anonymous.status).toBe(401);
  });

  it("answers the hot endpoints with the security headers and a request id, and a HEAD like a GET without a body", async () => {
    for (const res of [
      await api("/api/v1/access?user=learner@example.com&tool=chat-assistant", { headers: { "Accept-Encoding": "gzip, deflate, br" } }),
      await api("/api/v1/access?user=learner@example.com&tool=no-such-tool"),
      await api("/api/v1/forward-auth/chat-assistant", { headers: { "X-Forwarded-Email": "learner@example.com" } }),
      await fetch(`${baseUrl()}/api/v1/access?user=learner@example.com&tool=chat-assistant`),
    ]) {
      expect(res.headers.get("X-Request-Id"), res.url).toMatch(/^[0-9a-f]{8}$/);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      // A JSON or text answer loads nothing: the API's CSP allows nothing (no per-request nonce).
      expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
      expect(res.headers.get("Cache-Control")).toBe("no-store");
    }
    const head = await api("/api/v1/access?user=learner@example.com&tool=chat-assistant", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await head.text()).toBe("");
  });
});
