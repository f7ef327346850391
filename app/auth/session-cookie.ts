/**
 * The session cookie, read and written by hand (pure: no framework, no environment). lucia's own
 * cookie helpers throw on a malformed header (`manabi_session=%FF` made every page fail) and give a
 * "browser session" cookie a 400-day Max-Age; ours tolerate any header and send no Max-Age, so the
 * cookie ends when the browser closes, and the server ends the session itself (idle and absolute).
 */
export const SESSION_COOKIE = "manabi_session";

/** lucia's session ids: 25 random bytes in lower-case base32 without padding. */
export const SESSION_ID_PATTERN = /^[a-z2-7]{40}$/;

/** The raw value of the first cookie called `name` in a Cookie header, never throwing. */
export function readCookieValue(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

export type SessionCookie =
  | { state: "absent" }
  | { state: "malformed" }
  | { state: "present"; id: string };

/** What the request's session cookie holds: nothing, something we never issue, or a session id. */
export function readSessionCookie(header: string | null | undefined): SessionCookie {
  const value = readCookieValue(header, SESSION_COOKIE);
  if (value === null || value === "") return { state: "absent" };
  return SESSION_ID_PATTERN.test(value) ? { state: "present", id: value } : { state: "malformed" };
}

function attributes(secure: boolean): string {
  return `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** The cookie holding a session id: no Max-Age or Expires, so it ends with the browser. */
export function serializeSessionCookie(id: string, secure: boolean): string {
  if (!SESSION_ID_PATTERN.test(id)) throw new Error("not a session id");
  return `${SESSION_COOKIE}=${id}; ${attributes(secure)}`;
}

/** Removes the session cookie from the browser. */
export function blankSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Max-Age=0; ${attributes(secure)}`;
}
