import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Permission } from "~/auth/permissions";
import { formatPersonName } from "~/i18n/format";
import { CsrfInput } from "./csrf-input";
import { currentSection, PLACE_DWELL_MS, placeUrl } from "./reading-place";
import { Toast } from "./toast";
import { useLanguage, useRootData } from "./use-viewer";

type NavItem = { to: string; key: string; permission: Permission | null; end?: boolean };

export const NAV_ITEMS: NavItem[] = [
  { to: "/", key: "nav.home", permission: null, end: true },
  { to: "/learn", key: "nav.learning", permission: "read:learning:own" },
  { to: "/tools", key: "nav.tools", permission: "read:tools:own" },
  { to: "/team", key: "nav.team", permission: "read:report:team" },
  { to: "/hr", key: "nav.hr", permission: "read:report:company" },
  { to: "/authoring", key: "nav.authoring", permission: "preview:content" },
  { to: "/admin", key: "nav.admin", permission: "manage:roles" },
];

function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className="h-8 w-8 shrink-0">
      <rect width="32" height="32" rx="8" className="fill-indigo-600" />
      <path d="M8 22V10l8 7 8-7v12" className="fill-none stroke-white" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** Section headings of the page (lesson headings carry the same ids in both languages) and their tops. */
function measureSections() {
  return [...document.querySelectorAll<HTMLElement>("[data-section]")].map((h) => ({ id: h.id, top: h.getBoundingClientRect().top }));
}

export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = useLanguage();
  const location = useLocation();
  const other = language === "ja" ? "en" : "ja";
  const here = location.pathname + location.search;
  const button = useRef<HTMLButtonElement>(null);
  // The section being read, remembered once the reader has stayed on it a moment while the header is
  // out of view: scrolling back up to reach this button must not move the place to the top.
  const place = useRef<string | null>(null);
  useEffect(() => {
    place.current = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if ((button.current?.getBoundingClientRect().bottom ?? 0) > 0) return;
        place.current = currentSection(measureSections());
      }, PLACE_DWELL_MS);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      window.removeEventListener("scroll", onScroll);
      clearTimeout(timer);
    };
  }, [location.pathname]);
  return (
    <Form
      method="post"
      action="/language"
      reloadDocument
      className="contents"
      onSubmit={(event) => {
        // Come back to the section being read (without JavaScript: to the top of the same page).
        const target = event.currentTarget.elements.namedItem("redirectTo");
        if (target instanceof HTMLInputElement) target.value = placeUrl(here, currentSection(measureSections()) ?? place.current);
      }}
    >
      <CsrfInput />
      <input type="hidden" name="language" value={other} />
      {/* Uncontrolled: a re-render during the submit must not reset the place set above. */}
      <input type="hidden" name="redirectTo" defaultValue={here} key={here} />
      <button
        type="submit"
        ref={button}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-label={t("language.switchToLabel")}
        lang={other}
      >
        {t("language.switchTo")}
      </button>
    </Form>
  );
}

function AccountMenu() {
  const { t } = useTranslation();
  const language = useLanguage();
  const viewer = useRootData()?.viewer;
  if (!viewer) return null;
  const name = formatPersonName(viewer, language);
  return (
    <details className="relative" data-testid="account-menu" data-header-menu="">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
        aria-label={t("account.menu", { name })}
      >
        <span aria-hidden="true" className="flex h-8 w-8 items-center justify-center rounded-full bg-indigo-100 text-indigo-700">
          {(language === "ja" ? viewer.familyName : viewer.givenName).slice(0, 1)}
        </span>
        <span className="hidden sm:inline">{name}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-3 shadow-lg">
        <p className="text-xs text-slate-600">{t("account.signedInAs")}</p>
        <p className="truncate text-sm font-medium text-slate-900">{viewer.email}</p>
        <p className="mt-2 text-xs text-slate-600">{t("account.roles")}</p>
        <ul className="mt-1 flex flex-wrap gap-1" aria-label={t("account.roles")}>
          {viewer.roles.map((role) => (
            <li key={role} className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
              {t(`roles.${role}`)}
            </li>
          ))}
        </ul>
        <hr className="my-3 border-slate-200" />
        <Link to="/account/password" className="block rounded px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100">
          {t("account.changePassword")}
        </Link>
        <Form method="post" action="/logout">
          <CsrfInput />
          <button type="submit" className="mt-1 w-full rounded px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100">
            {t("account.signOut")}
          </button>
        </Form>
      </div>
    </details>
  );
}

