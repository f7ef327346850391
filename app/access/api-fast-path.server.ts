import type { RequestHandler } from "express";
import { accessAnswer, forwardAuthAnswer } from "./api-answers.server";
import { forwardAuthUserHeader, type ApiAnswer } from "./api.server";

/**
 * The two endpoints a gateway calls on every request of its users — GET /api/v1/access and
 * GET /api/v1/forward-auth/<tool id> — answered straight from Express, before compression and Remix:
 * no fetch Request/Response translation, no route matching, no compression of a few hundred bytes of
 * JSON. The answers come from the same functions the Remix routes use (api-answers.server.ts), so the
 * statuses, headers and bodies are the same; server.mjs mounts this after the security headers, the
 * request id and the hostile-request guard. Any other request, a HEAD, or a request before start-up
 * finished goes on to Remix as before.
 */

const ACCESS = "/api/v1/access";
const FORWARD_AUTH = /^\/api\/v1\/forward-auth\/([^/]+)$/;

export function apiFastPath(isReady: () => boolean): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== "GET" || !isReady()) return next();
    const url = req.originalUrl;
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    let answer: ApiAnswer;
    try {
      if (pathname === ACCESS) {
        answer = await accessAnswer(req.headers.authorization ?? null, new URLSearchParams(q === -1 ? "" : url.slice(q + 1)));
      } else {
        const match = FORWARD_AUTH.exec(pathname);
        if (!match) return next();
        let toolId: string;
        try {
          toolId = decodeURIComponent(match[1]!);
        } catch {
          return next();
        }
        answer = await forwardAuthAnswer(req.headers.authorization ?? null, toolId, req.get(forwardAuthUserHeader()) ?? null);
      }
    } catch (error) {
      return next(error);
    }
    if (res.headersSent || res.destroyed) return;
    res.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.end(answer.body ?? undefined);
  };
}
