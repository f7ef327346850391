import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { apiSecurityHeaders } from "~/access/api-fast-path.server";
import { readSessionCookie } from "~/auth/session-cookie";
import { handOnBody, readLimitedBody } from "~/http/read-body.server";
import { checkFormFields, checkRequestHead, mediaType } from "~/http/request-rules";
import { AUTOSAVE_HEADERS, autosaveAnswer } from "./exam-autosave.server";

/**
 * The exam's autosave — every candidate saves every few seconds, 500 saves a second on an exam day of
 * 5,000 — answered by the Node HTTP server itself, before Express, compression and Remix: no middleware
 * chain, no fetch Request/Response translation, no route matching, no CSP nonce for a JSON answer that
 * runs no script. The answer comes from the function the Remix route uses (exam-autosave.server.ts), so
 * statuses and bodies are the same, and so are the session and CSRF rules; the security headers are the
 * API's fixed set (a CSP that allows nothing) plus the pages' Permissions-Policy.
 *
 * Taken here only: a POST to exactly `/exams/<attempt id>/answer` (no query string) once start-up has
 * finished, that the request guard would let through on its head (same-site or no Origin, a form type,
 * within the body limit), urlencoded, with a Content-Length of at most MAX_FAST_BODY bytes. Anything
 * else — multipart, a chunked body, a NUL byte in a field, an answer that throws — goes on to Express and
 * Remix as before; a body already read is handed on with the request (read-body.server.ts).
 */

const ANSWER = /^\/exams\/([A-Za-z0-9_-]{22})\/answer$/;
/** An autosave form is well under 1 KB (ten answers of 20 characters at most and a CSRF token). */
export const MAX_FAST_BODY = 8 * 1024;

const PAGES_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function withAutosaveFastPath(options: { isReady: () => boolean; secure: boolean }, next: Handler): Handler {
  const fixed = Object.entries({
    ...apiSecurityHeaders(options.secure),
    "Permissions-Policy": PAGES_PERMISSIONS_POLICY,
    ...AUTOSAVE_HEADERS,
    Vary: "Accept-Encoding",
  });
  return (req, res) => {
    const url = req.url ?? "/";
    if (req.method !== "POST" || !url.startsWith("/exams/") || !options.isReady()) return next(req, res);
    const match = ANSWER.exec(url);
    if (!match) return next(req, res);
    const contentType = header(req, "content-type");
    const contentLength = header(req, "content-length");
    const refused = checkRequestHead({
      method: "POST",
      url,
      origin: header(req, "origin"),
      host: header(req, "host"),
      forwardedHost: header(req, "x-forwarded-host"),
      contentType,
      contentLength,
    });
    const declared = contentLength === undefined || contentLength === "" ? NaN : Number(contentLength);
    if (
      refused ||
      mediaType(contentType) !== "application/x-www-form-urlencoded" ||
      !(declared >= 0 && declared <= MAX_FAST_BODY) ||
      req.headers["transfer-encoding"] !== undefined
    ) {
      return next(req, res);
    }
    const attemptId = match[1]!;
    void readLimitedBody(req, MAX_FAST_BODY, MAX_FAST_BODY).then((read) => {
      if (read.kind === "aborted") return; // as the guard does: the client is gone
      if (read.kind !== "ok") return next(req, res); // cannot happen within a checked Content-Length
      const form = new URLSearchParams(new TextDecoder().decode(read.body));
      const handOn = () => {
        handOnBody(req, read);
        next(req, res);
      };
      if (checkFormFields(form)) return handOn(); // the guard answers 400
      const sessionCookie = readSessionCookie(header(req, "cookie"));
      autosaveAnswer({
        sessionId: sessionCookie.state === "present" ? sessionCookie.id : null,
        attemptId,
        readForm: async () => form,
      }).then(
        (answer) => {
          if (res.headersSent || res.destroyed) return;
          res.statusCode = answer.status;
          for (const [name, value] of fixed) res.setHeader(name, value);
          res.setHeader("X-Request-Id", randomUUID().slice(0, 8));
          res.end(answer.body);
        },
        // The Remix route answers the same request again and its error handling applies (logged, with a request id).
        handOn,
      );
    });
  };
}
