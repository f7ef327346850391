import { createCookie, type Cookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { getSession } from "~/auth/session.server";
import { env, sessionSecret } from "~/env.server";
import { fallbackLanguage, i18nConfig, isLanguage, supportedLanguages, type Language } from "./config";

// Signed (SESSION_SECRET), so a language cookie planted by another site or subdomain is ignored.
let cookie: Cookie | null = null;
export function languageCookie(): Cookie {
  cookie ??= createCookie("manabi_lang", {
    path: "/",
    sameSite: "lax",
    httpOnly: true,
    maxAge: 60 * 60 * 24 * 365,
    secure: env().secureCookies,
    secrets: [sessionSecret()],
  });
  return cookie;
}

let detector: RemixI18Next | null = null;
function languageDetector(): RemixI18Next {
  detector ??= new RemixI18Next({
    detection: {
      supportedLanguages: [...supportedLanguages],
      fallbackLanguage,
      cookie: languageCookie(),
      order: ["cookie", "header"],
    },
    i18next: i18nConfig,
  });
  return detector;
}

/** The signed-in person's preference, else the cookie, else Accept-Language, else Japanese. */
export async function detectLanguage(
  request: Request,
  user?: { preferredLanguage: string | null } | null,
): Promise<Language> {
  if (user && isLanguage(user.preferredLanguage)) return user.preferredLanguage;
  const detected = await languageDetector().getLocale(request);
  return isLanguage(detected) ? detected : fallbackLanguage;
}


/** The language of this request's page (same answer the root loader gives). */
export async function requestLanguage(request: Request): Promise<Language> {
  const { user } = await getSession(request);
  return detectLanguage(request, user);
}
