import { createHash } from "node:crypto";
import type { Language } from "~/i18n/config";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";

/**
 * Error answers made outside Remix (by the Express middleware in front of it): a small self-contained
 * page for browsers, RFC 9457 problem details for everything else. Texts come from the same locale
 * keys (`errors.*`) as the app's own error page, in the reader's language, with the request id.
 */

export type ErrorKey = "400" | "403" | "404" | "405" | "413" | "415" | "500" | "crossSite" | "starting";

const locales = { en, ja } as const;

type ErrorTexts = { title: string; body: string };

export function errorTexts(key: ErrorKey, language: Language): ErrorTexts & { reference: (id: string) => string } {
  const errors = locales[language].errors as unknown as Record<string, ErrorTexts | string>;
  const texts = errors[key] as ErrorTexts;
  const reference = errors.reference as string;
  return { title: texts.title, body: texts.body, reference: (id) => reference.replace("{{id}}", id) };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE =
  "body{margin:0;font-family:system-ui,-apple-system,'Hiragino Sans','Noto Sans JP',sans-serif;background:#f8fafc;color:#0f172a}" +
  "main{max-width:36rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;text-align:center}" +
  "p.s{color:#4f46e5;font-weight:600;font-size:.875rem}h1{font-size:1.5rem;margin:.5rem 0}p{line-height:1.6}" +
  "code{font-size:.75rem;color:#475569}a{display:inline-block;margin-top:1rem;padding:.5rem 1rem;border-radius:.375rem;background:#4f46e5;color:#fff;text-decoration:none;font-weight:600}";

/** The page's own content security policy: nothing may load; only its one inline style applies. */
export const ERROR_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const HOME_LABEL: Record<Language, string> = { en: en.errors.backHome, ja: ja.errors.backHome };

/** A complete HTML page in one language. */
export function errorPageHtml(input: { status: number; key: ErrorKey; language: Language; requestId: string }): string {
  const t = errorTexts(input.key, input.language);
  return `<!DOCTYPE html>
<html lang="${input.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)} | Manabi</title>
<style>${STYLE}</style>
</head>
<body>
<main data-testid="error-page" data-status="${input.status}">
<p class="s">${input.status}</p>
<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.body)}</p>
<p><code data-testid="request-id">${escapeHtml(t.reference(input.requestId))}</code></p>
<a href="/">${escapeHtml(HOME_LABEL[input.language])}</a>
</main>
</body>
</html>
`;
}

export type ProblemDetails = {
  type: "about:blank";
  status: number;
  title: string;
  detail: string;
  instance?: string;
  requestId: string;
};

/** RFC 9457 problem details (`application/problem+json`), titles and details in the reader's language. */
export function problemDetails(input: { status: number; key: ErrorKey; language: Language; requestId: string }): ProblemDetails {
  const t = errorTexts(input.key, input.language);
  return { type: "about:blank", status: input.status, title: t.title, detail: t.body, requestId: input.requestId };
}
