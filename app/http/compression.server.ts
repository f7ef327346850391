import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import compression from "compression";
import type { Request, RequestHandler, Response } from "express";
import Negotiator from "negotiator";

/**
 * How responses are compressed (used by server.mjs; see the README's "Compression" section).
 *
 * - Pages and data: gzip or brotli at a fast level, once over the whole response. Remix flushes its
 *   stream after every chunk it writes (~30 per lesson page); `compression` turns each flush into a
 *   compressor flush, which restarts the window and costs about half the page's throughput. HTML is
 *   therefore compressed as one stream (its chunks are not flushed one by one); other types (an event
 *   stream) keep their flushes.
 * - Built scripts, styles and locale texts: compressed at build time (precompressAssets, brotli at its
 *   best and gzip -9) and served as files to clients that accept them, with a year's cache lifetime.
 *
 * Behind a reverse proxy, the proxy may do this work instead (see the README): it passes responses the
 * app already encoded through as they are, and compresses the others.
 */

/** brotli quality 4 and gzip level 6 cost about the same; both far less than brotli's default of 11. */
export const BROTLI_QUALITY = 4;
export const GZIP_LEVEL = 6;

/** Pages are compressed whole: a flush of an HTML response is ignored (the compressor writes out as its buffer fills). */
function compressHtmlWhole(res: Response): void {
  const flush = (res as Response & { flush?: () => void }).flush;
  if (typeof flush !== "function") return;
  (res as Response & { flush?: () => void }).flush = function flushUnlessHtml(this: Response) {
    if (/^text\/html/i.test(String(res.getHeader("Content-Type") ?? ""))) return;
    flush.call(this);
  };
}

/** A page up to this size is gathered and handed to the compressor in one piece; a larger one streams. */
export const HTML_BUFFER_BYTES = 1024 * 1024;

const isHtml = (res: Response) => /^text\/html/i.test(String(res.getHeader("Content-Type") ?? ""));

/** What `compression` would choose (the same negotiation and preference), or null to leave the page to it. */
function pageEncoding(req: Request, res: Response, size: number): "br" | "gzip" | null {
  if (req.method === "HEAD" || size < 1024 || res.getHeader("Content-Encoding")) return null;
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(String(res.getHeader("Cache-Control") ?? ""))) return null;
  const method = new Negotiator(req).encoding(["br", "gzip", "deflate", "identity"], ["br", "gzip"]);
  return method === "br" || method === "gzip" ? method : null;
}

/** The page compressed in one call (on the thread pool), or null when that failed (the page then goes as it is). */
function compressPage(body: Buffer, encoding: "br" | "gzip"): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const done = (error: Error | null, out: Buffer) => resolve(error ? null : out);
    if (encoding === "br") {
      zlib.brotliCompress(
        body,
        { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } },
        done,
      );
    } else zlib.gzip(body, { level: GZIP_LEVEL }, done);
  });
}

/**
 * An HTML page is gathered and compressed in one call at its end: React and Remix write a page in
 * dozens of small pieces, and a compression stream turns them into many small jobs on the thread pool
 * (about three times the cost of compressing the page in one go). The page then goes out with its
 * Content-Encoding and Content-Length set, and `compression` leaves it be ("already encoded"). A page
 * larger than HTML_BUFFER_BYTES (none of Manabi's) is passed on to `compression` as it comes from then on.
 */
function gatherHtml(req: Request, res: Response): void {
  const originalWrite = res.write;
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as (chunk?: Buffer) => Response;
  let mode: "undecided" | "gather" | "pass" = "undecided";
  let chunks: Buffer[] = [];
  let size = 0;
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer =>
    Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  const release = () => {
    mode = "pass";
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
    chunks = [];
    return body;
  };
  res.write = function gatheringWrite(this: Response, chunk: unknown, encoding?: unknown, callback?: unknown) {
    const done = typeof encoding === "function" ? encoding : callback;
    if (mode === "undecided") mode = isHtml(res) && !res.headersSent ? "gather" : "pass";
    if (mode === "pass" || chunk === undefined || chunk === null) {
      res.write = originalWrite;
      return (originalWrite as (...args: unknown[]) => boolean).call(res, chunk, encoding, callback);
    }
    const buffer = toBuffer(chunk, encoding);
    chunks.push(buffer);
    size += buffer.length;
    if (size > HTML_BUFFER_BYTES) {
      res.write = originalWrite;
      write(release());
    }
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  } as typeof res.write;
  res.end = function gatheringEnd(this: Response, chunk?: unknown, encoding?: unknown, callback?: unknown) {
    const done = typeof chunk === "function" ? chunk : typeof encoding === "function" ? encoding : callback;
    const last = typeof chunk === "function" || chunk === undefined || chunk === null ? null : toBuffer(chunk, encoding);
    if (mode !== "gather") {
      end(last ?? undefined);
    } else {
      if (last) {
        chunks.push(last);
        size += last.length;
      }
      const body = release();
      const encoding = res.headersSent ? null : pageEncoding(req, res, body.length);
      if (!encoding) end(body);
      else {
        void compressPage(body, encoding).then((compressed) => {
          if (compressed && !res.headersSent) {
            res.setHeader("Content-Encoding", encoding);
            res.setHeader("Content-Length", compressed.length);
            end(compressed);
          } else end(body);
        });
      }
    }
    if (typeof done === "function") res.once("finish", done as () => void);
    return res;
  } as typeof res.end;
}