function Navigation({ items }: { items: NavItem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="flex flex-col gap-1 md:flex-row md:items-center md:gap-1">
      {items.map((item) => (
        <li key={item.to}>
          <NavLink
            to={item.to}
            end={item.end}
            className={({ isActive }) =>
              `block rounded-md px-3 py-2 text-sm font-medium ${
                isActive ? "bg-indigo-50 text-indigo-700" : "text-slate-700 hover:bg-slate-100"
              }`
            }
          >
            {t(item.key)}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

/**
 * The header's menus (the phone navigation and the account menu) are <details>, so they work without
 * JavaScript; with it, opening one closes the other (they would overlap on a phone), and a click
 * outside or Escape closes whichever is open (Escape returns focus to its button).
 */
function useOneMenuAtATime() {
  useEffect(() => {
    const menus = () => [...document.querySelectorAll<HTMLDetailsElement>("details[data-header-menu]")];
    // "toggle" does not bubble; listening in the capture phase sees it for every <details>.
    const onToggle = (event: Event) => {
      const opened = event.target;
      if (!(opened instanceof HTMLDetailsElement) || !opened.open || !opened.hasAttribute("data-header-menu")) return;
      for (const menu of menus()) if (menu !== opened) menu.open = false;
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      for (const menu of menus()) {
        if (!menu.open) continue;
        menu.open = false;
        menu.querySelector("summary")?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      for (const menu of menus()) if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
    };
    document.addEventListener("toggle", onToggle, true);
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("toggle", onToggle, true);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, []);
}

export function AppShell({ children }: { children: React.ReactNode }) {
  useOneMenuAtATime();
  const { t } = useTranslation();
  const root = useRootData();
  const viewer = root?.viewer ?? null;
  const permissions = new Set(viewer?.permissions ?? []);
  const items = viewer ? NAV_ITEMS.filter((i) => i.permission === null || permissions.has(i.permission)) : [];
  return (
    <div className="flex min-h-screen flex-col bg-slate-50 text-slate-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t("app.skipToContent")}
      </a>
      {root?.demo ? (
        <div role="note" data-testid="demo-banner" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-950">
          <strong className="font-semibold">{t("app.demo.title")}</strong> {t("app.demo.body")}
        </div>
      ) : null}
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3">
          <Link to="/" className="flex items-center gap-2 rounded focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
            <Logo />
            <span className="text-lg font-bold tracking-tight">
              {t("app.name")} <span className="font-medium text-slate-500">学び</span>
            </span>
          </Link>
          {viewer ? (
            <nav aria-label={t("nav.label")} className="hidden flex-1 md:block" data-testid="main-nav">
              <Navigation items={items} />
            </nav>
          ) : (
            <div className="flex-1" />
          )}
          <div className="ml-auto flex items-center gap-2">
            <LanguageSwitch />
            <AccountMenu />
          </div>
        </div>
        {viewer ? (
          <details className="group border-t border-slate-200 md:hidden" data-testid="phone-menu" data-header-menu="">
            <summary className="cursor-pointer px-4 py-2 text-sm font-medium text-slate-700">
              <span className="group-open:hidden">{t("nav.openMenu")}</span>
              <span className="hidden group-open:inline">{t("nav.closeMenu")}</span>
            </summary>
            <nav aria-label={t("nav.label")} className="px-4 pb-3">
              <Navigation items={items} />
            </nav>
          </details>
        ) : null}
      </header>
      {root?.toast ? <Toast toast={root.toast} /> : null}
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto max-w-6xl px-4 py-4 text-xs text-slate-600">{t("app.footer")}</div>
      </footer>
    </div>
  );
}
