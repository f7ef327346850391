import { readdirSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { certificates, mailOutbox } from "#db/schema";
import { forwardAuthUserHeader } from "~/access/api.server";
import { createApiToken } from "~/access/tokens.server";
import { sendInvitations } from "~/auth/invitations.server";
import { grantCourseExemption, recordExternalCertificate } from "~/certification/certificates.server";
import { publishedJwks } from "~/certification/signing-keys.server";
import { contentDir } from "~/content/authoring.server";
import { publishRelease } from "~/content/publish.server";
import { startExam } from "~/assessment/exams.server";
import { catalogTool, examBundle } from "../helpers/content";
import { createUser, get, post, settle } from "../helpers/factories";
import { ROUTES_DIR, routeFiles } from "../helpers/route-files";

// The role × route matrix (issue #14, security sweep). Every file in app/routes/ has a row here: the
// status its loader (GET) and its action (POST, with a valid CSRF token, so the permission check and not
// CSRF answers) give each kind of visitor. A route file without a row fails the test, as does a row
// without a file. A crash (a thrown Error) or a 5xx is never a pass.
//
// Columns (who asks):
//   anon   signed out
//   lrn    a learner (no reports, no granted role), not the owner of the fixtures below
//   own    the owner of the fixtures: a learner in mgrIn's team holding the certificate and the open attempt
//   mgrIn  the owner's manager
//   mgrOut a manager of another team
//   hr, author, admin   people granted that role
//
// Fixtures for dynamic segments: course c1, lesson l1, question x1, track t1, tool "chat" (needs t1),
// the owner's certificate (id and verification code), the owner's open exam attempt, a live invitation
// token, a published signing-key thumbprint.
//
// Reading the table: 200 page/file, 204 no content, 302/303 redirect (signed out → /login), 400 bad input
// (the probe body is deliberately not a valid form), 401 no bearer token, 403 refused, 404 not found or
// not yours (the same answer as for an id that does not exist), 405 method not accepted.

const COLUMNS = ["anon", "lrn", "own", "mgrIn", "mgrOut", "hr", "author", "admin"] as const;
type Column = (typeof COLUMNS)[number];

type Fixtures = {
  certificateId: string;
  verificationCode: string;
  attemptId: string;
  inviteToken: string;
  thumbprint: string;
  ownerId: string;
  ownerEmail: string;
  accessToken: string;
};

type Row = {
  /** The URL, with `:name` segments filled from `params`. */
  path: string;
  params?: (f: Fixtures) => Record<string, string>;
  /** Expected status per column, in COLUMNS order. */
  get: string;
  /** Expected status per column for the action; absent when the route has no action. */
  post?: string;
  /** The form the probe posts (CSRF token added). By default a form that no action accepts. */
  body?: (f: Fixtures) => Record<string, string>;
  /** Puts back what an allowed POST changed, so later rows see the same fixtures. */
  after?: () => Promise<void>;
};

const PROBE = { intent: "matrix-probe" };

//                                                                         anon lrn own mgrIn mgrOut hr author admin
const MATRIX: Record<string, Row> = {
  // ── Pages every signed-in person has ─────────────────────────────────────────────────────────────
  "_index":                         { path: "/",                           get: "302 200 200 200 200 200 200 200" },
  "learn._index":                   { path: "/learn",                      get: "302 200 200 200 200 200 200 200" },
  "learn.$courseId._index":         { path: "/learn/:courseId",            get: "302 200 200 200 200 200 200 200", params: () => ({ courseId: "c1" }) },
  "learn.$courseId.$lessonId":      { path: "/learn/:courseId/:lessonId",  get: "302 200 200 200 200 200 200 200", params: () => ({ courseId: "c1", lessonId: "l1" }),
                                                                           post: "302 400 400 400 400 400 400 400" },
  "tracks.$trackId":                { path: "/tracks/:trackId",            get: "302 200 200 200 200 200 200 200", params: () => ({ trackId: "t1" }),
                                                                           post: "302 400 400 400 400 400 400 400" },
  "tools":                          { path: "/tools",                      get: "302 200 200 200 200 200 200 200" },
  "certificates._index":            { path: "/certificates",               get: "302 200 200 200 200 200 200 200" },
  "account.password":               { path: "/account/password",           get: "302 200 200 200 200 200 200 200",
                                                                           post: "302 400 400 400 400 400 400 400" },
  // ── Someone's own records: only the owner; everyone else gets the 404 of an unknown id ─────────────
  "certificates.$id":               { path: "/certificates/:id",           get: "302 404 200 404 404 404 404 404", params: (f) => ({ id: f.certificateId }) },
  "certificates.$id_.pdf":          { path: "/certificates/:id/pdf",       get: "302 404 200 404 404 404 404 404", params: (f) => ({ id: f.certificateId }) },
  "certificates.$id_.badge":        { path: "/certificates/:id/badge",     get: "302 404 200 404 404 404 404 404", params: (f) => ({ id: f.certificateId }) },
  // POSTs flag the first question (unflag: the fixture stays as it was): a valid form, so ownership answers.
  "exams.$attemptId":               { path: "/exams/:attemptId",           get: "302 404 200 404 404 404 404 404", params: (f) => ({ attemptId: f.attemptId }),
                                                                           post: "302 404 302 404 404 404 404 404",
                                                                           body: () => ({ intent: "flag", position: "0", flagTo: "false" }) },
  "exams.$attemptId_.answer":       { path: "/exams/:attemptId/answer",    get: "405 405 405 405 405 405 405 405", params: (f) => ({ attemptId: f.attemptId }),
                                                                           post: "401 404 200 404 404 404 404 404",
                                                                           body: () => ({ position: "0", flagged: "false" }) },
  // An open attempt has no result yet: the owner is sent back to the questions.
  "exams.$attemptId_.result":       { path: "/exams/:attemptId/result",    get: "302 404 302 404 404 404 404 404", params: (f) => ({ attemptId: f.attemptId }) },
  // ── Managers: their own team only ────────────────────────────────────────────────────────────────
  // POST reminds the owner: their manager may, a manager of another team may not.
  "team":                           { path: "/team",                       get: "302 403 403 200 200 403 403 403",
                                                                           post: "302 403 403 302 403 403 403 403",
                                                                           body: (f) => ({ intent: "remind", personId: f.ownerId }) },
  "team[.csv]":                     { path: "/team.csv",                   get: "302 403 403 200 200 403 403 403" },
  // Tool rosters: a manager sees their team, HR the company.
  "tools_.$toolId.people":          { path: "/tools/:toolId/people",       get: "302 403 403 200 200 200 403 403", params: () => ({ toolId: "chat" }) },
  "tools_.$toolId.people[.csv]":    { path: "/tools/:toolId/people.csv",   get: "302 403 403 200 200 200 403 403", params: () => ({ toolId: "chat" }) },
  // ── HR ───────────────────────────────────────────────────────────────────────────────────────────
  "hr":                             { path: "/hr",                         get: "302 403 403 403 403 200 403 403" },
  "hr_.report":                     { path: "/hr/report?track=t1",         get: "302 403 403 403 403 200 403 403" },
  "hr_.report[.csv]":               { path: "/hr/report.csv?track=t1",     get: "302 403 403 403 403 200 403 403" },
  "hr_.people[.csv]":               { path: "/hr/people.csv",              get: "302 403 403 403 403 200 403 403" },
  "hr_.reminders":                  { path: "/hr/reminders",               get: "302 403 403 403 403 200 403 403" },
  "hr_.assignments":                { path: "/hr/assignments",             get: "302 403 403 403 403 200 403 403",
                                                                           post: "302 403 403 403 403 400 403 403" },
  "hr_.certificates":               { path: "/hr/certificates",            get: "302 403 403 403 403 200 403 403",
                                                                           post: "302 403 403 403 403 400 403 403" },
  "hr_.import":                     { path: "/hr/import",                  get: "302 403 403 403 403 200 403 403",
                                                                           post: "302 403 403 403 403 400 403 403" },
  "hr_.invitations":                { path: "/hr/invitations",             get: "302 403 403 403 403 200 403 403",
                                                                           post: "302 403 403 403 403 400 403 403" },
  // ── Authors ──────────────────────────────────────────────────────────────────────────────────────
  // POST publishes the draft (CONTENT_DIR: the small valid fixture) and says so on the page it redirects to.
  "authoring._index":               { path: "/authoring",                  get: "302 403 403 403 403 403 200 403",
                                                                           post: "302 403 403 403 403 403 302 403", after: () => publishMatrixRelease() },
  "authoring.preview._index":       { path: "/authoring/preview",          get: "302 403 403 403 403 403 200 403" },
  "authoring.preview.$lessonId":    { path: "/authoring/preview/:lessonId", get: "302 403 403 403 403 403 200 403", params: () => ({ lessonId: "intro-what" }) },
  "authoring.items":                { path: "/authoring/items",            get: "302 403 403 403 403 403 200 403" },
  "authoring.items[.csv]":          { path: "/authoring/items.csv",        get: "302 403 403 403 403 403 200 403" },
  "authoring.items_.$questionId":   { path: "/authoring/items/:questionId", get: "302 403 403 403 403 403 200 403", params: () => ({ questionId: "x1" }) },
  // ── Admins ───────────────────────────────────────────────────────────────────────────────────────
  "admin._index":                   { path: "/admin",                      get: "302 403 403 403 403 403 403 200",
                                                                           post: "302 403 403 403 403 403 403 400" },
  "admin.audit":                    { path: "/admin/audit",                get: "302 403 403 403 403 403 403 200" },
  "admin.mail":                     { path: "/admin/mail",                 get: "302 403 403 403 403 403 403 200" },
  "admin.tokens":                   { path: "/admin/tokens",               get: "302 403 403 403 403 403 403 200",
                                                                           post: "302 403 403 403 403 403 403 400" },
  "admin.webhooks":                 { path: "/admin/webhooks",             get: "302 403 403 403 403 403 403 200",
                                                                           post: "302 403 403 403 403 403 403 400" },
  // ── Signing in and out, language ─────────────────────────────────────────────────────────────────
  // The sign-in page sends a signed-in person home; its action answers a bad form with 400 for anyone.
  "login":                          { path: "/login",                      get: "200 302 302 302 302 302 302 302",
                                                                           post: "400 400 400 400 400 400 400 400" },
  "logout":                         { path: "/logout",                     get: "302 302 302 302 302 302 302 302",
                                                                           post: "302 302 302 302 302 302 302 302" },
  "language":                       { path: "/language",                   get: "302 302 302 302 302 302 302 302",
                                                                           post: "400 400 400 400 400 400 400 400" },
  // Single sign-on is not configured in tests: the routes do not exist.
  "auth.sso":                       { path: "/auth/sso",                   get: "404 404 404 404 404 404 404 404" },
  "auth.sso_.callback":             { path: "/auth/sso/callback",          get: "404 404 404 404 404 404 404 404" },
  // An invitation link is the invitee's key, whoever opens it; a bad form is a 400.
  "invite.$token":                  { path: "/invite/:token",              get: "200 200 200 200 200 200 200 200", params: (f) => ({ token: f.inviteToken }),
                                                                           post: "400 400 400 400 400 400 400 400" },
  // ── Public documents: the verification page and the Open Badges documents ────────────────────────
  "verify.$code":                   { path: "/verify/:code",               get: "200 200 200 200 200 200 200 200", params: (f) => ({ code: f.verificationCode }) },
  "credentials.$code":              { path: "/credentials/:code",          get: "303 303 303 303 303 303 303 303", params: (f) => ({ code: f.verificationCode }) },
  "issuer":                         { path: "/issuer",                     get: "200 200 200 200 200 200 200 200" },
  "issuer_.keys.$thumbprint":       { path: "/issuer/keys/:thumbprint",    get: "200 200 200 200 200 200 200 200", params: (f) => ({ thumbprint: f.thumbprint }) },
  "[.well-known].jwks[.json]":      { path: "/.well-known/jwks.json",      get: "200 200 200 200 200 200 200 200" },
  "achievements.$trackId.$lang":    { path: "/achievements/:trackId/:lang", get: "200 200 200 200 200 200 200 200", params: () => ({ trackId: "t1", lang: "ja" }) },
  // ── The API: a bearer token, never a session (the token table below covers scopes) ───────────────
  "api.v1.openapi[.]json":          { path: "/api/v1/openapi.json",        get: "200 200 200 200 200 200 200 200" },
  "api.v1.access":                  { path: "/api/v1/access?user=:user&tool=chat", get: "401 401 401 401 401 401 401 401", params: (f) => ({ user: f.ownerEmail }) },
  "api.v1.access.batch":            { path: "/api/v1/access/batch",        get: "405 405 405 405 405 405 405 405",
                                                                           post: "401 401 401 401 401 401 401 401" },
  "api.v1.people.$person.tools":    { path: "/api/v1/people/:person/tools", get: "401 401 401 401 401 401 401 401", params: (f) => ({ person: f.ownerEmail }) },
  "api.v1.events":                  { path: "/api/v1/events",              get: "401 401 401 401 401 401 401 401" },
  "api.v1.forward-auth.$toolId":    { path: "/api/v1/forward-auth/:toolId", get: "401 401 401 401 401 401 401 401", params: () => ({ toolId: "chat" }) },
  // ── Anything else ────────────────────────────────────────────────────────────────────────────────
  "$":                              { path: "/no-such-page",               get: "404 404 404 404 404 404 404 404",
                                                                           post: "404 404 404 404 404 404 404 404" },
};

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────────

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown> | unknown;
  action?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown> | unknown;
};