export function compressResponses(): RequestHandler {
  const compress = compression({
    level: GZIP_LEVEL,
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
  return (req, res, next) => {
    compress(req, res, (error?: unknown) => {
      if (error) return next(error);
      compressHtmlWhole(res);
      gatherHtml(req, res);
      next();
    });
  };
}

const PRECOMPRESSIBLE = /\.(?:js|mjs|css|json|svg|txt|map)$/i;

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/**
 * Writes `file.br` (brotli, best quality) and `file.gz` (gzip -9) beside every compressible file of at
 * least `minBytes` under `dir` that has none yet or an older one. Returns how many files it compressed.
 */
export function precompressAssets(dir: string, minBytes = 1024): number {
  let count = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !PRECOMPRESSIBLE.test(entry.name)) continue;
    const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    const body = fs.readFileSync(file);
    if (body.length < minBytes) continue;
    fs.writeFileSync(
      `${file}.br`,
      zlib.brotliCompressSync(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        },
      }),
    );
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
    count++;
  }
  return count;
}

/** The q-value a client's Accept-Encoding gives a coding (`*` covers codings it does not name). */
function qualityOf(header: string, coding: string): number {
  let star = 0;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const value = q === undefined ? 1 : Number(q);
    if (name.trim() === coding) return Number.isFinite(value) ? value : 0;
    if (name.trim() === "*") star = Number.isFinite(value) ? value : 0;
  }
  return star;
}

/**
 * brotli when the client accepts it (browsers list it last: "gzip, deflate, br", all at q=1), gzip when
 * it accepts gzip more or only gzip, null for neither (or no header: identity).
 */
export function chooseEncoding(header: string | undefined, available: { br: boolean; gzip: boolean }): "br" | "gzip" | null {
  if (!header) return null;
  const br = available.br ? qualityOf(header, "br") : 0;
  const gzip = available.gzip ? qualityOf(header, "gzip") : 0;
  if (br > 0 && br >= gzip) return "br";
  return gzip > 0 ? "gzip" : null;
}

/**
 * Serves the `.br` or `.gz` file made by precompressAssets to a client that accepts it (by its
 * Accept-Encoding, q-values included), with the original's Content-Type, `Content-Encoding` and
 * `Vary: Accept-Encoding`. Anything else (no variant, a client accepting neither) goes to `next()`,
 * where express.static serves the plain file. Mount it on the assets folder (hashed names: immutable).
 */
export function servePrecompressed(root: string, { maxAgeSeconds = 31_536_000 } = {}): RequestHandler {
  const base = path.resolve(root);
  // The build's files do not change while the server runs: look each one up once.
  const variants = new Map<string, { br: boolean; gzip: boolean }>();
  const variantsOf = (file: string) => {
    let found = variants.get(file);
    if (!found) {
      found = { br: fs.existsSync(`${file}.br`), gzip: fs.existsSync(`${file}.gz`) };
      if (variants.size < 10_000) variants.set(file, found);
    }
    return found;
  };
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const ext = path.extname(req.path).toLowerCase();
    const type = CONTENT_TYPES[ext];
    if (!type) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.join(base, relative);
    if (!file.startsWith(base + path.sep) || relative.includes("\0")) return next();
    const available = variantsOf(file);
    if (!available.br && !available.gzip) return next();
    res.vary("Accept-Encoding");
    const encoding = chooseEncoding(req.get("Accept-Encoding"), available);
    if (!encoding) return next();
    res.setHeader("Content-Type", type);
    res.setHeader("Content-Encoding", encoding);
    res.sendFile(
      `${file}${encoding === "br" ? ".br" : ".gz"}`,
      { maxAge: maxAgeSeconds * 1000, immutable: true, acceptRanges: false, dotfiles: "deny" },
      (error) => {
        if (!error) return;
        if (res.headersSent) return next(error);
        res.removeHeader("Content-Encoding");
        next();
      },
    );
  };
}
