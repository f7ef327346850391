import { redirect } from "@remix-run/node";
import { and, count, eq, ne } from "drizzle-orm";
import type { Session, User } from "lucia";
import { getDb } from "#db/client.server";
import { sessions } from "#db/schema";
import { env } from "~/env.server";
import { clearPresessionCookie } from "./csrf.server";
import { endedSessions, liveSessions, lucia, validateSessionWith, type SessionExtras } from "./lucia.server";
import { can, permissionsOf, rolesOf, type Permission } from "./permissions";
import { blankSessionCookie, readSessionCookie, serializeSessionCookie, SESSION_COOKIE } from "./session-cookie";

export type SessionUser = User;
type SessionResult = { user: User; session: Session } | { user: null; session: null };

/**
 * Something a loader wants read together with the session, in the same statement: `column` is SQL over
 * the session's `users` row (the same SQL on every call, without parameters of its own: the statement
 * is prepared once per set of rider names), `parse` turns its value into T, `fallback` reads it by
 * itself (when the session's statement had already been sent).
 */
export type SessionRider<T> = {
  name: string;
  column: () => SessionExtras[string];
  parse: (value: unknown) => T;
  fallback: (userId: string) => Promise<T>;
};

type Pending = {
  /** Riders still to be added; null once the statement is sent. */
  riders: Map<string, SessionRider<unknown>> | null;
  done: Promise<{ result: SessionResult; extras: Record<string, unknown> }>;
};

const cache = new WeakMap<Request, Pending>();
const signedOut: SessionResult = { user: null, session: null };
const signedOutPending: Pending["done"] = Promise.resolve({ result: signedOut, extras: {} });

/**
 * The request's session statement. It is sent on the next turn of the event loop, not at once: Remix
 * starts every loader of a page in the same turn, so a loader below the root can still add a rider
 * (the lesson page adds the learner's progress) and the page costs one round trip.
 */
function pendingSession(request: Request): Pending {
  let pending = cache.get(request);
  if (pending) return pending;
  const sessionId = currentSessionId(request);
  if (!sessionId) {
    pending = { riders: null, done: signedOutPending };
  } else {
    const riders = new Map<string, SessionRider<unknown>>();
    const entry: Pending = { riders, done: null as unknown as Pending["done"] };
    entry.done = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      entry.riders = null;
      const extras: SessionExtras = {};
      for (const [name, rider] of riders) extras[name] = rider.column();
      const { result, extras: values } = await validateSessionWith(sessionId, extras);
      return { result: result.user && result.user.active ? (result as SessionResult) : signedOut, extras: values };
    });
    pending = entry;
  }
  cache.set(request, pending);
  return pending;
}

/** The id in the request's session cookie, if it holds one in the format we issue. */
export function currentSessionId(request: Request): string | null {
  const cookie = readSessionCookie(request.headers.get("Cookie"));
  return cookie.state === "present" ? cookie.id : null;
}

/** The signed-in person, or null. One database query per request, however many loaders ask. */
export async function getSession(request: Request): Promise<SessionResult> {
  return (await pendingSession(request).done).result;
}

/**
 * The signed-in person with the rider's value for them, read in the session's statement when asked for
 * in the same turn as the page's other loaders (else by the rider's own query). The value is null when
 * nobody is signed in.
 */
export async function getSessionWith<T>(request: Request, rider: SessionRider<T>): Promise<SessionResult & { value: T | null }> {
  const pending = pendingSession(request);
  pending.riders?.set(rider.name, rider as SessionRider<unknown>);
  const { result, extras } = await pending.done;
  if (!result.user) return { ...result, value: null };
  const value = rider.name in extras ? rider.parse(extras[rider.name]) : await rider.fallback(result.user.id);
  return { ...result, value };
}

/**
 * A Set-Cookie header removing a session cookie we could never have issued (e.g. `%FF`), so that a
 * damaged cookie does not follow the person around; the page itself renders as signed out.
 */
export function sessionCookieRepair(request: Request): string | null {
  return readSessionCookie(request.headers.get("Cookie")).state === "malformed" ? blankSessionCookie(env().secureCookies) : null;
}

/**
 * The active person a session id belongs to, or null: the check getOptionalUser makes (lucia's idle and
 * absolute expiry, the sliding renewal), for a handler that read the cookie itself (readSessionCookie).
 */
export async function userOfSession(sessionId: string | null): Promise<User | null> {
  if (!sessionId) return null;
  const { result } = await validateSessionWith(sessionId, {});
  return result.user && result.user.active ? result.user : null;
}

export async function getOptionalUser(request: Request): Promise<User | null> {
  return (await getSession(request)).user;
}

