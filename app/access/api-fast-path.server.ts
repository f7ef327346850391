import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hasNulInTarget } from "~/http/request-rules";
import { accessAnswer, forwardAuthAnswer } from "./api-answers.server";
import { forwardAuthUserHeader, type ApiAnswer } from "./api.server";

/**
 * The two endpoints a gateway calls on every request of its users — GET /api/v1/access and
 * GET /api/v1/forward-auth/<tool id> — answered by the Node HTTP server itself, before Express,
 * compression and Remix: no middleware chain, no fetch Request/Response translation, no route matching,
 * no CSP nonce for a JSON answer that runs no script. The answers come from the same functions the Remix
 * routes use (api-answers.server.ts), so the statuses and bodies are the same; the security headers are
 * the API's fixed set (`API_SECURITY_HEADERS`). Anything else — another method, a target with a NUL byte,
 * a request before start-up finished, an answer that throws — goes on to Express and Remix as before.
 */

const ACCESS = "/api/v1/access";
const FORWARD_AUTH = /^\/api\/v1\/forward-auth\/([^/?]+)(?:\?|$)/;

/** A JSON or plain-text API answer loads nothing and may be framed by nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function apiSecurityHeaders(secure: boolean): Record<string, string> {
  return {
    "Content-Security-Policy": API_CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(secure ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wraps the server's handler (Express): the two hot endpoints are answered here, the rest by `next`.
 * `userHeader` is read once: FORWARD_AUTH_USER_HEADER does not change while the process runs.
 */
export function withApiFastPath(options: { isReady: () => boolean; secure: boolean }, next: Handler): Handler {
  const fixed = Object.entries(apiSecurityHeaders(options.secure));
  const userHeader = forwardAuthUserHeader().toLowerCase();
  return (req, res) => {
    const url = req.url ?? "/";
    if (req.method !== "GET" || !url.startsWith("/api/v1/") || !options.isReady() || hasNulInTarget(url)) return next(req, res);
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    let pending: Promise<ApiAnswer>;
    if (pathname === ACCESS) {
      pending = accessAnswer(req.headers.authorization ?? null, new URLSearchParams(q === -1 ? "" : url.slice(q + 1)));
    } else {
      const match = FORWARD_AUTH.exec(url);
      if (!match) return next(req, res);
      let toolId: string;
      try {
        toolId = decodeURIComponent(match[1]!);
      } catch {
        return next(req, res);
      }
      const person = req.headers[userHeader];
      pending = forwardAuthAnswer(req.headers.authorization ?? null, toolId, typeof person === "string" ? person : (person?.[0] ?? null));
    }
    pending.then(
      (answer) => {
        if (res.headersSent || res.destroyed) return;
        res.statusCode = answer.status;
        for (const [name, value] of fixed) res.setHeader(name, value);
        res.setHeader("X-Request-Id", randomUUID().slice(0, 8));
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
        res.end(answer.body ?? undefined);
      },
      // The Remix route answers the same request again and its error handling applies (logged, with a request id).
      () => next(req, res),
    );
  };
}
