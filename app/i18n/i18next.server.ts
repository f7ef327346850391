import { createCookie, type Cookie } from "@remix-run/node";
import { getSession } from "~/auth/session.server";
import { env, sessionSecret } from "~/env.server";
import { languageFromAcceptLanguage } from "./accept-language";
import { fallbackLanguage, isLanguage, type Language } from "./config";

const LANGUAGE_COOKIE = "manabi_lang";

// Signed (SESSION_SECRET), so a language cookie planted by another site or subdomain is ignored.
let cookie: Cookie | null = null;
export function languageCookie(): Cookie {
  cookie ??= createCookie(LANGUAGE_COOKIE, {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    maxAge: 60 * 60 * 24 * 365,
    secure: env().secureCookies,
    secrets: [sessionSecret()],
  });
  return cookie;
}

/** Accept-Language headers seen and the language each gives (browsers send a handful of distinct ones). */
const byAcceptLanguage = new Map<string, Language>();
const detectedByRequest = new WeakMap<Request, Promise<Language>>();

/** The language of an Accept-Language header (remembered per header value), else Japanese. */
function headerLanguage(header: string): Language {
  let language = byAcceptLanguage.get(header);
  if (!language) {
    language = languageFromAcceptLanguage(header) ?? fallbackLanguage;
    if (byAcceptLanguage.size >= 500) byAcceptLanguage.clear();
    if (header.length <= 256) byAcceptLanguage.set(header, language);
  }
  return language;
}

/** The language cookie's (signed: set by /language), else Accept-Language's, else Japanese; once per request. */
function detectedLanguage(request: Request): Promise<Language> {
  let detected = detectedByRequest.get(request);
  if (detected) return detected;
  const cookieHeader = request.headers.get("Cookie");
  const fromHeader = () => headerLanguage(request.headers.get("Accept-Language") ?? "");
  detected = cookieHeader?.includes(`${LANGUAGE_COOKIE}=`)
    ? languageCookie()
        .parse(cookieHeader)
        .then((value: unknown) => (isLanguage(value) ? value : fromHeader()), fromHeader)
    : Promise.resolve(fromHeader());
  detectedByRequest.set(request, detected);
  return detected;
}

/** The signed-in person's preference, else the cookie, else Accept-Language, else Japanese. */
export async function detectLanguage(
  request: Request,
  user?: { preferredLanguage: string | null } | null,
): Promise<Language> {
  if (user && isLanguage(user.preferredLanguage)) return user.preferredLanguage;
  return detectedLanguage(request);
}

/** The language of this request's page (same answer the root loader gives). */
export async function requestLanguage(request: Request): Promise<Language> {
  const { user } = await getSession(request);
  return detectLanguage(request, user);
}
