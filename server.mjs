// The Manabi HTTP server: Express + Remix, security headers, graceful shutdown.
// `node server.mjs` serves the production build; `node server.mjs --dev` runs Vite in middleware mode.
import crypto from "node:crypto";
import express from "express";
import compression from "compression";
import { createRequestHandler } from "@remix-run/express";

const dev = process.argv.includes("--dev");
if (!dev) process.env.NODE_ENV ??= "production";

const vite = dev
  ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined;
const loadBuild = () =>
  vite ? vite.ssrLoadModule("virtual:remix/server-build") : import("./build/server/index.js");

const build = await loadBuild();
// startup() parses the environment once (app/env.server.ts) and returns what this file needs from it.
const settings = await build.entry.module.startup((line) => console.log(line)).catch((error) => {
  console.error(error?.name === "EnvError" ? error.message : error);
  process.exit(1);
});

const app = express();
app.disable("x-powered-by");
if (settings.trustProxy !== undefined) app.set("trust proxy", settings.trustProxy);
app.use(compression());

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

// Refuse state-changing requests sent from another origin (a second line behind the CSRF token).
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const origin = req.get("origin");
  if (origin && origin !== "null") {
    let originHost;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = "";
    }
    if (originHost !== req.get("host")) {
      res.status(403).type("text/plain; charset=utf-8").send("別のサイトからの送信は受け付けられません。 / Requests from other sites are refused.");
      return;
    }
  }
  next();
});

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  // Other public files (favicon…) have an extension; pages do not, so they skip the file-system look-up.
  const publicFiles = express.static("build/client", { maxAge: "1h", index: false });
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? publicFiles(req, res, next) : next()));
}

app.get("/healthz", (_req, res) => res.type("text/plain").send("ok"));

app.all(
  "*",
  createRequestHandler({
    build: vite ? () => loadBuild() : build,
    getLoadContext: (req, res) => ({
      nonce: res.locals.nonce,
      requestId: res.locals.requestId,
      clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
    }),
  }),
);

const server = app.listen(settings.port, settings.host, () => {
  console.log(`Manabi is ready on http://localhost:${settings.port}`);
});

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
