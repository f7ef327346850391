import type { LoaderFunctionArgs } from "@remix-run/node";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { users } from "#db/schema";
import { openApiDocument } from "~/access/openapi";
import { createApiToken, revokeApiToken, takeRate } from "~/access/tokens.server";
import { recordExternalCertificate, revokeCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import type { ContentBundle, Tool, Track } from "~/content/types";
import * as access from "~/routes/api.v1.access";
import * as batch from "~/routes/api.v1.access.batch";
import * as forwardAuth from "~/routes/api.v1.forward-auth.$toolId";
import * as eventsRoute from "~/routes/api.v1.events";
import * as openapiRoute from "~/routes/api.v1.openapi[.]json";
import * as personTools from "~/routes/api.v1.people.$person.tools";
import { makeBundle } from "../helpers/content";
import { createUser, signedInCookie } from "../helpers/factories";

// ── The release, people and tokens ───────────────────────────────────────────────────────────────

const exam = { timeLimitMinutes: 20, passPercent: 80, minimums: [], attempts: 3, retakeWaitHours: 24, blueprint: [{ domain: "d1", count: 1 }] };
const safeUse: Track = {
  id: "t-safe",
  title: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
  summary: { en: "Safe use.", ja: "安全な利用です。" },
  courses: ["c1"],
  exam,
  validityMonths: 12,
  recertificationWindowDays: 60,
};
const practitioner: Track = { ...safeUse, id: "t-prac", title: { en: "Practitioner", ja: "実践者" }, validityMonths: 24 };
const tool = (id: string, requiredTracks: string[]): Tool => ({
  id,
  name: { en: `Tool ${id}`, ja: `ツール ${id}` },
  vendor: { en: "In-house", ja: "自社運用" },
  description: { en: "A tool.", ja: "ツールです。" },
  dataClass: "internal",
  requiredTracks,
  guidance: null,
});
const bundle: ContentBundle = makeBundle({ tracks: [safeUse, practitioner], tools: [tool("chat", ["t-safe"]), tool("code", ["t-safe", "t-prac"])] });

const DAY = 24 * 60 * 60 * 1000;
let secret: string; // access:read
let eventsOnly: string; // events:read only
let revoked: string;
let beforeRelease: { access: Response; accessUnknownPerson: Response; batch: Response; tools: Response; forward: Response; forwardUnknownPerson: Response };
let certified: Awaited<ReturnType<typeof createUser>>;
let certificate: { id: string; number: string; validUntil: Date };
let learner: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  secret = (await createApiToken({ name: "gateway", scopes: ["access:read"] }, { id: null, via: "command-line" })).secret;
  eventsOnly = (await createApiToken({ name: "events", scopes: ["events:read"] }, { id: null, via: "command-line" })).secret;
  const gone = await createApiToken({ name: "gone", scopes: ["access:read"] }, { id: null, via: "command-line" });
  await revokeApiToken(gone.id, { id: null, via: "command-line" });
  revoked = gone.secret;

  certified = await createUser({ email: "Hanako.Sato@Example.com", employeeNumber: "E1001" });
  learner = await createUser({ employeeNumber: "E1002" });
  // Before any release: nothing can be decided.
  beforeRelease = {
    access: await callLoader(access.loader, `/api/v1/access?user=E1001&tool=chat`),
    accessUnknownPerson: await callLoader(access.loader, `/api/v1/access?user=E9999&tool=chat`),
    batch: await callAction(batch.action, { pairs: [{ user: "E1001", tool: "chat" }] }),
    tools: await callLoader(personTools.loader, `/api/v1/people/E1001/tools`, { person: "E1001" }),
    forward: await callLoader(forwardAuth.loader, `/api/v1/forward-auth/chat`, { toolId: "chat" }, { "X-Forwarded-Email": "hanako.sato@example.com" }),
    forwardUnknownPerson: await callLoader(forwardAuth.loader, `/api/v1/forward-auth/chat`, { toolId: "chat" }, { "X-Forwarded-Email": "ghost@example.com" }),
  };
  await publishRelease(bundle, { id: null, name: "test" });
  const hr = await createUser({ roles: ["hr"] });
  certificate = await recordExternalCertificate({ userId: certified.id, track: safeUse, passedAt: new Date(Date.now() - 10 * DAY), evidence: "G検定", actorId: hr.id });
});

