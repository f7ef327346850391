import { createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { sql } from "drizzle-orm";
import type { ErrorRequestHandler, Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { getDb } from "#db/client.server";
import { fallbackLanguage, type Language } from "~/i18n/config";
import { detectLanguage } from "~/i18n/i18next.server";
import { ERROR_PAGE_CSP, errorPageHtml, problemDetails, type ErrorKey } from "./error-document";
import {
  ALLOW_HEADER,
  MAX_BODY_BYTES,
  checkFormFields,
  checkRequestHead,
  jsonBodyLimit,
  mediaType,
  prefersHtml,
  refusal,
  uploadBodyLimit,
  type Refusal,
} from "./request-rules";
import { preReadBody, readLimitedBody } from "./read-body.server";
import { logUnexpectedError, withRequestIds } from "./unexpected-errors";

/** The API's hot endpoints and the exam autosave, answered before Express and Remix (see the modules). */
export { withApiFastPath } from "~/access/api-fast-path.server";
export { withAutosaveFastPath } from "~/assessment/autosave-fast-path.server";

/**
 * The Express side of Manabi's HTTP handling, used by server.mjs (through the build's entry module):
 * refuses hostile or malformed requests before Remix parses anything, hands Remix a body that was read
 * within the size limit, answers health and readiness probes, and turns anything unexpected into an
 * error page that shows the request id written to the log.
 */

const KEY_OF: Record<Refusal["reason"], ErrorKey> = {
  badRequest: "400",
  crossSite: "crossSite",
  methodNotAllowed: "405",
  tooLarge: "413",
  unsupportedMediaType: "415",
};

/** Past this many bytes an over-size body is not even drained: the connection is closed instead. */
const DRAIN_LIMIT = 16 * MAX_BODY_BYTES;

export { readLimitedBody };

type Locals = { requestId?: string; body?: Uint8Array<ArrayBuffer> };
const locals = (res: ExpressResponse) => res.locals as Locals;

/** The reader's language as the app decides it (language cookie, then Accept-Language, then Japanese). */
export async function languageOf(req: ExpressRequest): Promise<Language> {
  try {
    const headers = new Headers();
    const cookie = req.get("cookie");
    const acceptLanguage = req.get("accept-language");
    if (cookie) headers.set("Cookie", cookie);
    if (acceptLanguage) headers.set("Accept-Language", acceptLanguage);
    return await detectLanguage(new Request("http://manabi.invalid/", { headers }));
  } catch {
    return fallbackLanguage;
  }
}

/** An error answer in the reader's language: a page for browsers, problem+json for other clients. */
export async function sendError(
  req: ExpressRequest,
  res: ExpressResponse,
  status: number,
  key: ErrorKey,
  headers: Record<string, string> = {},
): Promise<void> {
  const language = await languageOf(req);
  const requestId = locals(res).requestId ?? "-";
  if (res.headersSent) return;
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Language", language);
  res.setHeader("Vary", "Accept, Accept-Language, Cookie");
  if (prefersHtml(req.get("accept"))) {
    res.setHeader("Content-Security-Policy", ERROR_PAGE_CSP);
    res.type("text/html; charset=utf-8").send(errorPageHtml({ status, key, language, requestId }));
  } else {
    res.type("application/problem+json; charset=utf-8").send(JSON.stringify(problemDetails({ status, key, language, requestId })));
  }
}

const sendRefusal = (req: ExpressRequest, res: ExpressResponse, r: Refusal, headers: Record<string, string> = {}) =>
  sendError(req, res, r.status, KEY_OF[r.reason], r.status === 405 ? { Allow: ALLOW_HEADER, ...headers } : headers);

/** The parsed fields of a form body, or null when the body is not a readable form. */
async function formEntries(contentType: string, body: Uint8Array<ArrayBuffer>): Promise<Iterable<[string, unknown]> | null> {
  if (mediaType(contentType) === "application/x-www-form-urlencoded") return new URLSearchParams(new TextDecoder().decode(body));
  try {
    // The same parser Remix uses for `request.formData()`, so what passes here parses there.
    return await new Response(body, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return null;
  }
}

/**
 * Refuses, before Remix: methods the app does not serve (405 with Allow; OPTIONS gets the Allow list),
 * NUL bytes in the URL or a form field (400), posts from another site or an opaque origin (403),
 * posts that are not forms (415), bodies over MAX_BODY_BYTES (413) and broken form bodies (400).
 * Accepted form bodies are kept in `res.locals.body` for `createRemixHandler`.
 */
export function refuseHostileRequests({ maxBodyBytes = MAX_BODY_BYTES }: { maxBodyBytes?: number } = {}): RequestHandler {
  return async (req, res, next) => {
    try {
      const decision = checkRequestHead(
        {
          method: req.method,
          url: req.originalUrl,
          origin: req.get("origin"),
          host: req.get("host"),
          forwardedHost: req.get("x-forwarded-host"),
          contentType: req.get("content-type"),
          contentLength: req.get("content-length"),
        },
        maxBodyBytes,
      );
      if (decision === "options") {
        res.setHeader("Allow", ALLOW_HEADER);
        res.status(204).end();
        return;
      }
      if (decision) {
        const hasBody = req.get("content-length") !== undefined || req.get("transfer-encoding") !== undefined;
        const declared = Number(req.get("content-length") ?? 0);
        // An unread body larger than we are willing to drain: answer, then close the connection.
        if (hasBody && !(declared <= DRAIN_LIMIT)) await sendRefusal(req, res, decision, { Connection: "close" });
        else await sendRefusal(req, res, decision);
        return;
      }
      if (req.method !== "POST") return next();

      // An API endpoint that takes JSON (request-rules.ts): its own limit; the route parses the JSON.
      const jsonLimit = jsonBodyLimit(req.method, req.originalUrl);
      const uploadLimit = uploadBodyLimit(req.method, req.originalUrl, req.get("content-type"));
      const limit = jsonLimit ?? uploadLimit ?? maxBodyBytes;
      // A fast path that read the body and then passed the request on hands the body over with it.
      const read = preReadBody(req) ?? (await readLimitedBody(req, limit, Math.max(DRAIN_LIMIT, limit)));
      if (read.kind === "aborted") return;
      if (read.kind === "tooLarge") {
        await sendRefusal(req, res, refusal("tooLarge"), read.drained ? {} : { Connection: "close" });
        return;
      }
      if (jsonLimit !== null) {
        locals(res).body = read.body;
        return next();
      }
      const entries = await formEntries(req.get("content-type") ?? "", read.body);
      const fieldProblem = entries ? checkFormFields(entries) : refusal("badRequest");
      if (fieldProblem) {
        await sendRefusal(req, res, fieldProblem);
        return;
      }
      locals(res).body = read.body;
      next();
    } catch (error) {
      next(error);
    }
  };
}

// The request and response conversions below follow @remix-run/express 2.x (which does not export
// them), except that the body is the one `refuseHostileRequests` already read within the limit.

function remixHeaders(incoming: ExpressRequest["headers"]): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(incoming)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(name, value);
    else headers.set(name, values);
  }
  return headers;
}

async function sendRemixResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** A fetch Request for Remix: same URL, host and abort handling as the Express adapter. */
function remixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const portFromForwarded = Number.parseInt(forwardedPort ?? "", 10);
  const portFromHost = Number.parseInt(hostPort ?? "", 10);
  const port = Number.isSafeInteger(portFromForwarded) ? portFromForwarded : Number.isSafeInteger(portFromHost) ? portFromHost : "";
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const init: RequestInit = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = locals(res).body;
    // Only requests that went through refuseHostileRequests reach here with a body.
    if (!body) throw new Error("The request body was not read by refuseHostileRequests");
    init.body = body;
  }
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

