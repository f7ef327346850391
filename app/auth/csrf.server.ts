import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie, type Cookie } from "@remix-run/node";
import { env, sessionSecret } from "~/env.server";
import { readSessionCookie } from "./session-cookie";

/**
 * CSRF tokens are an HMAC (keyed by SESSION_SECRET) of what the browser is bound to: its session id
 * once signed in, before that a random pre-session id kept in a signed cookie. Every form echoes the
 * token in a hidden field and `readForm()` recomputes it. A page on another site cannot read the
 * token; a sibling subdomain that can plant cookies cannot forge one for the victim's session, since
 * it knows neither the session id nor the secret (the old double-submit token only had to equal a
 * cookie, which such a page could set). Signing in starts a new session and drops the pre-session
 * cookie, so the token changes then too. The server also refuses cross-origin POSTs (server.mjs).
 */
export const CSRF_FIELD = "csrf";
const PRESESSION_COOKIE = "manabi_csrf";

let cookie: Cookie | null = null;
function presessionCookie(): Cookie {
  cookie ??= createCookie(PRESESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: env().secureCookies,
    secrets: [sessionSecret()],
  });
  return cookie;
}

/** The token for a binding ("s:<session id>" or "p:<pre-session id>"). */
function tokenFor(binding: string): string {
  return createHmac("sha256", sessionSecret()).update(`manabi-csrf\0${binding}`).digest("base64url");
}

/** What this request's token must be bound to, if anything. */
async function bindingOf(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  const session = readSessionCookie(header);
  if (session.state === "present") return `s:${session.id}`;
  const presession = await presessionCookie().parse(header);
  return typeof presession === "string" && presession.length >= 32 ? `p:${presession}` : null;
}

/** The request's token, creating a pre-session (with its Set-Cookie header) when it has no binding. */
export async function ensureCsrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const binding = await bindingOf(request);
  if (binding) return { token: tokenFor(binding), setCookie: null };
  const presession = randomBytes(32).toString("base64url");
  return { token: tokenFor(`p:${presession}`), setCookie: await presessionCookie().serialize(presession) };
}

/** Removes the pre-session cookie (at sign-in). */
export async function clearPresessionCookie(): Promise<string> {
  return presessionCookie().serialize("", { maxAge: 0 });
}

/** Whether a form's token is the one for this binding (compared in constant time). */
function tokenMatches(binding: string | null, formToken: unknown): boolean {
  const expected = binding ? Buffer.from(tokenFor(binding)) : null;
  const given = typeof formToken === "string" ? Buffer.from(formToken) : null;
  return expected !== null && given !== null && expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Whether a form's token is the one bound to this session id: what `readForm` checks for a request
 * whose session cookie holds it (for handlers that read the cookie and the form themselves).
 */
export function sessionCsrfTokenMatches(sessionId: string, formToken: unknown): boolean {
  return tokenMatches(`s:${sessionId}`, formToken);
}

/** Throws a 403 unless the form carries the token bound to this browser's session or pre-session. */
export async function verifyCsrf(request: Request, formData: FormData): Promise<void> {
  const binding = await bindingOf(request);
  if (!tokenMatches(binding, formData.get(CSRF_FIELD))) {
    throw new Response("CSRF token missing or invalid", { status: 403, statusText: "csrf" });
  }
}

/** Reads a form post and checks its CSRF token: the one way actions read their input. */
export async function readForm(request: Request): Promise<FormData> {
  const formData = await request.formData();
  await verifyCsrf(request, formData);
  return formData;
}
