import { createCookie, redirect } from "@remix-run/node";

/** A one-time notice carried by a redirect (Post/Redirect/Get); its text is an i18n key. */
/** Values may be plain, "$t:other.key" (translated when shown) or a person (name formatted when shown). */
export type ToastValue = string | number | { familyName: string; givenName: string };
export type Toast = { key: string; values?: Record<string, ToastValue>; kind?: "success" | "error" | "info" };

const toastCookie = createCookie("manabi_toast", { path: "/", httpOnly: true, sameSite: "lax", maxAge: 60 });

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastCookie.serialize(toast));
  return redirect(url, { ...init, headers });
}

export async function readToast(request: Request): Promise<{ toast: Toast | null; setCookie: string | null }> {
  const value = await toastCookie.parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object" || typeof value.key !== "string") return { toast: null, setCookie: null };
  return { toast: value as Toast, setCookie: await toastCookie.serialize("", { maxAge: 0 }) };
}
