import type { LoaderFunctionArgs } from "@remix-run/node";
import { findPeople, forwardAuthUserHeader, requireApiToken } from "~/access/api.server";
import { personKey, toolId as toolIdSchema } from "~/access/api-input";
import { denialText } from "~/access/api-views";
import { toolDecisionFor } from "~/access/decisions.server";

/**
 * GET /api/v1/forward-auth/<tool id> — the sub-request of a gateway (nginx `auth_request`, Traefik
 * `forwardAuth`, Envoy `ext_authz`) in front of an AI tool. The gateway authenticates with its own
 * token (scope access:read); the person comes from the configured header (FORWARD_AUTH_USER_HEADER,
 * default X-Forwarded-Email), which counts only on a request that carries that token.
 * 204 → let the request through; 403 + a one-line reason → refuse; 401 → the gateway's token is wrong.
 * Unknown person, unknown tool and no release are 403 too: a gateway treats any other status as its error.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireApiToken(request, "access:read");
  const header = forwardAuthUserHeader();
  const tool = toolIdSchema.safeParse(params.toolId);
  if (!tool.success) return deny("not allowed: unknown tool");
  const key = personKey.safeParse(request.headers.get(header) ?? undefined);
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
  return new Response(null, { status: 204, headers });
}

function deny(reason: string): Response {
  return new Response(`${reason}\n`, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
