/**
 * What the server refuses before Remix sees a request, and with which status. Pure rules: the Express
 * middleware (request-guards.server.ts) feeds them the request's method, URL, headers and form fields.
 *
 * Every page action reads a form (`readForm`), so a request that is not a same-site form post of a
 * sensible size is refused here with a clear 4xx instead of failing inside an action with a 500.
 */

/** The largest request body accepted (forms; an upload route would need its own, larger limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Methods the app answers; page actions are POSTs (Remix forms and fetchers send nothing else). */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;
export const ALLOW_HEADER = ALLOWED_METHODS.join(", ");

/** The encodings of HTML forms (Remix's `<Form>` and `fetcher.submit` use the same two). */
export const FORM_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

/**
 * The API endpoints that take a JSON body (and only JSON), each with its own size limit. Everything
 * else that is posted must be a form. The path is matched exactly (query string aside).
 */
export const JSON_BODY_ROUTES: Readonly<Record<string, number>> = {
  // 1,000 pairs of an email and a tool id fit in well under 256 KB.
  "/api/v1/access/batch": 256 * 1024,
};

/** The body limit of a POST that must carry JSON, or null when the target takes forms. */
export function jsonBodyLimit(method: string, url: string): number | null {
  if (method.toUpperCase() !== "POST") return null;
  const path = url.split("?")[0]!;
  return Object.hasOwn(JSON_BODY_ROUTES, path) ? JSON_BODY_ROUTES[path]! : null;
}

/**
 * Pages that take a file upload (multipart/form-data only), each with its own size limit. Other form
 * posts to them, like every other page, keep MAX_BODY_BYTES. The path is matched exactly.
 */
export const UPLOAD_BODY_ROUTES: Readonly<Record<string, number>> = {
  // The HR organisation import: a 50,000-person CSV is about 5 MB.
  "/hr/import": 20 * 1024 * 1024,
};

/** The body limit of a multipart upload to a page that takes files, or null. */
export function uploadBodyLimit(method: string, url: string, contentType: string | null | undefined): number | null {
  if (method.toUpperCase() !== "POST" || mediaType(contentType) !== "multipart/form-data") return null;
  const path = url.split("?")[0]!;
  return Object.hasOwn(UPLOAD_BODY_ROUTES, path) ? UPLOAD_BODY_ROUTES[path]! : null;
}

export type RefusalReason =
  | "methodNotAllowed"
  | "crossSite"
  | "badRequest"
  | "unsupportedMediaType"
  | "tooLarge";

export type Refusal = { status: 400 | 403 | 405 | 413 | 415; reason: RefusalReason };

const refusals: Record<RefusalReason, Refusal> = {
  badRequest: { status: 400, reason: "badRequest" },
  crossSite: { status: 403, reason: "crossSite" },
  methodNotAllowed: { status: 405, reason: "methodNotAllowed" },
  tooLarge: { status: 413, reason: "tooLarge" },
  unsupportedMediaType: { status: 415, reason: "unsupportedMediaType" },
};

export const refusal = (reason: RefusalReason): Refusal => refusals[reason];

export type RequestHead = {
  method: string;
  /** The request target as sent (path and query, still percent-encoded). */
  url: string;
  origin?: string | null;
  host?: string | null;
  forwardedHost?: string | null;
  contentType?: string | null;
  contentLength?: string | null;
};

/** The media type of a Content-Type header, lower-cased, without parameters ("" when absent). */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isFormContentType(contentType: string | null | undefined): boolean {
  return (FORM_CONTENT_TYPES as readonly string[]).includes(mediaType(contentType));
}

/** True when the request target carries a NUL byte (PostgreSQL cannot store one in text). */
export function hasNulInTarget(url: string): boolean {
  return /%00/i.test(url) || url.includes("\u0000");
}

/**
 * The host a same-site form was sent to, the way Remix compares it with `Origin` (X-Forwarded-Host
 * first, as set by the proxy in front of the app, then Host).
 */
function expectedHost(head: RequestHead): string | null {
  const forwarded = head.forwardedHost?.split(",")[0]?.trim();
  return forwarded || head.host || null;
}

/** A cross-site form post: an Origin that is not ours, opaque ("null") or unreadable. */
export function isCrossSite(head: RequestHead): boolean {
  const origin = head.origin;
  if (origin === undefined || origin === null) return false; // old browsers and non-browser clients; the CSRF token decides
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, privacy redirects) and garbage
  }
  return !originHost || originHost !== expectedHost(head);
}

/**
 * Decides from the request line and headers alone. `"options"` means: answer OPTIONS with the
 * allowed methods. Bodies are checked afterwards (size while reading, fields once parsed).
 */
export function checkRequestHead(head: RequestHead, maxBodyBytes = MAX_BODY_BYTES): Refusal | "options" | null {
  const method = head.method.toUpperCase();
  if (hasNulInTarget(head.url)) return refusal("badRequest");
  if (method === "OPTIONS") return "options";
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) return refusal("methodNotAllowed");
  if (method === "GET" || method === "HEAD") return null;
  // A POST: a form from one of our own pages, or JSON to an API endpoint that documents it.
  if (isCrossSite(head)) return refusal("crossSite");
  const jsonLimit = jsonBodyLimit(method, head.url);
  if (jsonLimit !== null ? mediaType(head.contentType) !== "application/json" : !isFormContentType(head.contentType)) {
    return refusal("unsupportedMediaType");
  }
  const declared = head.contentLength == null || head.contentLength === "" ? null : Number(head.contentLength);
  const limit = jsonLimit ?? uploadBodyLimit(method, head.url, head.contentType) ?? maxBodyBytes;
  if (declared !== null && !(declared <= limit)) return refusal("tooLarge");
  return null;
}

/** Form fields as read from a parsed body: refuses NUL bytes in any name or text value. */
export function checkFormFields(entries: Iterable<[string, unknown]>): Refusal | null {
  for (const [name, value] of entries) {
    if (name.includes("\u0000")) return refusal("badRequest");
    if (typeof value === "string" && value.includes("\u0000")) return refusal("badRequest");
  }
  return null;
}

/** Whether an error should be a page (a browser navigating) rather than problem+json. */
export function prefersHtml(accept: string | null | undefined): boolean {
  const value = (accept ?? "").toLowerCase();
  return value.includes("text/html") || value.includes("application/xhtml+xml");
}
