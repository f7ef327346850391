import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_CSP, withApiFastPath } from "~/access/api-fast-path.server";
import { createApiToken } from "~/access/tokens.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import * as access from "~/routes/api.v1.access";
import * as forwardAuth from "~/routes/api.v1.forward-auth.$toolId";
import { catalogTool, makeBundle, safeUseTrack } from "../helpers/content";
import { createUser } from "../helpers/factories";

// The fast path (server.mjs wraps Express with it) answers GET /api/v1/access and forward-auth the way
// their Remix routes do — same status, type and body — with the API's security headers, and hands every
// other request to the next handler untouched.

const track = safeUseTrack;
const chat = catalogTool("chat", ["t-safe"], { en: "Chat", ja: "チャット" });

let server: Server;
let base: string;
let ready = true;
let secret: string;
const passedOn: string[] = [];

beforeAll(async () => {
  secret = (await createApiToken({ name: "gateway", scopes: ["access:read"] }, { id: null, via: "command-line" })).secret;
  const holder = await createUser({ email: "fast.holder@example.com", employeeNumber: "F1001" });
  await createUser({ email: "fast.learner@example.com", employeeNumber: "F1002" });
  await publishRelease(makeBundle({ tracks: [track], tools: [chat] }), { id: null, name: "test" });
  const hr = await createUser({ roles: ["hr"] });
  await recordExternalCertificate({ userId: holder.id, track, passedAt: new Date(Date.now() - 86_400_000), evidence: "G検定", actorId: hr.id });
  server = createServer(
    withApiFastPath({ isReady: () => ready, secure: true }, (req, res) => {
      passedOn.push(`${req.method} ${req.url}`);
      res.statusCode = 299;
      res.end("next");
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function viaRoute(loader: (args: LoaderFunctionArgs) => unknown, path: string, params: Record<string, string>, headers: Record<string, string>) {
  try {
    return (await loader({ request: new Request(`http://localhost${path}`, { headers }), params, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function same(path: string, loader: (args: LoaderFunctionArgs) => unknown, params: Record<string, string>, headers: Record<string, string>) {
  const fast = await fetch(`${base}${path}`, { headers });
  const route = await viaRoute(loader, path, params, headers);
  const [fastBody, routeBody] = [await fast.text(), await route.text()];
  expect(fast.status, path).toBe(route.status);
  expect(fast.headers.get("content-type"), path).toBe(route.headers.get("content-type"));
  expect(fast.headers.get("cache-control"), path).toBe(route.headers.get("cache-control"));
  expect(fastBody, path).toBe(routeBody);
  expect(fast.headers.get("content-security-policy"), path).toBe(API_CSP);
  expect(fast.headers.get("x-content-type-options"), path).toBe("nosniff");
  expect(fast.headers.get("x-frame-options"), path).toBe("DENY");
  expect(fast.headers.get("strict-transport-security"), path).toMatch(/max-age=\d{7,}/);
  expect(fast.headers.get("x-request-id"), path).toMatch(/^[0-9a-f]{8}$/);
  return fast.status;
}

describe("the API fast path", () => {
  const bearer = () => ({ Authorization: `Bearer ${secret}` });

  it("answers the access check as its route does: allowed, refused, unknown, bad parameters, no or bad token", async () => {
    passedOn.length = 0;
    expect(await same("/api/v1/access?user=F1001&tool=chat", access.loader, {}, bearer())).toBe(200);
    expect(await same("/api/v1/access?user=fast.learner%40example.com&tool=chat", access.loader, {}, bearer())).toBe(200);
    expect(await same("/api/v1/access?user=F9999&tool=chat", access.loader, {}, bearer())).toBe(404);
    expect(await same("/api/v1/access?user=F1001&tool=nope", access.loader, {}, bearer())).toBe(404);
    expect(await same("/api/v1/access?user=F1001", access.loader, {}, bearer())).toBe(400);
    expect(await same(`/api/v1/access?user=${"x".repeat(5000)}&tool=chat`, access.loader, {}, bearer())).toBe(400);
    expect(await same("/api/v1/access?user=F1001&tool=chat", access.loader, {}, {})).toBe(401);
    expect(await same("/api/v1/access?user=F1001&tool=chat", access.loader, {}, { Authorization: "Bearer mnb_nope" })).toBe(401);
    expect(passedOn).toEqual([]);
  });

  it("answers forward-auth as its route does: 204, 403 with a reason, 401", async () => {
    passedOn.length = 0;
    const as = (email: string) => ({ ...bearer(), "X-Forwarded-Email": email });
    expect(await same("/api/v1/forward-auth/chat", forwardAuth.loader, { toolId: "chat" }, as("fast.holder@example.com"))).toBe(204);
    expect(await same("/api/v1/forward-auth/chat", forwardAuth.loader, { toolId: "chat" }, as("fast.learner@example.com"))).toBe(403);
    expect(await same("/api/v1/forward-auth/chat", forwardAuth.loader, { toolId: "chat" }, as("ghost@example.com"))).toBe(403);
    expect(await same("/api/v1/forward-auth/nope", forwardAuth.loader, { toolId: "nope" }, as("fast.holder@example.com"))).toBe(403);
    expect(await same("/api/v1/forward-auth/chat", forwardAuth.loader, { toolId: "chat" }, { "X-Forwarded-Email": "fast.holder@example.com" })).toBe(401);
    expect(passedOn).toEqual([]);
  });

  it("hands on every other request: other methods and paths, a NUL byte, a bad escape, before start-up finished", async () => {
    passedOn.length = 0;
    const status = async (path: string, init: RequestInit = {}) => (await fetch(`${base}${path}`, { ...init, headers: { ...bearer(), ...(init.headers ?? {}) } })).status;
    expect(await status("/api/v1/access/batch", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })).toBe(299);
    expect(await status("/api/v1/access?user=F1001&tool=chat", { method: "HEAD" })).toBe(299);
    expect(await status("/api/v1/events")).toBe(299);
    expect(await status("/api/v1/accessx?user=F1001&tool=chat")).toBe(299);
    expect(await status("/learn")).toBe(299);
    expect(await status("/api/v1/access?user=F1001%00&tool=chat")).toBe(299);
    expect(await status("/api/v1/forward-auth/%E0%A4%A")).toBe(299);
    ready = false;
    try {
      expect(await status("/api/v1/access?user=F1001&tool=chat")).toBe(299);
    } finally {
      ready = true;
    }
    expect(passedOn).toHaveLength(8);
  });
});