function expectedRow(spec: string): Record<Column, number> {
  const cells = spec.trim().split(/\s+/).map(Number);
  if (cells.length !== COLUMNS.length || cells.some((c) => !Number.isInteger(c))) throw new Error(`A matrix row needs ${COLUMNS.length} statuses: "${spec}"`);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]!])) as Record<Column, number>;
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`No value for :${name} in ${template}`);
    return encodeURIComponent(params[name]!);
  });
}

/**
 * The status a loader or action answered with. A returned or thrown Response gives its status; `data()`
 * its init status; plain data is a 200. Anything else thrown is a crash, reported as such. A body is
 * read to the end, so an error while streaming (a CSV, a PDF) is a crash too.
 */
async function statusOf(run: () => Promise<unknown> | unknown): Promise<number | string> {
  const { thrown, value } = await settle(async () => run());
  if (value instanceof Response) {
    try {
      await value.arrayBuffer();
    } catch (error) {
      return `crash while streaming the body: ${String(error)}`;
    }
    return value.status;
  }
  if (thrown) return `crash: ${value instanceof Error ? `${value.name}: ${value.message}` : String(value)}`;
  if (value && typeof value === "object" && (value as { type?: unknown }).type === "DataWithResponseInit") {
    return (value as { init?: { status?: number } | null }).init?.status ?? 200;
  }
  return 200;
}

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────────

