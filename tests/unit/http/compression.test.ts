import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compressResponses, HTML_BUFFER_BYTES, precompressAssets, servePrecompressed } from "~/http/compression.server";

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A request whose body is returned as it came over the wire (never decoded). */
function get(port: number, urlPath: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

function decode(raw: Raw): Buffer {
  const encoding = raw.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(raw.body);
  if (encoding === "gzip") return zlib.gunzipSync(raw.body);
  return raw.body;
}

// A page written the way Remix writes one: ~30 chunks, each followed by a flush.
const CHUNKS = Array.from({ length: 30 }, (_, i) => `<section><h2>第${i}節 Section ${i}</h2>${"<p>生成AIの出力は必ず確認します。Check every output before you use it.</p>".repeat(8)}</section>`);
const PAGE = `<!DOCTYPE html><html><body>${CHUNKS.join("")}</body></html>`;
const BIG_PIECES = 24;

let dir: string;
let server: http.Server;
let port: number;
let release: (() => void) | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-compression-"));
  fs.writeFileSync(path.join(dir, "app-1234.js"), `export const lesson = ${JSON.stringify(PAGE)};\n`.repeat(4));
  fs.writeFileSync(path.join(dir, "tiny-1234.js"), "export {};\n");
  fs.writeFileSync(path.join(dir, "style-1234.css"), ".lesson-body p { margin: 0 0 1rem; }\n".repeat(200));
  fs.writeFileSync(path.join(os.tmpdir(), "outside-precompressed.js.br"), "secret");
  precompressAssets(dir);

  const app = express();
  app.use("/assets", servePrecompressed(dir), express.static(dir, { immutable: true, maxAge: "1y" }));
  app.use(compressResponses());
  const flushed = (type: string, parts: string[]) => (_req: express.Request, res: express.Response) => {
    res.setHeader("Content-Type", type);
    const flushable = res as express.Response & { flush?: () => void };
    let i = 0;
    const next = () => {
      if (i === parts.length) return res.end();
      res.write(parts[i++]);
      flushable.flush?.();
      setImmediate(next);
    };
    next();
  };
  app.get("/page", (req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    const flushable = res as express.Response & { flush?: () => void };
    const parts = ["<!DOCTYPE html><html><body>", ...CHUNKS, "</body></html>"];
    let i = 0;
    const next = () => {
      if (i === parts.length) return res.end();
      res.write(parts[i++]);
      flushable.flush?.();
      setImmediate(next);
    };
    next();
  });
  // A page larger than the gathering limit, in 64 KB pieces.
  app.get("/big-page", (req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    const piece = `<p>${"大きなページ big page ".repeat(2800)}</p>`;
    let i = 0;
    const next = () => {
      if (i === BIG_PIECES) return res.end("</body></html>");
      res.write(i === 0 ? `<!DOCTYPE html><html><body>${piece}` : piece);
      i++;
      setImmediate(next);
    };
    next();
  });
  // Writes one chunk and flushes, then holds the rest until the test releases it.
  app.get("/held", (req, res) => {
    res.setHeader("Content-Type", String(req.query.type));
    res.write(CHUNKS[0]);
    (res as express.Response & { flush?: () => void }).flush?.();
    release = () => res.end(CHUNKS[1]);
  });
  app.get("/events", flushed("text/event-stream", CHUNKS.slice(0, 5)));
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), "outside-precompressed.js.br"), { force: true });
});

