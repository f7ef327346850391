import type { AddressInfo } from "node:net";
import type http from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseHostileRequests } from "~/http/request-guards.server";
import { JSON_BODY_ROUTES, checkRequestHead, jsonBodyLimit } from "~/http/request-rules";

const BATCH = "/api/v1/access/batch";
const post = (url: string, contentType: string, contentLength?: string) =>
  checkRequestHead({ method: "POST", url, host: "manabi.example.com", contentType, contentLength });

describe("JSON bodies are accepted where the API documents them, and nowhere else", () => {
  it("takes JSON for the batch endpoint only", () => {
    expect(post(BATCH, "application/json")).toBeNull();
    expect(post(`${BATCH}?x=1`, "application/json; charset=utf-8")).toBeNull();
    expect(post("/api/v1/access", "application/json")).toEqual({ status: 415, reason: "unsupportedMediaType" });
    expect(post("/login", "application/json")).toEqual({ status: 415, reason: "unsupportedMediaType" });
    expect(post(`${BATCH}/`, "application/json")).toEqual({ status: 415, reason: "unsupportedMediaType" });
  });

  it("takes no form on the batch endpoint", () => {
    expect(post(BATCH, "application/x-www-form-urlencoded")).toEqual({ status: 415, reason: "unsupportedMediaType" });
  });

  it("has its own size limit", () => {
    const limit = JSON_BODY_ROUTES[BATCH]!;
    expect(jsonBodyLimit("POST", BATCH)).toBe(limit);
    expect(jsonBodyLimit("GET", BATCH)).toBeNull();
    expect(post(BATCH, "application/json", String(limit))).toBeNull();
    expect(post(BATCH, "application/json", String(limit + 1))).toEqual({ status: 413, reason: "tooLarge" });
  });
});

describe("the request guard with a JSON endpoint", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use(refuseHostileRequests({ maxBodyBytes: 100 }));
    app.all("*", (_req, res) => {
      const body: Uint8Array | undefined = res.locals.body;
      res.json({ body: body ? new TextDecoder().decode(body) : null });
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it("hands the JSON body on, beyond the form limit but within its own", async () => {
    const json = JSON.stringify({ pairs: Array.from({ length: 20 }, (_, i) => ({ user: `p${i}@example.com`, tool: "chat" })) });
    expect(json.length).toBeGreaterThan(100);
    const res = await fetch(`${base}${BATCH}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: json });
    expect(res.status).toBe(200);
    expect((await res.json()).body).toBe(json);
  });

  it("refuses a JSON body past its limit with 413, and JSON elsewhere with 415", async () => {
    const big = JSON.stringify({ pad: "x".repeat(JSON_BODY_ROUTES[BATCH]!) });
    const tooLarge = await fetch(`${base}${BATCH}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: big });
    expect(tooLarge.status).toBe(413);
    const elsewhere = await fetch(`${base}/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(elsewhere.status).toBe(415);
  });
});