let fixtures: Fixtures;
let who: Record<Exclude<Column, "anon">, string>;
const modules = new Map<string, RouteModule>();

const publishMatrixRelease = async () => {
  await publishRelease(examBundle({ tools: [catalogTool("chat", ["t1"])] }), { id: null, name: "matrix" });
};

beforeAll(async () => {
  // Drafts (authoring pages) come from the small valid fixture, not the shipped courses.
  process.env.CONTENT_DIR = path.resolve("tests/fixtures/content/valid");
  if (contentDir() !== process.env.CONTENT_DIR) throw new Error("The environment was read before the matrix set CONTENT_DIR");
  await publishMatrixRelease();
  const hr = await createUser({ roles: ["hr"] });
  const author = await createUser({ roles: ["author"] });
  const admin = await createUser({ roles: ["admin"] });
  const mgrIn = await createUser();
  const mgrOut = await createUser();
  await createUser({ managerId: mgrOut.id });
  const owner = await createUser({ managerId: mgrIn.id, employeeNumber: `E${Date.now()}` });
  const learner = await createUser();
  who = { lrn: learner.id, own: owner.id, mgrIn: mgrIn.id, mgrOut: mgrOut.id, hr: hr.id, author: author.id, admin: admin.id };

  // The owner's open attempt, then a certificate of the same track.
  await grantCourseExemption({ userId: owner.id, trackId: "t1", reason: "matrix", actorId: hr.id });
  const started = await startExam({ userId: owner.id, trackId: "t1", lang: "ja" });
  if (started.kind !== "started" && started.kind !== "resumed") throw new Error(`The fixture attempt did not start: ${started.kind}`);
  const certificate = await recordExternalCertificate({
    userId: owner.id,
    track: { id: "t1", title: { en: "Test track", ja: "テスト認定" }, validityMonths: 12 },
    passedAt: new Date(),
    evidence: "matrix fixture",
    actorId: hr.id,
  });
  const [code] = await getDb().select({ code: certificates.verificationCode }).from(certificates).where(eq(certificates.id, certificate.id));

  // A live invitation of someone without a password.
  const invitee = await createUser({ passwordHash: null });
  await sendInvitations({ actorId: hr.id, userIds: [invitee.id], origin: "http://localhost" });
  const [mail] = await getDb().select({ text: mailOutbox.textBody }).from(mailOutbox).where(eq(mailOutbox.userId, invitee.id));
  const inviteToken = /\/invite\/([A-Za-z0-9_-]{43})/.exec(mail?.text ?? "")?.[1];
  if (!inviteToken) throw new Error("The fixture invitation has no link");

  const jwks = await publishedJwks("http://localhost");
  const thumbprint = jwks.keys[0]?.kid?.split("/").pop();
  if (!thumbprint) throw new Error("No signing key is published");

  const token = await createApiToken({ name: "matrix", scopes: ["access:read"] }, { id: null, via: "command-line" });
  fixtures = {
    certificateId: certificate.id,
    verificationCode: code!.code,
    attemptId: "attemptId" in started ? started.attemptId : "",
    inviteToken,
    thumbprint,
    ownerId: owner.id,
    ownerEmail: owner.email,
    accessToken: token.secret,
  };
  if (!fixtures.attemptId) throw new Error("The fixture attempt has no id");

  for (const file of routeFiles()) modules.set(file, (await import(/* @vite-ignore */ path.join(ROUTES_DIR, readdirSync(ROUTES_DIR).find((f) => f.replace(/\.(tsx?|jsx?)$/, "") === file)!))) as RouteModule);
}, 120_000);

