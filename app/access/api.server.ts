import { inArray, or, sql } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { users, type ApiScope } from "#db/schema";
import { getCurrentRelease } from "~/content/release.server";
import { env } from "~/env.server";
import type { AccessDecision } from "./decision";
import { accessView, chunks, type ApiAccess, type ApiPerson } from "./api-views";
import { isEmailKey, toolDecisionFor, toolDecisions } from "./decisions.server";
import { authenticateBearer, takeRate, type ApiPrincipal } from "./tokens.server";

/**
 * The HTTP API's shared edge: bearer authentication (never a session cookie), scopes, the per-token
 * rate limit, RFC 9457 problem answers, and the person and decision look-ups behind the routes.
 */

const STATUS_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

export type ProblemCode =
  | "invalid-parameters"
  | "invalid-body"
  | "too-many-pairs"
  | "unauthenticated"
  | "insufficient-scope"
  | "unknown-person"
  | "unknown-tool"
  | "method-not-allowed"
  | "unsupported-media-type"
  | "rate-limited"
  | "no-release";

/** An answer of the API, free of any framework: the Remix routes and the fast path (server.mjs) send it as it is. */
export type ApiAnswer = { status: number; headers: Record<string, string>; body: string | null };

/** The answer as a fetch Response (for the Remix resource routes). */
export function toResponse(answer: ApiAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** An RFC 9457 problem answer; `code` says which problem, `detail` says it for a person. */
export function problemAnswer(status: number, code: ProblemCode, detail: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): ApiAnswer {
  return {
    status,
    headers: { "Content-Type": "application/problem+json; charset=utf-8", "Cache-Control": "no-store", ...headers },
    body: JSON.stringify({ type: "about:blank", title: STATUS_TITLES[status] ?? "Error", status, detail, code, ...extra }),
  };
}

/** The same as a fetch Response. */
export function apiProblem(status: number, code: ProblemCode, detail: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Response {
  return toResponse(problemAnswer(status, code, detail, headers, extra));
}

/** A JSON answer that no cache keeps. */
export function apiJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

type TokenCheck = { ok: true; principal: ApiPrincipal } | { ok: false; answer: ApiAnswer };

/**
 * The token of an `Authorization: Bearer` header value, when it holds `scope` and is within its rate;
 * otherwise the problem answer (401, 429 with Retry-After, 403). Cookies are never looked at.
 */
export async function checkApiToken(authorization: string | null, scope: ApiScope): Promise<TokenCheck> {
  const principal = await authenticateBearer(authorization);
  if (!principal) {
    return {
      ok: false,
      answer: problemAnswer(
        401,
        "unauthenticated",
        authorization ? "The bearer token is not valid (unknown, revoked or malformed)." : "Send an API token: Authorization: Bearer <token>.",
        { "WWW-Authenticate": authorization ? 'Bearer realm="manabi", error="invalid_token"' : 'Bearer realm="manabi"' },
      ),
    };
  }
  const rate = takeRate(principal.id);
  if (!rate.ok) {
    return {
      ok: false,
      answer: problemAnswer(429, "rate-limited", `This token sent too many requests; retry in ${rate.retryAfterSeconds} s.`, {
        "Retry-After": String(rate.retryAfterSeconds),
      }),
    };
  }
  if (!principal.scopes.includes(scope)) {
    return {
      ok: false,
      answer: problemAnswer(403, "insufficient-scope", `This token lacks the scope ${scope}.`, {
        "WWW-Authenticate": `Bearer realm="manabi", error="insufficient_scope", scope="${scope}"`,
      }),
    };
  }
  return { ok: true, principal };
}

/** The problem answer when the header's token may not make this request, null when it may. */
export async function tokenRefusal(authorization: string | null, scope: ApiScope): Promise<ApiAnswer | null> {
  const check = await checkApiToken(authorization, scope);
  return check.ok ? null : check.answer;
}

/** `checkApiToken` for a Remix route: the principal, or a thrown problem Response. */
export async function requireApiToken(request: Request, scope: ApiScope): Promise<ApiPrincipal> {
  const check = await checkApiToken(request.headers.get("Authorization"), scope);
  if (!check.ok) throw toResponse(check.answer);
  return check.principal;
}

/** The people named by email or employee number, by the key as given; unknown keys are absent. */
export async function findPeople(keys: readonly string[]): Promise<Map<string, ApiPerson>> {
  const emails = [...new Set(keys.filter(isEmailKey).map((k) => k.toLowerCase()))];
  const numbers = [...new Set(keys.filter((k) => !isEmailKey(k)))];
  const found = new Map<string, ApiPerson>();
  if (emails.length === 0 && numbers.length === 0) return found;
  const conditions = [];
  if (emails.length) conditions.push(inArray(sql`lower(${users.email})`, emails));
  if (numbers.length) conditions.push(inArray(users.employeeNumber, numbers));
  const rows = await getDb()
    .select({ id: users.id, email: users.email, employeeNumber: users.employeeNumber, active: users.active })
    .from(users)
    .where(or(...conditions));
  const byEmail = new Map(rows.map((r) => [r.email.toLowerCase(), r]));
  const byNumber = new Map(rows.filter((r) => r.employeeNumber !== null).map((r) => [r.employeeNumber!, r]));
  for (const key of keys) {
    const person = isEmailKey(key) ? byEmail.get(key.toLowerCase()) : byNumber.get(key);
    if (person) found.set(key, person);
  }
  return found;
}

export type AccessResult =
  | { kind: "decided"; access: ApiAccess }
  | { kind: "unknown-person" }
  | { kind: "unknown-tool" }
  | { kind: "no-release" };

/**
 * May the person (email or employee number) use the tool now: the API's answer. The person and their
 * certificates come in one query; an unknown person is named before an unknown tool or a missing release.
 */
export async function accessFor(personKey: string, toolId: string, now = new Date()): Promise<AccessResult> {
  const result = await toolDecisionFor({ key: personKey }, toolId, { now, nextSteps: true });
  if (result.kind === "decided") return { kind: "decided", access: await withTool(result.person, result.decision) };
  if (result.kind === "unknown-person") return result;
  return (await findPeople([personKey])).has(personKey) ? result : { kind: "unknown-person" };
}

async function withTool(person: ApiPerson, decision: AccessDecision): Promise<ApiAccess> {
  const tool = (await getCurrentRelease())?.tools.get(decision.tool);
  return accessView(person, { id: decision.tool, name: tool?.name ?? { en: decision.tool, ja: decision.tool } }, decision);
}

export type BatchItem = ApiAccess | { user: string; tool: string; error: { status: 404; code: "unknown-person" | "unknown-tool"; detail: string } };

/** People decided at once (each person's certificates are read once, whatever the number of their pairs). */
const BATCH_CONCURRENCY = 8;

/** The decisions for many pairs, in their order; an unknown person or tool is an error entry in place. */
export async function accessForPairs(pairs: readonly { user: string; tool: string }[], now = new Date()): Promise<BatchItem[] | { kind: "no-release" }> {
  const people = await findPeople(pairs.map((p) => p.user));
  const decisionsByPerson = new Map<string, Map<string, ApiAccess>>();
  let noRelease = false;
  const distinct = [...new Map([...people.values()].map((p) => [p.id, p])).values()];
  for (const group of chunks(distinct, BATCH_CONCURRENCY)) {
    await Promise.all(
      group.map(async (person) => {
        const result = await toolDecisions(person.id, { now, nextSteps: true });
        if (result.kind === "no-release") {
          noRelease = true;
          return;
        }
        if (result.kind !== "decided") return;
        const byTool = new Map<string, ApiAccess>();
        for (const decision of result.decisions) {
          const tool = result.release.tools.get(decision.tool)!;
          byTool.set(decision.tool, accessView(person, { id: tool.id, name: tool.name }, decision));
        }
        decisionsByPerson.set(person.id, byTool);
      }),
    );
  }
  if (noRelease) return { kind: "no-release" };
  return pairs.map((pair) => {
    const person = people.get(pair.user);
    const decided = person ? decisionsByPerson.get(person.id)?.get(pair.tool) : undefined;
    if (decided) return decided;
    const unknownPerson = !person || !decisionsByPerson.has(person.id);
    return {
      user: pair.user,
      tool: pair.tool,
      error: unknownPerson
        ? { status: 404, code: "unknown-person", detail: "No person has this email address or employee number." }
        : { status: 404, code: "unknown-tool", detail: "The current content release has no tool with this id." },
    };
  });
}

export type PersonToolsResult =
  | { kind: "decided"; user: ApiPerson; release: number; tools: Omit<ApiAccess, "user" | "release">[] }
  | { kind: "unknown-person" }
  | { kind: "no-release" };

/** Every tool of the catalog with the person's decision, in catalog order. */
export async function toolsFor(personKey: string, now = new Date()): Promise<PersonToolsResult> {
  const person = (await findPeople([personKey])).get(personKey);
  if (!person) return { kind: "unknown-person" };
  const result = await toolDecisions(person.id, { now, nextSteps: true });
  if (result.kind !== "decided") return result;
  return {
    kind: "decided",
    user: { id: person.id, email: person.email, employeeNumber: person.employeeNumber, active: person.active },
    release: result.release.number,
    tools: result.decisions.map((decision) => {
      const tool = result.release.tools.get(decision.tool)!;
      const { user: _user, release: _release, ...rest } = accessView(person, { id: tool.id, name: tool.name }, decision);
      return rest;
    }),
  };
}

/** The header the gateway names the person in (FORWARD_AUTH_USER_HEADER, default X-Forwarded-Email). */
export function forwardAuthUserHeader(): string {
  return env().FORWARD_AUTH_USER_HEADER;
}
