import { randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";

/**
 * Double-submit CSRF protection: a random token in an httpOnly SameSite cookie, echoed by every form
 * in a hidden field. A cross-site page can neither read the cookie nor the token in our pages.
 * The server also refuses cross-origin POSTs by their Origin header (server.mjs).
 */
export const CSRF_FIELD = "csrf";

export const csrfCookie = createCookie("manabi_csrf", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
});

/** The request's token, creating one (with its Set-Cookie header) when it has none. */
export async function ensureCsrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await csrfCookie.parse(request.headers.get("Cookie"));
  if (typeof existing === "string" && existing.length >= 32) return { token: existing, setCookie: null };
  const token = randomBytes(32).toString("base64url");
  return { token, setCookie: await csrfCookie.serialize(token) };
}


/** Throws a 403 unless the form carries the same token as the cookie. */
export async function verifyCsrf(request: Request, formData: FormData): Promise<void> {
  const cookieToken = await csrfCookie.parse(request.headers.get("Cookie"));
  const formToken = formData.get(CSRF_FIELD);
  const ok =
    typeof cookieToken === "string" &&
    typeof formToken === "string" &&
    cookieToken.length === formToken.length &&
    timingSafeEqual(Buffer.from(cookieToken), Buffer.from(formToken));
  if (!ok) {
    throw new Response("CSRF token missing or invalid", { status: 403, statusText: "csrf" });
  }
}

/** Reads a form post and checks its CSRF token: the one way actions read their input. */
export async function readForm(request: Request): Promise<FormData> {
  const formData = await request.formData();
  await verifyCsrf(request, formData);
  return formData;
}
