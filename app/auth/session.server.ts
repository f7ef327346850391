import { redirect } from "@remix-run/node";
import type { Session, User } from "lucia";
import { can, permissionsOf, rolesOf, type Permission } from "./permissions";
import { lucia, SESSION_COOKIE } from "./lucia.server";

export type SessionUser = User;
type SessionResult = { user: User; session: Session } | { user: null; session: null };

const cache = new WeakMap<Request, Promise<SessionResult>>();

function readSessionId(request: Request): string | null {
  return lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
}

/** The signed-in person, or null. One database query per request, however many loaders ask. */
export function getSession(request: Request): Promise<SessionResult> {
  let pending = cache.get(request);
  if (!pending) {
    const sessionId = readSessionId(request);
    pending = sessionId
      ? lucia.validateSession(sessionId).then((r) =>
          r.user && r.user.active ? r : { user: null, session: null },
        )
      : Promise.resolve({ user: null, session: null });
    cache.set(request, pending);
  }
  return pending;
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
  if (!user) {
    const params = new URLSearchParams();
    const hadSession = Boolean(readSessionId(request));
    // After signing in again the person comes back to the page (for a post, the page that posted:
    // page actions live at their page's URL), e.g. the lesson whose knowledge check they were answering.
    params.set("redirectTo", returnPath(request));
    if (hadSession) params.set("expired", "1");
    const headers = new Headers();
    if (hadSession) headers.append("Set-Cookie", lucia.createBlankSessionCookie().serialize());
    const query = params.toString();
    throw redirect(`/login${query ? `?${query}` : ""}`, { headers });
  }
  return user;
}

/** Throws a 403 response (rendered by the error boundary) unless the person holds the permission. */
export async function requirePermission(request: Request, permission: Permission): Promise<User> {
  const user = await requireUser(request);
  if (!can(user, permission)) {
    throw new Response("Forbidden", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export async function requireAnonymous(request: Request): Promise<void> {
  const user = await getOptionalUser(request);
  if (user) throw redirect("/");
}

export async function createSessionCookie(userId: string): Promise<string> {
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export async function destroySession(request: Request): Promise<string> {
  const sessionId = readSessionId(request);
  if (sessionId) await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

export async function destroyOtherSessions(userId: string, keepSessionId: string | null): Promise<void> {
  const sessions = await lucia.getUserSessions(userId);
  await Promise.all(sessions.filter((s) => s.id !== keepSessionId).map((s) => lucia.invalidateSession(s.id)));
}

export function currentSessionId(request: Request): string | null {
  return readSessionId(request);
}

/** What the layout needs to know about the viewer. */
export function viewerOf(user: User) {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    familyName: user.familyName,
    givenName: user.givenName,
    roles: rolesOf(user),
    permissions: [...permissionsOf(user)],
  };
}
export type Viewer = ReturnType<typeof viewerOf>;

export { SESSION_COOKIE };
