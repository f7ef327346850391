import i18next from "i18next";
import { fallbackLanguage, isLanguage, type Language } from "./settings";

// The server (and tests) look titles up in both languages' texts; the browser build leaves this import
// out (a page's script carries one language) and asks the i18next instance entry.client.tsx set up.
const serverResources = import.meta.env.SSR ? (await import("./config")).resources : null;

type Match = { id: string; data: unknown };

function lookup(language: Language, key: string): string {
  let node: unknown = serverResources
    ? serverResources[language].common
    : // While a switched-to language is still loading, the title stays in the one shown.
      (i18next.getResourceBundle(language, "common") ?? i18next.getResourceBundle(i18next.language, "common"));
  for (const part of key.split(".")) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  }
  return typeof node === "string" ? node : key;
}

const ERROR_KEYS: Record<number, string> = { 400: "400", 403: "403", 404: "404", 409: "409", 429: "429", 503: "503" };

function errorKey(error: unknown): string {
  if (error && typeof error === "object" && "status" in error && typeof error.status === "number") {
    if (error.status === 403 && "statusText" in error && error.statusText === "csrf") return "errors.csrf.title";
    return `errors.${ERROR_KEYS[error.status] ?? "500"}.title`;
  }
  return "errors.500.title";
}

/**
 * A page's <title> in the reader's language: "Sign in | Manabi". When the page failed, the title
 * names the error instead ("Page not found | Manabi").
 */
export function pageTitle(args: { matches: readonly Match[]; error?: unknown }, key: string | null): { title: string }[] {
  const root = args.matches.find((m) => m.id === "root")?.data as { language?: string } | undefined;
  const language = isLanguage(root?.language) ? root.language : fallbackLanguage;
  const name = lookup(language, "app.name");
  const titleKey = args.error ? errorKey(args.error) : key;
  return [{ title: titleKey ? `${lookup(language, titleKey)} | ${name}` : name }];
}
