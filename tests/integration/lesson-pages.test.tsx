import { createRemixStub } from "@remix-run/testing";
import { createInstance } from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { checkContent } from "~/content/load.server";
import { publishRelease } from "~/content/publish.server";
import { i18nConfig } from "~/i18n/config";
import { createBodyHtmlCache } from "~/mdx/body-html.server";
import { BodyHtmlProvider, type BodyHtmlCache } from "~/mdx/prerendered";
import * as lessonRoute from "~/routes/learn.$courseId.$lessonId";
import { createUser, get } from "../helpers/factories";

/**
 * Every lesson of the shipped content, in both languages, through the lesson page's loader and its
 * component rendered to HTML on the server, as a first page load sends it. (The browser test opens every
 * lesson in Japanese and a sample in English; this covers the rest without a browser, at a fraction of
 * the cost.)
 */
type Language = "ja" | "en";
const LANGUAGES: Language[] = ["ja", "en"];
const context = {};

let bundle: NonNullable<Awaited<ReturnType<typeof checkContent>>["bundle"]>;
const readers: Record<Language, string> = { ja: "", en: "" };
const i18n: Record<Language, ReturnType<typeof createInstance>> = { ja: createInstance(), en: createInstance() };

beforeAll(async () => {
  const checked = await checkContent("content");
  expect(checked.problems.filter((p) => p.severity === "error")).toEqual([]);
  bundle = checked.bundle!;
  await publishRelease(bundle, { id: null, name: "test" });
  for (const lang of LANGUAGES) {
    readers[lang] = (await createUser({ preferredLanguage: lang })).id;
    await i18n[lang].use(initReactI18next).init({ ...i18nConfig, lng: lang });
  }
}, 120_000);

const ENTITIES: Record<string, string> = { "&amp;": "&", "&#x27;": "'", "&quot;": '"', "&lt;": "<", "&gt;": ">" };
const decode = (html: string) => html.replace(/&(amp|#x27|quot|lt|gt);/g, (e) => ENTITIES[e]!);

// React warns (console.error) on the server about useLayoutEffect inside the router's links, which only
// the browser runs; any other console error while rendering fails the test.
let consoleErrors: string[] = [];
beforeEach(() => {
  consoleErrors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    const message = args.map(String).join(" ");
    if (!message.includes("useLayoutEffect does nothing on the server")) consoleErrors.push(message);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function renderLesson(lang: Language, path: string, data: Awaited<ReturnType<typeof lessonRoute.loader>>, bodies: BodyHtmlCache | null = null): string {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => ({ csrfToken: "t" }),
      children: [{ id: "lesson", path: "learn/:courseId/:lessonId", loader: () => data, Component: lessonRoute.default }],
    },
  ]);
  return renderToString(
    <I18nextProvider i18n={i18n[lang]}>
      <BodyHtmlProvider value={bodies}>
        <Stub initialEntries={[path]} hydrationData={{ loaderData: { root: { csrfToken: "t" }, lesson: data } }} />
      </BodyHtmlProvider>
    </I18nextProvider>,
  );
}

describe("every shipped lesson's page", () => {
  for (const lang of LANGUAGES) {
    it(`loads and renders in ${lang === "ja" ? "Japanese" : "English"} with its title, body and knowledge checks`, async () => {
      let pages = 0;
      const bodies = createBodyHtmlCache();
      for (const course of bundle.courses) {
        for (const lessonId of course.lessons) {
          const lesson = bundle.lessons.find((l) => l.id === lessonId)!;
          const path = `/learn/${course.id}/${lessonId}`;
          const data = await lessonRoute.loader({ request: await get(path, readers[lang]), params: { courseId: course.id, lessonId }, context });
          const html = renderLesson(lang, path, data);
          // The body rendered once apart and reused is byte for byte what React renders in place (the
          // browser hydrates it), also when it comes from the cache the second time.
          expect(renderLesson(lang, path, data, bodies), `${lang} ${lessonId}`).toBe(html);
          expect(renderLesson(lang, path, data, bodies), `${lang} ${lessonId}`).toBe(html);
          expect(html.match(/class="[^"]*\blesson-body\b/g), `${lang} ${lessonId}`).toHaveLength(1);
          // The title in this language (phrase breaks may sit inside it), no raw tree or missing key.
          const plain = decode(html.replace(/<wbr\/?>/g, "").replace(/<!-- -->/g, ""));
          expect(plain, `${lang} ${lessonId}`).toContain(`>${lesson.title[lang]}<`);
          expect(html.match(/class="[^"]*\bknowledge-check\b/g)?.length ?? 0, `${lang} ${lessonId}`).toBe(lesson.knowledgeChecks.length);
          expect(plain, `${lang} ${lessonId}`).not.toMatch(/\b(lesson|common)\.[a-z]+\.[a-zA-Z.]+\b/);
          pages++;
        }
      }
      expect(pages).toBe(bundle.lessons.length);
      expect(bodies.size()).toBe(bundle.lessons.length);
      expect(consoleErrors).toEqual([]);
    }, 120_000);
  }
});
