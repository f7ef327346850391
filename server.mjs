// The Manabi HTTP server: Express + Remix, security headers, request guards, health, graceful shutdown.
// `node server.mjs` serves the production build; `node server.mjs --dev` runs Vite in middleware mode.
// It listens at once and runs start-up (migrations, first content, demo seed) behind /readyz.
import crypto from "node:crypto";
import { createServer } from "node:http";
import express from "express";

const dev = process.argv.includes("--dev");
if (!dev) process.env.NODE_ENV ??= "production";

const vite = dev
  ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined;
const loadBuild = () =>
  vite ? vite.ssrLoadModule("virtual:remix/server-build") : import("./build/server/index.js");

const build = await loadBuild();
// The Express side of the app (app/http/request-guards.server.ts), compiled into the build.
const { http, compressResponses, servePrecompressed } = build.entry.module;
const failStartup = (error) => {
  console.error(error?.name === "EnvError" ? error.message : error);
  process.exit(1);
};
// serverSettings() parses the environment once (app/env.server.ts) and returns what this file needs from it.
let settings;
try {
  settings = build.entry.module.serverSettings();
} catch (error) {
  failStartup(error);
}
let ready = false;

const app = express();
app.disable("x-powered-by");
if (settings.trustProxy !== undefined) app.set("trust proxy", settings.trustProxy);
// Nothing reads req.query (Remix parses its own URL): skip parsing every query string with qs.
app.set("query parser", false);

const secure = settings.secureCookies;

app.use((req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  const requestId = crypto.randomUUID().slice(0, 8);
  res.locals.nonce = nonce;
  res.locals.requestId = requestId;
  req.headers["x-request-id"] = requestId;
  const csp = [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : `script-src 'self' 'nonce-${nonce}'`,
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  res.setHeader("X-Request-Id", requestId);
  if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

// Before Remix parses anything: 405 for methods pages do not serve, 403 for cross-site or opaque
// origins (a second line behind the CSRF token), 415 for non-form bodies, 413 past the body limit,
// 400 for broken forms and NUL bytes. Accepted bodies are handed to Remix below.
app.use(http.refuseHostileRequests());

if (vite) {
  app.use(compressResponses());
  app.use(vite.middlewares);
} else {
  // Built scripts, styles and texts: brotli/gzip files made at build time (vite.config.ts), else the plain file.
  app.use("/assets", servePrecompressed("build/client/assets"), express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  // Everything else may be compressed (pages, data, CSV exports): once per response, at a fast level
  // (app/http/compression.server.ts).
  app.use(compressResponses());
  // Other public files (favicon…) have an extension; pages do not, so they skip the file-system look-up.
  const publicFiles = express.static("build/client", { maxAge: "1h", index: false });
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? publicFiles(req, res, next) : next()));
}

// Liveness (the database answers) and readiness (start-up finished); neither needs a session.
app.get("/healthz", http.healthz);
app.get("/readyz", http.readyz(() => ready));
app.use(http.whileStarting(() => ready));

app.all(
  "*",
  http.createRemixHandler({
    build: vite ? () => loadBuild() : build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req, res) => ({
      nonce: res.locals.nonce,
      requestId: res.locals.requestId,
      clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
    }),
  }),
);
// Anything unexpected that reached Express: logged with the request id, shown with it.
app.use(http.handleUnexpectedErrors);

// The API's hot endpoints (the single access check and forward-auth) are answered by the Node server
// before Express, with the same functions as their Remix routes: a gateway asks on every request of its
// users (app/access/api-fast-path.server.ts). In development the Remix routes answer them, so edits apply
// without a restart.
// The exam autosave likewise (app/assessment/autosave-fast-path.server.ts): every candidate saves every few seconds.
const fastPaths = { isReady: () => ready, secure };
const server = createServer(vite ? app : http.withApiFastPath(fastPaths, http.withAutosaveFastPath(fastPaths, app)));
server.listen(settings.port, settings.host, () => {
  console.log(`Listening on http://localhost:${settings.port}; starting…`);
});
build.entry.module.startup((line) => console.log(line)).then(() => {
  ready = true;
  console.log(`Manabi is ready on http://localhost:${settings.port}${process.send ? ` (worker ${process.pid})` : ""}`);
  // Under `npm start` with several workers (scripts/start.mjs): the others start once this one is ready.
  process.send?.({ type: "manabi:ready" });
}, failStartup);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  server.close();
  server.closeAllConnections?.();
  try {
    await build.entry.module.shutdown();
    await vite?.close();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