type GetLoadContext = (req: ExpressRequest, res: ExpressResponse) => AppLoadContext | Promise<AppLoadContext>;

/**
 * Serves Remix (in place of @remix-run/express's handler): the body comes from the guard, and every
 * loader and action reports unexpected errors with the request id (see unexpected-errors.ts).
 */
export function createRemixHandler({
  build,
  getLoadContext,
  mode,
}: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  getLoadContext?: GetLoadContext;
  /** "production" or "development" (Remix shows error details only in development). */
  mode: string;
}): RequestHandler {
  const wrapped = typeof build === "function" ? async () => withRequestIds(await build()) : withRequestIds(build);
  const handle = createRequestHandler(wrapped, mode);
  return async (req, res, next) => {
    try {
      const request = remixRequest(req, res);
      const loadContext = await getLoadContext?.(req, res);
      const response = await handle(request, loadContext);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** Anything that reached Express's error handling: logged with the request id, shown with it. */
export const handleUnexpectedErrors: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
  const requestId = locals(res).requestId ?? "-";
  if (status === 500) {
    logUnexpectedError(requestId, { method: req.method, url: req.originalUrl }, error);
  }
  const key: ErrorKey = status === 500 ? "500" : status === 413 ? "413" : status === 404 ? "404" : "400";
  void sendError(req, res, status, key);
};

/** Liveness: the process answers and its database answers a query (within `timeoutMs`). */
export async function checkDatabase(timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const query = getDb()
      .execute(sql`select 1`)
      .then(() => true as const);
    return await Promise.race([query, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const probeHeaders = (res: ExpressResponse) => res.setHeader("Cache-Control", "no-store");

/** GET /healthz: 200 when the database answers, 503 when it does not. Needs no session. */
export const healthz: RequestHandler = async (_req, res) => {
  const database = await checkDatabase();
  probeHeaders(res);
  res.status(database ? 200 : 503).json({ status: database ? "ok" : "unavailable", database: database ? "ok" : "unavailable" });
};

/** GET /readyz: 503 until start-up (migrations, first content release, demo seed) has finished. */
export function readyz(isReady: () => boolean): RequestHandler {
  return (_req, res) => {
    probeHeaders(res);
    const ready = isReady();
    if (!ready) res.setHeader("Retry-After", "5");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "starting" });
  };
}

/** While start-up runs, pages answer 503 "starting" (with Retry-After) instead of half-ready data. */
export function whileStarting(isReady: () => boolean): RequestHandler {
  return (req, res, next) => {
    if (isReady()) return next();
    void sendError(req, res, 503, "starting", { "Retry-After": "5" }).catch(next);
  };
}