// ── Calling the routes as the server does ────────────────────────────────────────────────────────

type Loader = (args: LoaderFunctionArgs) => unknown;

async function answer(fn: () => unknown): Promise<Response> {
  try {
    return (await fn()) as Response;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

function callLoader(loader: Loader, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}, token: string | null = secret) {
  const request = new Request(`http://localhost${path}`, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
  return answer(() => loader({ request, params, context: {} }));
}

function callAction(action: Loader, body: unknown, { token = secret, contentType = "application/json" }: { token?: string | null; contentType?: string } = {}) {
  const request = new Request("http://localhost/api/v1/access/batch", {
    method: "POST",
    headers: { "Content-Type": contentType, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return answer(() => action({ request, params: {}, context: {} }));
}

// ── Checking answers against the OpenAPI document ────────────────────────────────────────────────

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const checked = new Set<string>();
type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }>; headers?: Record<string, unknown> }> }>> };
const doc = openApiDocument as unknown as Doc & { components: object };

/** Validates a real answer against what the document says for its path, method and status; returns the body. */
async function conforms(res: Response, path: string, method: "get" | "post"): Promise<any> {
  const spec = doc.paths[path]![method]!.responses[String(res.status)];
  expect(spec, `${method.toUpperCase()} ${path} → ${res.status} is documented`).toBeDefined();
  checked.add(`${method} ${path} ${res.status}`);
  expect(res.headers.get("Cache-Control"), `${path} ${res.status}`).toBe("no-store");
  for (const name of Object.keys(spec!.headers ?? {})) {
    if (name === "Retry-After") expect(Number(res.headers.get(name))).toBeGreaterThanOrEqual(1);
  }
  if (!spec!.content) {
    expect(await res.text()).toBe("");
    return null;
  }
  const type = (res.headers.get("Content-Type") ?? "").split(";")[0]!;
  const media = spec!.content[type];
  expect(media, `${path} ${res.status} answers ${type}`).toBeDefined();
  const body = type.endsWith("json") ? await res.json() : await res.text();
  const validate = ajv.compile({ ...media!.schema, components: doc.components });
  expect(validate(body), `${path} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return body;
}

const ACCESS = "/api/v1/access";
const BATCH = "/api/v1/access/batch";
const TOOLS = "/api/v1/people/{person}/tools";
const FORWARD = "/api/v1/forward-auth/{toolId}";
const EVENTS = "/api/v1/events";

/**
 * Empties the token's bucket in this process, so the next request is over its rate. Drained as of a
 * minute ahead, so a slow machine cannot refill it between here and the request.
 */
function drain(tokenId: string) {
  const ahead = Date.now() + 60_000;
  while (takeRate(tokenId, ahead).ok);
}
function exhaust(token: string) {
  return createApiToken({ name: token, scopes: ["access:read"] }, { id: null, via: "command-line" }).then((t) => {
    drain(t.id);
    return t.secret;
  });
}

// ── The tests ────────────────────────────────────────────────────────────────────────────────────

describe("GET /api/v1/access", () => {
  it("allows a certified person, naming the certificate and release it rests on; email in any case or employee number", async () => {
    for (const user of ["hanako.sato@example.com", "HANAKO.SATO@EXAMPLE.COM", "E1001"]) {
      const body = await conforms(await callLoader(access.loader, `${ACCESS}?user=${encodeURIComponent(user)}&tool=chat`), ACCESS, "get");
      expect(body).toEqual({
        allowed: true,
        user: { id: certified.id, email: "Hanako.Sato@Example.com", employeeNumber: "E1001", active: true },
        tool: { id: "chat", name: { en: "Tool chat", ja: "ツール chat" } },
        validUntil: certificate.validUntil.toISOString(),
        missingTracks: [],
        certificates: [{ trackId: "t-safe", id: certificate.id, number: certificate.number, validUntil: certificate.validUntil.toISOString() }],
        release: expect.any(Number),
      });
    }
  });

  it("denies with each missing track, why, and the next step", async () => {
    const body = await conforms(await callLoader(access.loader, `${ACCESS}?user=E1001&tool=code`), ACCESS, "get");
    expect(body).toMatchObject({
      allowed: false,
      validUntil: null,
      certificates: [{ trackId: "t-safe", id: certificate.id }],
      missingTracks: [{ trackId: "t-prac", reason: "no-certificate", nextStep: { kind: "courses", courseIds: ["c1"] } }],
    });
  });

  it("denies at once after a revocation here, and within 2 s a person deactivated elsewhere", async () => {
    const person = await createUser({ employeeNumber: "E1003" });
    const hr = await createUser({ roles: ["hr"] });
    const cert = await recordExternalCertificate({ userId: person.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "x", actorId: hr.id });
    expect((await (await callLoader(access.loader, `${ACCESS}?user=E1003&tool=chat`)).json()).allowed).toBe(true);
    await revokeCertificate({ certificateId: cert.id, reason: "誤登録のため", actorId: hr.id });
    const body = await conforms(await callLoader(access.loader, `${ACCESS}?user=E1003&tool=chat`), ACCESS, "get");
    expect(body.missingTracks).toEqual([{ trackId: "t-safe", reason: "certificate-revoked", nextStep: expect.any(Object) }]);

    // Written straight to the database, as another app process (or a script) would: every process's
    // access checks follow within 2 s (the people copy reads the change log every 0.5 s).
    await getDb().update(users).set({ active: false }).where(eq(users.id, certified.id));
    try {
      await expect
        .poll(async () => (await callLoader(access.loader, `${ACCESS}?user=E1001&tool=chat`)).json(), { timeout: 2_000, interval: 100 })
        .toMatchObject({ allowed: false, user: { active: false } });
      const inactive = await conforms(await callLoader(access.loader, `${ACCESS}?user=E1001&tool=chat`), ACCESS, "get");
      expect(inactive).toMatchObject({ allowed: false, user: { active: false } });
    } finally {
      await getDb().update(users).set({ active: true }).where(eq(users.id, certified.id));
      await expect
        .poll(async () => (await callLoader(access.loader, `${ACCESS}?user=E1001&tool=chat`)).json(), { timeout: 2_000, interval: 100 })
        .toMatchObject({ allowed: true });
    }
  });

  it("answers 400 for missing, repeated, oversized or malformed parameters", async () => {
    for (const query of ["?tool=chat", "?user=E1001", "?user=E1001&tool=chat&tool=code", `?user=${"a".repeat(255)}&tool=chat`, "?user=E1001&tool=..%2Fx", "?user=%01&tool=chat"]) {
      const body = await conforms(await callLoader(access.loader, `${ACCESS}${query}`), ACCESS, "get");
      expect(body, query).toMatchObject({ status: 400, code: "invalid-parameters" });
    }
  });

  it("answers 404 for an unknown person or tool", async () => {
    expect(await conforms(await callLoader(access.loader, `${ACCESS}?user=nobody@example.com&tool=chat`), ACCESS, "get")).toMatchObject({ code: "unknown-person" });
    expect(await conforms(await callLoader(access.loader, `${ACCESS}?user=E1001&tool=nope`), ACCESS, "get")).toMatchObject({ code: "unknown-tool" });
    // Both unknown: the person is named first.
    expect(await conforms(await callLoader(access.loader, `${ACCESS}?user=nobody@example.com&tool=nope`), ACCESS, "get")).toMatchObject({ code: "unknown-person" });
  });

  it("answers 503 before any content release", async () => {
    expect(await conforms(beforeRelease.access, ACCESS, "get")).toMatchObject({ code: "no-release" });
    expect(await conforms(beforeRelease.accessUnknownPerson, ACCESS, "get")).toMatchObject({ code: "unknown-person" });
  });
});

describe("authentication and limits, on every endpoint", () => {
  const endpoints = [
    { path: ACCESS, method: "get" as const, call: (token: string | null, headers: Record<string, string> = {}) => callLoader(access.loader, `${ACCESS}?user=E1001&tool=chat`, {}, headers, token) },
    { path: BATCH, method: "post" as const, call: (token: string | null) => callAction(batch.action, { pairs: [{ user: "E1001", tool: "chat" }] }, { token }) },
    { path: TOOLS, method: "get" as const, call: (token: string | null, headers: Record<string, string> = {}) => callLoader(personTools.loader, "/api/v1/people/E1001/tools", { person: "E1001" }, headers, token) },
  ];

  it("401 without a token, with a revoked or a wrong one, and with a session cookie instead of a token", async () => {
    const cookie = await signedInCookie((await createUser({ roles: ["admin"] })).id);
    for (const e of endpoints) {
      for (const token of [null, revoked, `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`, "not-a-token"]) {
        const res = await e.call(token);
        expect(res.headers.get("WWW-Authenticate"), e.path).toMatch(/^Bearer realm="manabi"/);
        expect(await conforms(res, e.path, e.method), `${e.path} ${token}`).toMatchObject({ status: 401, code: "unauthenticated" });
      }
      if (e.method === "get") {
        expect((await e.call(null, { Cookie: cookie })).status, e.path).toBe(401);
      }
    }
  });

  it("403 for a token without access:read", async () => {
    for (const e of endpoints) {
      const res = await e.call(eventsOnly);
      expect(res.headers.get("WWW-Authenticate")).toContain('error="insufficient_scope"');
      expect(await conforms(res, e.path, e.method)).toMatchObject({ status: 403, code: "insufficient-scope" });
    }
  });

  it("429 with Retry-After when a token exceeds its rate, for that token only", async () => {
    for (const e of endpoints) {
      const busy = await exhaust(e.path);
      const res = await e.call(busy);
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
      expect(await conforms(res, e.path, e.method)).toMatchObject({ status: 429, code: "rate-limited" });
      expect((await e.call(secret)).status).toBe(200);
    }
    const busy = await exhaust("forward");
    const res = await callLoader(forwardAuth.loader, "/api/v1/forward-auth/chat", { toolId: "chat" }, { "X-Forwarded-Email": "E1001" }, busy);
    await conforms(res, FORWARD, "get");
    expect(res.status).toBe(429);
  });
});

describe("POST /api/v1/access/batch", () => {
  it("answers each pair in the order asked, with errors in place for unknown people and tools", async () => {
    const pairs = [
      { user: "E1002", tool: "chat" },
      { user: "hanako.sato@example.com", tool: "chat" },
      { user: "ghost@example.com", tool: "chat" },
      { user: "E1001", tool: "code" },
      { user: "E1001", tool: "nope" },
      { user: "E1001", tool: "chat" },
    ];
    const body = await conforms(await callAction(batch.action, { pairs }), BATCH, "post");
    expect(body.decisions.map((d: any) => (d.error ? d.error.code : `${d.user.employeeNumber}/${d.tool.id}/${d.allowed}`))).toEqual([
      "E1002/chat/false",
      "E1001/chat/true",
      "unknown-person",
      "E1001/code/false",
      "unknown-tool",
      "E1001/chat/true",
    ]);
    expect(body.decisions[2]).toEqual({ user: "ghost@example.com", tool: "chat", error: expect.objectContaining({ status: 404 }) });
    expect(body.decisions[1].certificates).toEqual([{ trackId: "t-safe", id: certificate.id, number: certificate.number, validUntil: certificate.validUntil.toISOString() }]);
  });

  it("answers 1,000 pairs, and 413 for 1,001", async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ user: i % 2 ? "E1001" : "E1002", tool: i % 3 ? "chat" : "code" }));
    const ok = await conforms(await callAction(batch.action, { pairs: many }), BATCH, "post");
    expect(ok.decisions).toHaveLength(1000);
    expect(ok.decisions[997]).toMatchObject({ user: { employeeNumber: "E1001" }, tool: { id: "chat" }, allowed: true });
    const tooMany = await conforms(await callAction(batch.action, { pairs: [...many, many[0]] }), BATCH, "post");
    expect(tooMany).toMatchObject({ status: 413, code: "too-many-pairs", maxPairs: 1000 });
  });

  it("answers 400 for a body that is not JSON or not { pairs: [{ user, tool }] }, and 415 for another media type", async () => {
    for (const body of ["{", "[]", "{}", '{"pairs":{}}', '{"pairs":[{"user":"E1001"}]}', '{"pairs":[{"user":"E1001","tool":7}]}']) {
      expect(await conforms(await callAction(batch.action, body), BATCH, "post"), body).toMatchObject({ status: 400, code: "invalid-body" });
    }
    const form = await callAction(batch.action, "pairs=1", { contentType: "application/x-www-form-urlencoded" });
    expect(await conforms(form, BATCH, "post")).toMatchObject({ status: 415 });
  });

  it("answers 503 before any content release", async () => {
    expect(await conforms(beforeRelease.batch, BATCH, "post")).toMatchObject({ code: "no-release" });
  });
});

describe("GET /api/v1/people/{person}/tools", () => {
  it("answers every tool of the catalog with the person's decision", async () => {
    const body = await conforms(await callLoader(personTools.loader, "/api/v1/people/hanako.sato%40example.com/tools", { person: "hanako.sato@example.com" }), TOOLS, "get");
    expect(body.user).toEqual({ id: certified.id, email: "Hanako.Sato@Example.com", employeeNumber: "E1001", active: true });
    expect(body.tools.map((t: any) => [t.tool.id, t.allowed])).toEqual([
      ["chat", true],
      ["code", false],
    ]);
  });

  it("answers 404 for an unknown person and 503 before any release", async () => {
    expect(await conforms(await callLoader(personTools.loader, "/api/v1/people/E9999/tools", { person: "E9999" }), TOOLS, "get")).toMatchObject({ code: "unknown-person" });
    expect(await conforms(beforeRelease.tools, TOOLS, "get")).toMatchObject({ code: "no-release" });
  });
});

describe("GET /api/v1/forward-auth/{toolId} (the gateway contract)", () => {
  const check = (toolId: string, headers: Record<string, string>, token: string | null = secret) =>
    callLoader(forwardAuth.loader, `/api/v1/forward-auth/${toolId}`, { toolId }, headers, token);

  it("204 when the person named in X-Forwarded-Email may use the tool", async () => {
    const res = await check("chat", { "X-Forwarded-Email": "Hanako.Sato@example.com" });
    expect(res.status).toBe(204);
    expect(res.headers.get("X-Manabi-Valid-Until")).toBe(certificate.validUntil.toISOString());
    await conforms(res, FORWARD, "get");
  });

  it("403 with a short text reason when not", async () => {
    const cases: [string, Record<string, string>, string][] = [
      ["code", { "X-Forwarded-Email": "hanako.sato@example.com" }, "not allowed: t-prac not certified"],
      ["chat", { "X-Forwarded-Email": "ghost@example.com" }, "not allowed: unknown person"],
      ["nope", { "X-Forwarded-Email": "hanako.sato@example.com" }, "not allowed: unknown tool"],
      ["nope", { "X-Forwarded-Email": "ghost@example.com" }, "not allowed: unknown person"],
      ["chat", {}, "not allowed: no person in the x-forwarded-email header"],
    ];
    for (const [toolId, headers, reason] of cases) {
      const res = await check(toolId, headers);
      expect(res.status, reason).toBe(403);
      expect((await conforms(res, FORWARD, "get")).trim()).toBe(reason);
    }
    expect((await (await callLoader(forwardAuth.loader, "/x", { toolId: "chat" }, {})).text()).length).toBeLessThan(200);
    expect(await beforeRelease.forward.text()).toBe("not allowed: no content release published\n");
    expect(await beforeRelease.forwardUnknownPerson.text()).toBe("not allowed: unknown person\n");
  });

  it("401 without the gateway's token: the forwarded header alone is never trusted", async () => {
    for (const token of [null, revoked]) {
      const res = await check("chat", { "X-Forwarded-Email": "hanako.sato@example.com" }, token);
      expect(res.status).toBe(401);
      await conforms(res, FORWARD, "get");
    }
    expect((await check("chat", { "X-Forwarded-Email": "hanako.sato@example.com" }, eventsOnly)).status).toBe(403);
  });
});

describe("GET /api/v1/events", () => {
  const events = (query: string, token: string | null = eventsOnly) => callLoader(eventsRoute.loader, `${EVENTS}${query}`, {}, {}, token);

  it("answers the feed with the certificate recorded above as a grant, and continues from a cursor", async () => {
    const page = await conforms(await events("?limit=1000"), EVENTS, "get");
    const grants = page.events.filter((e: { user: { id: string } }) => e.user.id === certified.id);
    expect(grants.map((e: { kind: string; tool: string }) => `${e.kind}:${e.tool}`)).toEqual(["granted:chat"]);
    expect(grants[0].certificates).toEqual([{ trackId: "t-safe", certificateId: certificate.id, number: certificate.number, validUntil: certificate.validUntil.toISOString() }]);
    const rest = await conforms(await events(`?after=${page.nextCursor}`), EVENTS, "get");
    expect(rest).toEqual({ events: [], nextCursor: page.nextCursor, hasMore: false });
  });

  it("400 for a cursor that is not one, 401 without a token, 403 without events:read, 429 past the rate", async () => {
    expect(await conforms(await events("?after=next"), EVENTS, "get")).toMatchObject({ status: 400, code: "invalid-parameters" });
    expect(await conforms(await events("?limit=5000"), EVENTS, "get")).toMatchObject({ status: 400, code: "invalid-parameters" });
    expect(await conforms(await events("", null), EVENTS, "get")).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(await conforms(await events("", secret), EVENTS, "get")).toMatchObject({ status: 403, code: "insufficient-scope" });
    const busy = await createApiToken({ name: "busy-feed", scopes: ["events:read"] }, { id: null, via: "command-line" });
    drain(busy.id);
    const res = await events("", busy.secret);
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await conforms(res, EVENTS, "get")).toMatchObject({ status: 429, code: "rate-limited" });
  });
});

describe("the OpenAPI document", () => {
  it("is served as JSON, is OpenAPI 3.1, and its schemas compile", async () => {
    const res = (await openapiRoute.loader()) as Response;
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const served = await res.json();
    expect(served.openapi).toBe("3.1.0");
    expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    for (const name of Object.keys(served.components.schemas)) {
      expect(() => ajv.compile({ $ref: `#/components/schemas/${name}`, components: served.components }), name).not.toThrow();
    }
  });

  it("every documented answer of every endpoint was checked against a real response above", () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, op]) => Object.keys(op.responses).map((status) => `${method} ${path} ${status}`)),
    );
    expect(documented.filter((d) => !checked.has(d))).toEqual([]);
  });
});
