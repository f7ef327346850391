import { createCookie, redirect, type Cookie } from "@remix-run/node";
import { env, sessionSecret } from "~/env.server";

/** A one-time notice carried by a redirect (Post/Redirect/Get); its text is an i18n key. */
/** Values may be plain, "$t:other.key" (translated when shown) or a person (name formatted when shown). */
export type ToastValue = string | number | { familyName: string; givenName: string };
export type Toast = { key: string; values?: Record<string, ToastValue>; kind?: "success" | "error" | "info" };

// Signed (SESSION_SECRET), so a cookie planted by another site or subdomain is ignored, not shown.
let cookie: Cookie | null = null;
function toastCookie(): Cookie {
  cookie ??= createCookie("manabi_toast", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    maxAge: 60,
    secure: env().secureCookies,
    secrets: [sessionSecret()],
  });
  return cookie;
}

/** The Set-Cookie value carrying a toast (for responses that set other headers too). */
export function toastSetCookie(toast: Toast): Promise<string> {
  return toastCookie().serialize(toast);
}

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastSetCookie(toast));
  return redirect(url, { ...init, headers });
}

export async function readToast(request: Request): Promise<{ toast: Toast | null; setCookie: string | null }> {
  const header = request.headers.get("Cookie");
  if (!header?.includes("manabi_toast=")) return { toast: null, setCookie: null };
  const value = await toastCookie().parse(header);
  // Whatever was there (a toast, a forged or stale value) is shown at most once.
  const setCookie = await toastCookie().serialize("", { maxAge: 0 });
  if (!value || typeof value !== "object" || typeof value.key !== "string") return { toast: null, setCookie };
  return { toast: value as Toast, setCookie };
}
