import type { LoaderFunctionArgs } from "@remix-run/node";
import { forwardAuthAnswer } from "~/access/api-answers.server";
import { forwardAuthUserHeader, toResponse } from "~/access/api.server";

/**
 * GET /api/v1/forward-auth/<tool id> — the sub-request of a gateway (nginx `auth_request`, Traefik
 * `forwardAuth`, Envoy `ext_authz`) in front of an AI tool. The gateway authenticates with its own
 * token (scope access:read); the person comes from the configured header (FORWARD_AUTH_USER_HEADER,
 * default X-Forwarded-Email), which counts only on a request that carries that token.
 * 204 → let the request through; 403 + a one-line reason → refuse; 401 → the gateway's token is wrong.
 * Unknown person, unknown tool and no release are 403 too: a gateway treats any other status as its error.
 * In production server.mjs answers this path before Remix (app/access/api-fast-path.server.ts) with the
 * same function.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const answer = await forwardAuthAnswer(request.headers.get("Authorization"), params.toolId, request.headers.get(forwardAuthUserHeader()));
  return toResponse(answer);
}
