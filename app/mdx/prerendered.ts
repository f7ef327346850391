import { createContext, useContext, useSyncExternalStore, type ReactElement } from "react";

/**
 * Lesson bodies rendered to HTML once per (release, lesson, language) on the server. Provided by
 * entry.server.tsx only (app/mdx/body-html.server.ts); in the browser there is none and the body renders
 * as React components, hydrating the HTML the server sent. For that to match, everything inside a body
 * renders the same for every reader until the page has hydrated (useHydrated): ids come from the node's
 * place in the tree, not useId, and a reader's own state (the CSRF token, "answered before") is applied
 * only after hydration.
 */
export type BodyHtmlCache = { html: (key: string, element: () => ReactElement) => string };

const BodyHtmlContext = createContext<BodyHtmlCache | null>(null);
export const BodyHtmlProvider = BodyHtmlContext.Provider;
export const useBodyHtmlCache = () => useContext(BodyHtmlContext);

const subscribe = () => () => {};

/** False on the server and during hydration, true from the first render after it (and on every later mount). */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