describe("pages are compressed once over the whole response", () => {
  it("a brotli page decodes to the same bytes and says Vary: Accept-Encoding", async () => {
    const raw = await get(port, "/page", { "Accept-Encoding": "gzip, deflate, br" });
    expect(raw.headers["content-encoding"]).toBe("br");
    expect(raw.headers.vary).toMatch(/accept-encoding/i);
    expect(decode(raw).toString("utf8")).toBe(PAGE);
  });

  it("a page is compressed in one piece: its length is known before it is sent", async () => {
    for (const [accept, encoding] of [["gzip, deflate, br", "br"], ["gzip", "gzip"]] as const) {
      const raw = await get(port, "/page", { "Accept-Encoding": accept });
      expect(raw.headers["content-encoding"]).toBe(encoding);
      expect(raw.headers["transfer-encoding"]).toBeUndefined();
      expect(Number(raw.headers["content-length"])).toBe(raw.body.length);
      expect(decode(raw).toString("utf8")).toBe(PAGE);
    }
  });

  it("a page larger than the gathering limit streams through the compressor and decodes whole", async () => {
    const raw = await get(port, "/big-page", { "Accept-Encoding": "br" });
    expect(raw.headers["content-encoding"]).toBe("br");
    expect(raw.headers["transfer-encoding"]).toBe("chunked");
    const text = decode(raw).toString("utf8");
    expect(Buffer.byteLength(text)).toBeGreaterThan(HTML_BUFFER_BYTES);
    expect(text.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(text.endsWith("</p></body></html>")).toBe(true);
  });

  it("a HEAD request for a page gets its headers and no body", async () => {
    const raw = await get(port, "/page", { "Accept-Encoding": "br" }, "HEAD");
    expect(raw.status).toBe(200);
    expect(raw.body.length).toBe(0);
  });

  it("a gzip page decodes to the same bytes", async () => {
    const raw = await get(port, "/page", { "Accept-Encoding": "gzip" });
    expect(raw.headers["content-encoding"]).toBe("gzip");
    expect(decode(raw).toString("utf8")).toBe(PAGE);
  });

  it("a flush of a page does not push its compressed bytes out early (an event stream's does)", async () => {
    for (const [type, expectEarly] of [["text/html; charset=utf-8", false], ["text/event-stream", true]] as const) {
      const arrivedEarly = await new Promise<boolean>((resolve, reject) => {
        let early = false;
        let waiting = true;
        const req = http.get({ host: "127.0.0.1", port, path: `/held?type=${encodeURIComponent(type)}`, headers: { "Accept-Encoding": "br" } }, (res) => {
          res.on("data", () => {
            if (waiting) early = true;
          });
          res.on("end", () => resolve(early));
        });
        // Headers and body wait in the compressor until it writes out: look after a while, then let the rest go.
        setTimeout(() => {
          waiting = false;
          release?.();
        }, 300);
        req.on("error", reject);
      });
      expect(arrivedEarly).toBe(expectEarly);
    }
  });

  it("a client that asks for no encoding gets the page as it is", async () => {
    const raw = await get(port, "/page");
    expect(raw.headers["content-encoding"]).toBeUndefined();
    expect(raw.body.toString("utf8")).toBe(PAGE);
  });

  it("an event stream is still flushed as it is written (and decodes)", async () => {
    const raw = await get(port, "/events", { "Accept-Encoding": "gzip" });
    expect(decode(raw).toString("utf8")).toContain(CHUNKS[4]);
  });
});

describe("built files are served pre-compressed", () => {
  it("precompressAssets writes .br and .gz files that decode to the original, and skips tiny files", () => {
    const original = fs.readFileSync(path.join(dir, "app-1234.js"));
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, "app-1234.js.br")))).toEqual(original);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, "app-1234.js.gz")))).toEqual(original);
    expect(fs.existsSync(path.join(dir, "tiny-1234.js.br"))).toBe(false);
  });

  it("a client accepting brotli gets the .br file with the script's type, its encoding, Vary and a year's cache", async () => {
    const raw = await get(port, "/assets/app-1234.js", { "Accept-Encoding": "gzip, deflate, br" });
    expect(raw.status).toBe(200);
    expect(raw.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(raw.headers["content-encoding"]).toBe("br");
    expect(raw.headers.vary).toMatch(/accept-encoding/i);
    expect(raw.headers["cache-control"]).toMatch(/max-age=31536000.*immutable/);
    expect(raw.body).toEqual(fs.readFileSync(path.join(dir, "app-1234.js.br")));
    expect(decode(raw)).toEqual(fs.readFileSync(path.join(dir, "app-1234.js")));
  });

  it("a client accepting only gzip (or refusing brotli by q=0) gets the .gz file", async () => {
    for (const accept of ["gzip", "br;q=0, gzip"]) {
      const raw = await get(port, "/assets/style-1234.css", { "Accept-Encoding": accept });
      expect(raw.headers["content-encoding"]).toBe("gzip");
      expect(raw.headers["content-type"]).toBe("text/css; charset=utf-8");
      expect(decode(raw)).toEqual(fs.readFileSync(path.join(dir, "style-1234.css")));
    }
  });

  it("a client accepting neither gets the plain file, never a compressed one", async () => {
    for (const headers of [{}, { "Accept-Encoding": "identity" }, { "Accept-Encoding": "br;q=0, gzip;q=0" }] as Record<string, string>[]) {
      const raw = await get(port, "/assets/app-1234.js", headers);
      expect(raw.status).toBe(200);
      expect(raw.headers["content-encoding"]).toBeUndefined();
      expect(raw.body).toEqual(fs.readFileSync(path.join(dir, "app-1234.js")));
    }
  });

  it("a path leaving the assets folder is not served", async () => {
    const raw = await get(port, "/assets/..%2Foutside-precompressed.js", { "Accept-Encoding": "br" });
    expect(raw.status).toBe(404);
  });
});