async function requestFor(column: Column, method: "GET" | "POST", url: string, body: Record<string, string>): Promise<Request> {
  const userId = column === "anon" ? undefined : who[column];
  return method === "GET" ? get(url, userId) : post(url, body, { userId });
}

// ── The tests ───────────────────────────────────────────────────────────────────────────────────────

describe("the role × route matrix", () => {
  it("has a row for every route file and a file for every row", () => {
    const files = routeFiles();
    const missing = files.filter((f) => !(f in MATRIX));
    const stale = Object.keys(MATRIX).filter((k) => !files.includes(k));
    expect(missing, `route files with no row in the matrix (add one to tests/integration/security-route-matrix.test.ts): ${missing.join(", ")}`).toEqual([]);
    expect(stale, `matrix rows for route files that no longer exist: ${stale.join(", ")}`).toEqual([]);
  });

  it("has a POST row exactly for the routes with an action, and a GET row for those with a loader", () => {
    const problems: string[] = [];
    for (const [file, mod] of modules) {
      const row = MATRIX[file];
      if (!row) continue;
      if (typeof mod.loader !== "function") problems.push(`${file} has no loader but the matrix expects GET statuses`);
      if (typeof mod.action === "function" && !row.post) problems.push(`${file} has an action but no POST row`);
      if (typeof mod.action !== "function" && row.post) problems.push(`${file} has a POST row but no action`);
    }
    expect(problems).toEqual([]);
  });

  for (const [file, row] of Object.entries(MATRIX)) {
    for (const method of ["GET", "POST"] as const) {
      const spec = method === "GET" ? row.get : row.post;
      if (!spec) continue;
      it(`${method} ${row.path} (${file}) answers each role as the matrix says`, async () => {
        const mod = modules.get(file);
        expect(mod, `app/routes/${file} could not be loaded`).toBeDefined();
        const fn = method === "GET" ? mod!.loader : mod!.action;
        expect(typeof fn, `${file} ${method}`).toBe("function");
        const params = row.params?.(fixtures) ?? {};
        const url = fill(row.path, params);
        const body = row.body?.(fixtures) ?? PROBE;
        const expected = expectedRow(spec);
        const actual: Record<string, number | string> = {};
        for (const column of COLUMNS) {
          const request = await requestFor(column, method, url, body);
          actual[column] = await statusOf(() => fn!({ request, params, context: { clientIp: "192.0.2.1", requestId: "matrix" } }));
        }
        await row.after?.();
        const crashes = Object.entries(actual).filter(([, s]) => typeof s === "string" || s >= 500);
        expect(crashes, `${method} ${url}: a crash or a 5xx is never a pass`).toEqual([]);
        expect(actual, `${method} ${url}`).toEqual(expected);
      });
    }
  }
});

