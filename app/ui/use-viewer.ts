import { useRouteLoaderData } from "@remix-run/react";
import type { Language } from "~/i18n/config";
import type { loader as rootLoader } from "~/root";

export function useRootData() {
  return useRouteLoaderData<typeof rootLoader>("root");
}

export function useLanguage(): Language {
  return useRootData()?.language ?? "ja";
}

export function useViewer() {
  return useRootData()?.viewer ?? null;
}
