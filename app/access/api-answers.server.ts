import type { ApiScope } from "#db/schema";
import { accessFor, findPeople, forwardAuthUserHeader, problemAnswer, tokenRefusal, type ApiAnswer } from "./api.server";
import { apiQuerySchema, firstIssue, personKey, toolId as toolIdSchema } from "./api-input";
import { denialText } from "./api-views";
import { toolDecisionFor } from "./decisions.server";

/**
 * The answers of the two endpoints a gateway calls on every request — the single check and forward-auth —
 * from plain inputs (header values, the query, the path's tool id), free of Remix and Express. The Remix
 * resource routes (`api.v1.access.ts`, `api.v1.forward-auth.$toolId.ts`) and the fast path that
 * server.mjs mounts before Remix (`api-fast-path.server.ts`) both answer through these, so both give
 * the same statuses, headers and bodies.
 */

/** GET /api/v1/access?user=…&tool=… */
export async function accessAnswer(authorization: string | null, query: URLSearchParams): Promise<ApiAnswer> {
  const refused = await tokenRefusal(authorization, "access:read" satisfies ApiScope);
  if (refused) return refused;
  const parsed = apiQuerySchema.safeParse(query);
  if (!parsed.success) return problemAnswer(400, "invalid-parameters", firstIssue(parsed.error));
  const result = await accessFor(parsed.data.user, parsed.data.tool);
  switch (result.kind) {
    case "decided":
      return { status: 200, headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" }, body: JSON.stringify(result.access) };
    case "unknown-person":
      return problemAnswer(404, "unknown-person", "No person has this email address or employee number.");
    case "unknown-tool":
      return problemAnswer(404, "unknown-tool", "The current content release has no tool with this id.");
    case "no-release":
      return problemAnswer(503, "no-release", "No content release is published yet: no tool can be decided.");
  }
}

function deny(reason: string): ApiAnswer {
  return { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" }, body: `${reason}\n` };
}

/**
 * GET /api/v1/forward-auth/<tool id>: 204 to let the gateway's request through, 403 with a one-line
 * reason to refuse, 401 when the gateway's own token is wrong. `person` is the value of the configured
 * header (FORWARD_AUTH_USER_HEADER), which counts only on a request carrying a valid token.
 */
export async function forwardAuthAnswer(authorization: string | null, rawToolId: string | undefined, person: string | null): Promise<ApiAnswer> {
  const refused = await tokenRefusal(authorization, "access:read");
  if (refused) return refused;
  const header = forwardAuthUserHeader();
  const tool = toolIdSchema.safeParse(rawToolId);
  if (!tool.success) return deny("not allowed: unknown tool");
  const key = personKey.safeParse(person ?? undefined);
  if (!key.success) return deny(`not allowed: no person in the ${header} header`);
  // The person and their certificates in one query; an unknown person is named before an unknown tool.
  const result = await toolDecisionFor({ key: key.data }, tool.data);
  if (result.kind === "unknown-person" || (result.kind !== "decided" && !(await findPeople([key.data])).has(key.data))) {
    return deny("not allowed: unknown person");
  }
  if (result.kind === "unknown-tool") return deny("not allowed: unknown tool");
  if (result.kind !== "decided") return deny("not allowed: no content release published");
  if (!result.decision.allowed) return deny(denialText(result.decision, result.person.active));
  const headers: Record<string, string> = { "Cache-Control": "no-store", "X-Manabi-Release": String(result.decision.release) };
  if (result.decision.validUntil) headers["X-Manabi-Valid-Until"] = result.decision.validUntil;
  return { status: 204, headers, body: null };
}