describe("API routes answer bearer tokens by scope", () => {
  type Case = { file: string; url: (f: Fixtures) => string; params: (f: Fixtures) => Record<string, string>; method: "GET" | "POST"; ok: number; scope?: "access:read" | "events:read" };
  const cases: Case[] = [
    { file: "api.v1.access", url: (f: Fixtures) => `/api/v1/access?user=${encodeURIComponent(f.ownerEmail)}&tool=chat`, params: () => ({}), method: "GET", ok: 200 },
    { file: "api.v1.people.$person.tools", url: (f: Fixtures) => `/api/v1/people/${encodeURIComponent(f.ownerEmail)}/tools`, params: (f: Fixtures) => ({ person: f.ownerEmail }), method: "GET", ok: 200 },
    { file: "api.v1.access.batch", url: () => "/api/v1/access/batch", params: () => ({}), method: "POST", ok: 200 },
    { file: "api.v1.events", url: () => "/api/v1/events", params: () => ({}), method: "GET", ok: 200, scope: "events:read" },
    { file: "api.v1.forward-auth.$toolId", url: () => "/api/v1/forward-auth/chat", params: () => ({ toolId: "chat" }), method: "GET", ok: 204 },
  ];

  it("401 without a token or with a wrong one, 403 with the wrong scope, the answer with the right scope", async () => {
    const wrongScope = {
      "access:read": (await createApiToken({ name: "events only", scopes: ["events:read"] }, { id: null, via: "command-line" })).secret,
      "events:read": fixtures.accessToken,
    };
    const rightScope = {
      "access:read": fixtures.accessToken,
      "events:read": wrongScope["access:read"],
    };
    const results: Record<string, Record<string, number | string>> = {};
    const expected: Record<string, Record<string, number>> = {};
    for (const c of cases) {
      const mod = modules.get(c.file)!;
      const fn = c.method === "GET" ? mod.loader! : mod.action!;
      const scope = c.scope ?? "access:read";
      const tokens = { none: null, bogus: "mnb_xxxxxxxx_not-a-real-token", wrongScope: wrongScope[scope], rightScope: rightScope[scope] } as const;
      results[c.file] = {};
      for (const [name, token] of Object.entries(tokens)) {
        const headers: Record<string, string> = { [forwardAuthUserHeader()]: fixtures.ownerEmail };
        if (token) headers.Authorization = `Bearer ${token}`;
        const request =
          c.method === "GET"
            ? new Request(`http://localhost${c.url(fixtures)}`, { headers })
            : new Request(`http://localhost${c.url(fixtures)}`, {
                method: "POST",
                headers: { ...headers, "Content-Type": "application/json" },
                body: JSON.stringify({ pairs: [{ user: fixtures.ownerEmail, tool: "chat" }] }),
              });
        results[c.file]![name] = await statusOf(() => fn({ request, params: c.params(fixtures), context: {} }));
      }
      expected[c.file] = { none: 401, bogus: 401, wrongScope: 403, rightScope: c.ok };
    }
    expect(results).toEqual(expected);
  });
});
