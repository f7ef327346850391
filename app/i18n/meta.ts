import { fallbackLanguage, isLanguage, resources, type Language } from "./config";

type Match = { id: string; data: unknown };

function lookup(language: Language, key: string): string {
  let node: unknown = resources[language].common;
  for (const part of key.split(".")) {
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  }
  return typeof node === "string" ? node : key;
}

/** A page's <title> in the reader's language: "Sign in | Manabi". */
export function pageTitle(matches: readonly Match[], key: string): { title: string }[] {
  const root = matches.find((m) => m.id === "root")?.data as { language?: string } | undefined;
  const language = isLanguage(root?.language) ? root.language : fallbackLanguage;
  return [{ title: `${lookup(language, key)} | ${lookup(language, "app.name")}` }];
}