/** Where to come back to after signing in: the path and query of this request, for GETs. */
function returnPath(request: Request): string {
  const url = new URL(request.url);
  // Single-fetch data requests end in .data; send the person back to the page itself.
  const pathname = url.pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/") || "/";
  url.searchParams.delete("_data");
  url.searchParams.delete("_routes");
  const search = url.searchParams.toString();
  return pathname + (search ? `?${search}` : "");
}

export async function requireUser(request: Request): Promise<User> {
  const { user } = await getSession(request);
  if (!user) throw signInAgain(request);
  return user;
}

/** The redirect to the sign-in page for a request without a (live) session. */
function signInAgain(request: Request): Response {
  const params = new URLSearchParams();
  const cookie = readSessionCookie(request.headers.get("Cookie"));
  const hadSession = cookie.state === "present";
  // After signing in again the person comes back to the page (for a post, the page that posted:
  // page actions live at their page's URL), e.g. the lesson whose knowledge check they were answering.
  params.set("redirectTo", returnPath(request));
  if (hadSession) params.set("expired", "1");
  const headers = new Headers();
  if (cookie.state !== "absent") headers.append("Set-Cookie", blankSessionCookie(env().secureCookies));
  const query = params.toString();
  return redirect(`/login${query ? `?${query}` : ""}`, { headers });
}

/** Throws a 403 response (rendered by the error boundary) unless the person holds the permission. */
export async function requirePermission(request: Request, permission: Permission): Promise<User> {
  const user = await requireUser(request);
  if (!can(user, permission)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** requirePermission, with the rider's value for the person read in the session's statement. */
export async function requirePermissionWith<T>(request: Request, permission: Permission, rider: SessionRider<T>): Promise<{ user: User; value: T }> {
  const { user, value } = await getSessionWith(request, rider);
  if (!user) throw signInAgain(request);
  if (!can(user, permission)) throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  return { user, value: value as T };
}

export async function requireAnonymous(request: Request): Promise<void> {
  const user = await getOptionalUser(request);
  if (user) throw redirect("/");
}

async function newSessionCookie(userId: string): Promise<{ id: string; cookie: string }> {
  const session = await lucia().createSession(userId, {});
  return { id: session.id, cookie: serializeSessionCookie(session.id, env().secureCookies) };
}

/**
 * Signs a person in: always a new session id (any session the browser brought is ended first), and
 * the pre-session CSRF cookie is dropped, so the form token changes too. Returns Set-Cookie values.
 */
export async function startSession(request: Request, userId: string): Promise<string[]> {
  const previous = currentSessionId(request);
  if (previous) await lucia().invalidateSession(previous);
  const { cookie } = await newSessionCookie(userId);
  return [cookie, await clearPresessionCookie()];
}

/** Signs out this browser. Returns the Set-Cookie value that removes the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const sessionId = currentSessionId(request);
  if (sessionId) await lucia().invalidateSession(sessionId);
  return blankSessionCookie(env().secureCookies);
}

/** Ends every other session of the person (other browsers and devices); returns how many ended. */
export async function signOutOtherSessions(userId: string, keepSessionId: string | null): Promise<number> {
  const where = keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId);
  const ended = await getDb().delete(sessions).where(where).returning({ id: sessions.id });
  return ended.length;
}

/**
 * After a password change: every session of the person ends, this browser included, and this
 * browser continues in a new session. Returns the Set-Cookie value for it.
 */
export async function renewAllSessions(userId: string): Promise<string> {
  const { id, cookie } = await newSessionCookie(userId);
  await signOutOtherSessions(userId, id);
  return cookie;
}

/** How many sessions of the person are alive besides this one. */
export async function countOtherSessions(userId: string, currentId: string | null, now = new Date()): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), liveSessions(now, env().sessionMaxAgeMs), currentId ? ne(sessions.id, currentId) : undefined));
  return Number(row?.n ?? 0);
}

/** Deletes sessions that have ended (idle or past the absolute lifetime); returns how many. */
export async function purgeEndedSessions(now = new Date()): Promise<number> {
  const ended = await getDb().delete(sessions).where(endedSessions(now, env().sessionMaxAgeMs)).returning({ id: sessions.id });
  return ended.length;
}

/** The configured lifetimes, in the units the account page states them. */
export function sessionLifetimes(): { hours: number; days: number } {
  const { SESSION_IDLE_HOURS, SESSION_MAX_AGE_DAYS } = env();
  return { hours: SESSION_IDLE_HOURS, days: SESSION_MAX_AGE_DAYS };
}

/** What the layout needs to know about the viewer. */
export function viewerOf(user: User) {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    familyName: user.familyName,
    givenName: user.givenName,
    familyNameKana: user.familyNameKana,
    givenNameKana: user.givenNameKana,
    familyNameLatin: user.familyNameLatin,
    givenNameLatin: user.givenNameLatin,
    roles: rolesOf(user),
    permissions: [...permissionsOf(user)],
  };
}
export type Viewer = ReturnType<typeof viewerOf>;

export { SESSION_COOKIE };
