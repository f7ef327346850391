import type { ActionFunctionArgs, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance, type i18n as I18n } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig, isLanguage, fallbackLanguage } from "./i18n/config";
import { detectLanguage } from "./i18n/i18next.server";
import { rememberPlainLookups } from "./i18n/memo-t";
import { withoutNulBytes } from "./http/html-stream.server";
import { logUnexpectedError } from "./http/unexpected-errors";
import { NonceProvider } from "./ui/nonce";
import { bodyHtmlCache } from "./mdx/body-html.server";
import { BodyHtmlProvider } from "./mdx/prerendered";

export { serverSettings, startup, shutdown } from "./startup.server";
/** The Express side (request guards, health and readiness, the Remix handler), used by server.mjs. */
export * as http from "./http/request-guards.server";
/** Compression of responses and the pre-compressed build files, used by server.mjs. */
export { compressResponses, servePrecompressed } from "./http/compression.server";

/** Pages and data may hold a person's own records: never kept by a shared cache or the back-forward cache. */
export const PRIVATE_NO_STORE = "private, no-store";

const ABORT_DELAY = 10_000;

// One i18next instance per language, created once: the resources are static and each instance's
// language never changes, so requests can share them.
const instances = new Map<string, Promise<I18n>>();
function i18nFor(lng: string): Promise<I18n> {
  let instance = instances.get(lng);
  if (!instance) {
    const created = createInstance();
    instance = created
      .use(initReactI18next)
      .init({ ...i18nConfig, lng })
      .then(() => {
        rememberPlainLookups(created);
        return created;
      });
    instances.set(lng, instance);
  }
  return instance;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: { nonce?: string },
) {
  // The root loader decided the language (user preference, cookie, Accept-Language, Japanese). When it
  // failed (the database is unreachable), the error page still speaks the reader's language: the
  // language cookie or Accept-Language, which need no database.
  const rootData = remixContext.staticHandlerContext.loaderData?.root as { language?: string; viewer?: unknown } | undefined;
  const lng = isLanguage(rootData?.language) ? rootData.language : await detectLanguage(request).catch(() => fallbackLanguage);
  // Signed-in pages are never cached; a signed-out page keeps a caching rule its route chose.
  if (rootData?.viewer || !responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", PRIVATE_NO_STORE);
  const instance = await i18nFor(lng);

  const nonce = loadContext.nonce ?? "";
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={instance}>
          {/* Lesson bodies rendered to HTML once per release, lesson and language (app/mdx/prerendered.ts). */}
          <BodyHtmlProvider value={bodyHtmlCache}>
            <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
          </BodyHtmlProvider>
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [callbackName]: () => {
          shellRendered = true;
          const body = withoutNulBytes();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Every single-fetch (`.data`) answer: private to the person who asked, never stored. */
export function handleDataRequest(response: Response): Response {
  try {
    response.headers.set("Cache-Control", PRIVATE_NO_STORE);
    return response;
  } catch {
    // Immutable headers (a Response made by fetch): copy it.
    const copy = new Response(response.body, response);
    copy.headers.set("Cache-Control", PRIVATE_NO_STORE);
    return copy;
  }
}

/** Errors outside loaders and actions (rendering, the manifest); those inside are logged by withRequestId. */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  logUnexpectedError(context?.requestId ?? request.headers.get("x-request-id") ?? "-", request, error);
}
