import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { getSession, sessionCookieRepair, viewerOf } from "~/auth/session.server";
import { ensureCsrfToken } from "~/auth/csrf.server";
import { detectLanguage } from "~/i18n/i18next.server";
import { languagesOfPage, LOCALE_URLS, switchLanguage } from "~/i18n/client-locale";
import { fallbackLanguage } from "~/i18n/settings";
import { pageTitle } from "~/i18n/meta";
import { demoAccountsPresent } from "~/org/demo-data.server";
import { AppShell } from "~/ui/app-shell";
import { ErrorPage } from "~/ui/error-page";
import { useNonce } from "~/ui/nonce";
import { readToast } from "~/ui/toast.server";
import stylesheet from "~/tailwind.css?url";
import "~/load-context";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await getSession(request);
  const language = await detectLanguage(request, user);
  const csrf = await ensureCsrfToken(request);
  const toast = await readToast(request);
  const demo = await demoAccountsPresent();
  const headers = new Headers();
  if (csrf.setCookie) headers.append("Set-Cookie", csrf.setCookie);
  if (toast.setCookie) headers.append("Set-Cookie", toast.setCookie);
  const repair = sessionCookieRepair(request);
  if (repair) headers.append("Set-Cookie", repair);
  return data(
    {
      language,
      viewer: user ? viewerOf(user) : null,
      csrfToken: csrf.token,
      toast: toast.toast,
      demo,
      requestId: context.requestId ?? null,
      today: new Date().toISOString(),
    },
    { headers },
  );
}

/**
 * Moving between questions of an exam only changes `?q=`: the shell's data (viewer, language, CSRF
 * token) stays the same, so it is not fetched again — the exam day's load is saves, not page data.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname && nextUrl.pathname.startsWith("/exams/")) return false;
  return defaultShouldRevalidate;
};

export function Layout({ children }: { children: React.ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  const { i18n } = useTranslation();
  // Without the root's data (its loader failed: the database is down), the language the page was
  // rendered in (entry.server.tsx detects it from the cookie or Accept-Language), the same on hydration.
  const language = rootData?.language ?? ((i18n.language || fallbackLanguage) as typeof fallbackLanguage);
  const nonce = useNonce();
  useEffect(() => {
    if (i18n.language !== language) void switchLanguage(i18n, language);
  }, [i18n, language]);
  // The texts this page needs (its language; every language for a route whose handle asks for all).
  const texts = languagesOfPage(language, useMatches().map((m) => m.handle));
  return (
    <html lang={language} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* The page's texts, fetched by entry.client.tsx before it hydrates: start loading them now. */}
        {texts.map((lang) => (
          <link key={lang} rel="preload" href={LOCALE_URLS[lang]} as="fetch" crossOrigin="anonymous" data-texts={lang} />
        ))}
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <AppShell>
      <Outlet />
    </AppShell>
  );
}

export const meta: MetaFunction = (args) => pageTitle(args, null);

export function ErrorBoundary() {
  return (
    <AppShell>
      <ErrorPage />
    </AppShell>
  );
}
