import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { loadLocale } from "./i18n/client-locale";
import { fallbackLanguage, i18nOptions, isLanguage, type Language } from "./i18n/settings";

async function hydrate() {
  const lang = isLanguage(document.documentElement.lang) ? document.documentElement.lang : fallbackLanguage;
  // The texts the page needs, as the root preloads them (root.tsx: the page's language, or every
  // language for a page that shows both side by side): hydrating without them would render keys.
  const languages = new Set<Language>([lang]);
  for (const link of document.querySelectorAll<HTMLLinkElement>("link[data-texts]")) {
    if (isLanguage(link.dataset.texts)) languages.add(link.dataset.texts);
  }
  const resources = Object.fromEntries(await Promise.all([...languages].map(async (l) => [l, { common: await loadLocale(l) }] as const)));
  await i18next.use(initReactI18next).init({ ...i18nOptions, lng: lang, resources, partialBundledLanguages: true });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
