// Client weight (issue 14, item 3): `npm run bench -- weight`, and the weight part of `npm run bench --
// exam`. The JavaScript a page makes the browser load — its module scripts and preloads, the modules they
// import inline, and the page language's texts that entry.client loads before it hydrates — raw, gzipped
// (zlib's default level, the figure the 150 KB budget is about) and as the server sends them (bytes on the
// wire with a browser's Accept-Encoding), file by file. The same rules as the lesson page figure of
// `npm run bench` (bench/run.ts), for any page.
//
// `npm run bench -- weight` builds if needed, starts the production server on a throwaway database on the
// PostgreSQL server (DATABASE_URL), signs one learner in (a session row, as lucia stores it), starts the
// AI Safe Use exam, measures a lesson page and the exam page, prints the files and exits 1 when a page is
// over budget. Writes bench/results/weight-<date>.json. BENCH_SKIP_BUILD=1 uses build/ as it is.
//
// (This file was first written by another change whose text was lost when two changes wrote it at the same
// moment; it was written again from its commit message, measuring pages instead of reading the manifest.)
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";
import { freePort, printTable, start, stop } from "./lib";

export const WEIGHT_BUDGET_BYTES = 150 * 1024;

export type PageWeight = { path: string; status: number; files: number; rawBytes: number; gzipBytes: number; wireBytes: number; largest: { src: string; gzipBytes: number }[] };

function wireBytes(url: string, acceptEncoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => (bytes += c.length));
        res.on("end", () => resolve(bytes));
      })
      .on("error", reject);
  });
}

/** The scripts (and texts) `path` loads for a reader with `cookie`, measured one by one. */
export async function pageJavascript(base: string, path: string, cookie: string, acceptLanguage = "ja"): Promise<PageWeight> {
  const page = await fetch(new URL(path, base), { headers: { cookie, "accept-language": acceptLanguage }, redirect: "manual" });
  const html = await page.text();
  const srcs = new Set<string>();
  for (const m of html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)) srcs.add(m[1]!);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)|import "([^"]+\.js)"|from "([^"]+\.js)"/g)) srcs.add((m[1] ?? m[2] ?? m[3])!);
  for (const m of html.matchAll(/<link[^>]+rel="preload"[^>]+href="([^"]+\.json)"/g)) srcs.add(m[1]!);
  let raw = 0;
  let gzip = 0;
  let wire = 0;
  const each: { src: string; gzipBytes: number }[] = [];
  for (const src of srcs) {
    const url = new URL(src, base).href;
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    const gz = gzipSync(body).length;
    raw += body.length;
    gzip += gz;
    wire += await wireBytes(url, "gzip, deflate, br");
    each.push({ src, gzipBytes: gz });
  }
  const largest = each.sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, 5);
  return { path, status: page.status, files: srcs.size, rawBytes: raw, gzipBytes: gzip, wireBytes: wire, largest };
}

export const LESSON_PATH = "/learn/genai-basics/genai-what-is-it";
export const EXAM_TRACK = "ai-safe-use";

/** lucia's session ids: 25 random bytes, lower-case base32 without padding (40 characters). */
export function newSessionId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of randomBytes(25)) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/**
 * The CSRF token a page gives a signed-in browser (app/auth/csrf.server.ts: an HMAC of the session id
 * under SESSION_SECRET), for a bench that set the secret itself.
 */
export const csrfForSession = (secret: string, session: string) => createHmac("sha256", secret).update(`manabi-csrf\0s:${session}`).digest("base64url");

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** The table of page weights (and the largest files of each), as both benches print it. */
export function printWeights(weights: PageWeight[]) {
  printTable([
    ["page", "files", "raw", "gzip", "on the wire", "budget"],
    ...weights.map((w) => [w.path, String(w.files), kb(w.rawBytes), kb(w.gzipBytes), kb(w.wireBytes), w.gzipBytes < WEIGHT_BUDGET_BYTES ? "met" : "OVER"]),
  ]);
  for (const w of weights) console.log(`  largest of ${w.path}: ${w.largest.map((f) => `${f.src.replace(/^\/assets\//, "")} ${kb(f.gzipBytes)}`).join(", ")}`);
}

export async function benchWeight() {
  if (process.env.BENCH_SKIP_BUILD !== "1") buildIfNeeded();
  const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const dbName = `manabi_bench_${Date.now().toString(36)}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  let app: Awaited<ReturnType<typeof start>> | null = null;
  let over = false;
  try {
    const port = await freePort();
    const secret = randomBytes(32).toString("base64url");
    app = await start(
      ["server.mjs"],
      { DATABASE_URL: dbUrl.href, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", MANABI_SEED_DEMO: "1", SESSION_SECRET: secret },
      async (u) => (await fetch(u)).ok,
      `http://127.0.0.1:${port}/readyz`,
    );
    const base = `http://127.0.0.1:${port}`;
    const db = postgres(dbUrl.href, { max: 1, onnotice: () => {} });
    const session = newSessionId();
    const [demo] = await db`select password_hash, department_id from users where email = 'learner@example.com'`;
    await db`insert into users ${db({ id: "bench-weight", email: "weight@bench.example.com", password_hash: demo!.password_hash, display_name: "計測 太郎", family_name: "計測", given_name: "太郎", department_id: demo!.department_id })}`;
    await db`insert into sessions ${db({ id: session, user_id: "bench-weight", expires_at: new Date(Date.now() + 12 * 3_600_000) })}`;
    await db`insert into course_exemptions ${db({ user_id: "bench-weight", track_id: EXAM_TRACK, reason: "weight benchmark" })}`;
    await db.end();
    const cookie = `manabi_session=${session}`;
    const started = await fetch(`${base}/tracks/${EXAM_TRACK}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: csrfForSession(secret, session), intent: "start" }),
    });
    const examPath = started.headers.get("location") ?? "";
    if (started.status !== 302 || !examPath.startsWith("/exams/")) throw new Error(`starting the exam: HTTP ${started.status} ${examPath}`);
    const weights = [await pageJavascript(base, LESSON_PATH, cookie), await pageJavascript(base, examPath, cookie)];
    for (const w of weights) if (w.status !== 200) throw new Error(`${w.path}: HTTP ${w.status}`);
    printWeights(weights);
    over = weights.some((w) => w.gzipBytes >= WEIGHT_BUDGET_BYTES);
    console.log(over ? `A page loads ${kb(WEIGHT_BUDGET_BYTES)} of JavaScript or more (gzipped): over budget.` : `Both pages load less than ${kb(WEIGHT_BUDGET_BYTES)} of JavaScript (gzipped).`);
    const out = { date: new Date().toISOString(), budgetBytes: WEIGHT_BUDGET_BYTES, pages: weights, met: !over };
    fs.mkdirSync("bench/results", { recursive: true });
    const file = path.join("bench/results", `weight-${out.date.slice(0, 19).replace(/:/g, "-")}.json`);
    fs.writeFileSync(file, JSON.stringify(out, null, 2));
    console.log(`Results written to ${file}`);
  } finally {
    if (app) await stop(app);
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
  if (over) process.exitCode = 1;
}
