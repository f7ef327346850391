// The framework reference for `npm run bench`: a minimal Remix app with the same versions as Manabi
// (@remix-run/node and react from package.json), a root layout and one route whose loader returns
// REFERENCE_DATA_BYTES of static data and whose page renders to about REFERENCE_HTML_BYTES of HTML —
// the lesson page's sizes, measured in the same run. No database, no session, no i18n: what Remix,
// React and Express cost for a page of that size. It is served the way Manabi serves pages (Express,
// compressResponses, one worker per core under node:cluster, WEB_CONCURRENCY to change), so the
// ratio of the two is what Manabi's own work costs.
//
// The build is written by hand (ServerBuild: entry module, routes, assets manifest) instead of by
// Vite: the reference has no client code to bundle, only the document request to answer.
import cluster from "node:cluster";
import fs from "node:fs";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type ServerBuild } from "@remix-run/node";
import { Links, Meta, Outlet, RemixServer, Scripts, useLoaderData } from "@remix-run/react";
import { createRequestHandler as createExpressHandler } from "@remix-run/express";
import express from "express";
import { createElement as h } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { compressResponses } from "../../app/http/compression.server";

const HTML_BYTES = Number(process.env.REFERENCE_HTML_BYTES ?? 40_000);
const DATA_BYTES = Number(process.env.REFERENCE_DATA_BYTES ?? 30_000);
const WORKERS = Number(process.env.WEB_CONCURRENCY ?? 1);

// The page's text. With REFERENCE_TEXT_FILE (a JSON array of strings; `npm run bench` writes the text
// of the measured lesson's course, each piece once), the reference says what the lessons say, so its
// page compresses as the lesson's does (about 4:1) and costs the compressor what the lesson's costs.
// Without it: synthetic sentences, the yardstick until 2026-12-01, whose repetition compresses about 23:1.
const SENTENCES = [
  "生成AIは、学習したデータのパターンから新しい文章や画像を作り出します。",
  "出力は必ず人が確認し、社外秘の情報を入力してはいけません。",
  "Generative AI produces new text and images from patterns in the data it learned from.",
  "Check every output before you use it, and never paste confidential data into a prompt.",
  "社内の利用ルールに従い、承認されたツールだけを使います。",
  "A knowledge check asks one question and explains the answer.",
];
const TEXTS: string[] | null = process.env.REFERENCE_TEXT_FILE
  ? (JSON.parse(fs.readFileSync(process.env.REFERENCE_TEXT_FILE, "utf8")) as string[]).filter((t) => typeof t === "string" && t.length > 0)
  : null;
function paragraph(i: number): string {
  if (TEXTS && TEXTS.length > 0) return TEXTS[i % TEXTS.length]!;
  let text = "";
  for (let j = 0; j < 4; j++) text += SENTENCES[(i * 7 + j * 3) % SENTENCES.length] + " ";
  return `${text}(${i})`;
}

// Static data of the lesson's data size (a body string and a few records), built once.
const data = (() => {
  const items: { id: string; text: string }[] = [];
  let size = 0;
  for (let i = 0; size < DATA_BYTES; i++) {
    const item = { id: `item-${i}`, text: paragraph(TEXTS ? i : i + 1000) };
    items.push(item);
    size += Buffer.byteLength(JSON.stringify(item));
  }
  return { title: "Reference lesson", items };
})();

// How many paragraphs bring the page to HTML_BYTES (the data also travels in the page, as in Remix).
const PARAGRAPH_BYTES = TEXTS
  ? TEXTS.reduce((n, t) => n + Buffer.byteLength(`<p>${t}</p>`), 0) / TEXTS.length
  : Buffer.byteLength(`<p>${paragraph(1)}</p>`);
const PARAGRAPHS = Math.max(1, Math.round((HTML_BYTES - DATA_BYTES * 1.15 - 1_000) / PARAGRAPH_BYTES));

function Root() {
  return h(
    "html",
    { lang: "en" },
    h("head", null, h("meta", { charSet: "utf-8" }), h(Meta), h(Links)),
    h("body", null, h(Outlet), h(Scripts)),
  );
}

function Lesson() {
  const loaded = useLoaderData<typeof data>();
  const paragraphs = [];
  for (let i = 0; i < PARAGRAPHS; i++) paragraphs.push(h("p", { key: i }, paragraph(i)));
  return h("article", null, h("h1", null, loaded.title), paragraphs);
}

function handleRequest(request: Request, status: number, headers: Headers, context: Parameters<typeof RemixServer>[0]["context"]) {
  return new Promise<Response>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(h(RemixServer, { context, url: request.url }), {
      onShellReady() {
        const body = new PassThrough();
        headers.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(createReadableStreamFromReadable(body), { status, headers }));
        pipe(body);
      },
      onShellError: reject,
    });
  });
}

const build: ServerBuild = {
  mode: "production",
  entry: { module: { default: handleRequest as never } },
  routes: {
    root: { id: "root", path: "", module: { default: Root } as never },
    "routes/lesson": { id: "routes/lesson", parentId: "root", path: "lesson", module: { default: Lesson, loader: () => data } as never },
  },
  assets: {
    entry: { imports: [], module: "/assets/entry.client.js" },
    routes: {
      root: { id: "root", path: "", module: "/assets/root.js", imports: [], hasAction: false, hasLoader: false, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false },
      "routes/lesson": { id: "routes/lesson", parentId: "root", path: "lesson", module: "/assets/lesson.js", imports: [], hasAction: false, hasLoader: true, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false },
    },
    url: "/assets/manifest.js",
    version: "reference",
  },
  publicPath: "/",
  assetsBuildDirectory: "bench/reference/public",
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true },
  isSpaMode: false,
};

if (cluster.isPrimary && WORKERS > 1) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  let ready = 0;
  cluster.on("message", (_w, message) => {
    if (message === "ready" && ++ready === WORKERS) console.log("ready");
  });
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const app = express();
  app.disable("x-powered-by");
  app.use(compressResponses());
  app.all("*", createExpressHandler({ build, mode: "production" }));
  app.listen(Number(process.env.PORT), "127.0.0.1", () => {
    if (cluster.isWorker) process.send?.("ready");
    else console.log("ready");
  });
  process.on("SIGTERM", () => process.exit(0));
}
