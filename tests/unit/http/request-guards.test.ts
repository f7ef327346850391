import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleUnexpectedErrors, readyz, refuseHostileRequests, whileStarting } from "~/http/request-guards.server";

// A small Express app with the guard in front of a handler that echoes the body it was handed.
let server: http.Server;
let base: string;
let ready = false;
const reached: string[] = [];

beforeAll(async () => {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.requestId = "req-0001";
    next();
  });
  app.use(refuseHostileRequests({ maxBodyBytes: 1000 }));
  app.get("/readyz", readyz(() => ready));
  app.use("/starting", whileStarting(() => ready));
  app.get("/boom", () => {
    throw new Error("kaboom");
  });
  app.all("*", (req, res) => {
    reached.push(`${req.method} ${req.path}`);
    const body: Uint8Array | undefined = res.locals.body;
    res.json({ method: req.method, body: body ? new TextDecoder().decode(body) : null });
  });
  app.use(handleUnexpectedErrors);
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

/** A raw request (fetch refuses TRACE and lets no test lie about lengths). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

describe("the request guard", () => {
  it("hands a same-site form post to the app with its body", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { ...FORM, Origin: base },
      body: "email=a%40example.com&password=x",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: "POST", body: "email=a%40example.com&password=x" });
  });

  it("hands a multipart form to the app", async () => {
    const form = new FormData();
    form.set("intent", "open");
    const res = await fetch(`${base}/learn/x.data`, { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect((await res.json()).body).toContain('name="intent"');
  });

  it("refuses TRACE and PUT/PATCH/DELETE with 405 and the allowed methods", async () => {
    for (const method of ["TRACE", "PUT", "PATCH", "DELETE"]) {
      const res = await raw(method, "/logout", { Accept: "application/json" });
      expect(res.status, method).toBe(405);
      expect(res.headers.allow, method).toBe("GET, HEAD, POST");
      expect(res.headers["content-type"], method).toMatch(/^application\/problem\+json/);
    }
    expect(reached).not.toContain("PUT /logout");
  });

  it("answers OPTIONS with the allowed methods", async () => {
    const res = await raw("OPTIONS", "/login");
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe("GET, HEAD, POST");
  });

  it("refuses a post from an opaque origin with 403 in the reader's language", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { ...FORM, Origin: "null", Accept: "text/html", "Accept-Language": "en-US,en;q=0.9" },
      body: "a=b",
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-language")).toBe("en");
    const html = await res.text();
    expect(html).toContain("Requests from other sites are refused");
    expect(html).toContain("Reference: req-0001");
  });

  it("refuses JSON, text and XML bodies with 415, in Japanese by default", async () => {
    for (const [type, body] of [
      ["application/json", '{"a":1}'],
      ["text/plain", "a=b"],
      ["application/xml", "<a/>"],
    ]) {
      const res = await fetch(`${base}/login`, { method: "POST", headers: { "Content-Type": type! }, body });
      expect(res.status, type).toBe(415);
      expect(res.headers.get("content-type"), type).toMatch(/^application\/problem\+json/);
      const problem = await res.json();
      expect(problem.status).toBe(415);
      expect(problem.title).toBe("この形式は受け付けていません");
      expect(problem.requestId).toBe("req-0001");
    }
  });

  it("refuses a broken multipart body with 400", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=xyz" },
      body: "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
    });
    expect(res.status).toBe(400);
  });

  it("refuses NUL bytes in a form field or the URL with 400", async () => {
    const field = await fetch(`${base}/login`, { method: "POST", headers: FORM, body: "email=a%00b" });
    expect(field.status).toBe(400);
    const query = await fetch(`${base}/admin?q=%00`);
    expect(query.status).toBe(400);
  });

  it("refuses a declared body over the limit with 413 and never echoes it", async () => {
    const huge = "x=" + "a".repeat(5000);
    const res = await fetch(`${base}/login`, { method: "POST", headers: { ...FORM, Accept: "text/html" }, body: huge });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain("送信された内容が大きすぎます");
    expect(html).not.toContain("aaaaaaaaaa");
  });

  it("counts the bytes of a streamed (chunked) body and refuses it past the limit", async () => {
    const chunks = Array.from({ length: 20 }, () => "a".repeat(100));
    const res = await raw("POST", "/login", { ...FORM, "Transfer-Encoding": "chunked" }, "x=" + chunks.join(""));
    expect(res.status).toBe(413);
    const small = await raw("POST", "/login", { ...FORM, "Transfer-Encoding": "chunked" }, "x=small");
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body).body).toBe("x=small");
  });

  it("says 503 until start-up has finished, then lets requests through", async () => {
    ready = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get("retry-after")).toBe("5");
    const page = await fetch(`${base}/starting`, { headers: { Accept: "text/html", "Accept-Language": "en" } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("Manabi is starting");
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/starting`)).status).toBe(200);
  });

  it("logs an error that reached Express with the request id and shows the same id", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await fetch(`${base}/boom`, { headers: { Accept: "text/html", "Accept-Language": "en" } });
      expect(res.status).toBe(500);
      const html = await res.text();
      expect(html).toContain("Reference: req-0001");
      expect(html).not.toContain("kaboom");
      expect(spy).toHaveBeenCalledWith("[req-0001] GET /boom", expect.objectContaining({ message: "kaboom" }));
    } finally {
      spy.mockRestore();
    }
  });
});
