// `npm run bench`: the lesson page of the production build against PostgreSQL, measured the way
// browsers load it (Accept-Encoding: gzip, deflate, br; Accept-Language), next to
// - the framework reference: a minimal Remix app with the same versions serving a static page of the
//   lesson page's size (bench/reference/server.ts), served the same way (Express, the same compression,
//   the same number of workers). Its page says the text of the lesson's course, so that it compresses as
//   the lesson's does (the yardstick); it is measured once more with the synthetic sentences it said until
//   2026-12-01, whose repetition compresses 23:1 and makes its compression nearly free, and
// - a bare Node server doing one indexed query (bench/bare-server.mjs, one process).
// Each scenario runs three times; the table shows the median. Prints the bytes on the wire, the lesson
// page as a ratio to the reference and to the bare baseline, and the JavaScript the lesson page loads;
// writes bench/results/<date>.json. Needs the PostgreSQL server (DATABASE_URL, default 127.0.0.1:5432).
//
// Settings (environment): BENCH_SECONDS (10 per run), BENCH_RUNS (3), BENCH_WARMUP_SECONDS (5, before the
// runs of each scenario, not counted), BENCH_LEARNERS (300),
// BENCH_WORKERS (app and reference worker processes; default one per core, as npm start),
// BENCH_CPU_PROF=1 (profile one app worker with --cpu-prof while the lesson page is measured; the
// profile is written to bench/results/profiles/ and its top costs printed).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import postgres from "postgres";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";
import { freePort, printTable, signIn, start, stop } from "./lib";

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 300);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const WORKERS = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : os.availableParallelism();
const PROFILE = process.env.BENCH_CPU_PROF === "1";
const CONNECTIONS = 16;
const LESSON_PATH = "/learn/genai-basics/genai-what-is-it";
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** What Chromium sends with a page request (the language: Japanese first, as the demo's learners). */
const BROWSER_HEADERS = {
  "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "ja,en-US;q=0.9,en;q=0.8",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
};



type Run = { requestsPerSecond: number; latencyP50: number; latencyP99: number; non2xx: number; errors: number; total: number };

async function measureOnce(url: string, headers: Record<string, string>, cookies: string[] | null, duration = DURATION): Promise<Run> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    headers,
    requests: [
      {
        setupRequest: (req) => {
          if (cookies) req.headers = { ...req.headers, cookie: cookies[n++ % cookies.length]! };
          return req;
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** RUNS runs of one scenario; the median run (by requests/s) stands for it, all runs are kept. */
async function measure(label: string, url: string, headers: Record<string, string>, cookies: string[] | null) {
  const runs: Run[] = [];
  // A warm-up first, not counted: a freshly started server (the JIT, caches, the database's) answers its
  // first seconds of load more slowly, and that would fall on whichever scenario happens to run first.
  if (WARMUP > 0) {
    process.stdout.write(`  ${label}: warm-up ${WARMUP} s… `);
    console.log(`${(await measureOnce(url, headers, cookies, WARMUP)).requestsPerSecond.toFixed(0)} req/s (not counted)`);
  }
  for (let i = 0; i < RUNS; i++) {
    process.stdout.write(`  ${label}: run ${i + 1}/${RUNS}… `);
    const run = await measureOnce(url, headers, cookies);
    console.log(`${run.requestsPerSecond.toFixed(0)} req/s`);
    runs.push(run);
  }
  const m = median(runs.map((r) => r.requestsPerSecond));
  return { ...runs.find((r) => r.requestsPerSecond === m)!, runs: runs.map((r) => Math.round(r.requestsPerSecond)) };
}

/** One response as it travels: status, encoding and the body's bytes on the wire (not decoded). */
function onTheWire(url: string, headers: Record<string, string>): Promise<{ status: number; encoding: string; bytes: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => (bytes += c.length));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: String(res.headers["content-encoding"] ?? "identity"), bytes, headers: res.headers }));
      })
      .on("error", reject);
  });
}

/** The lesson page's HTML size and the size of its loader data (the single-fetch .data answer). */
async function pageSizes(base: string, cookie: string) {
  const html = await onTheWire(`${base}${LESSON_PATH}`, { cookie, "accept-language": BROWSER_HEADERS["accept-language"] });
  const data = await onTheWire(`${base}${LESSON_PATH}.data`, { cookie, "accept-language": BROWSER_HEADERS["accept-language"] });
  return { htmlBytes: html.bytes, dataBytes: data.bytes };
}

/** The scripts the lesson page loads (module preloads, imports, and the page language's texts), raw and gzipped. */
async function javascriptOfPage(base: string, cookie: string) {
  const html = await (await fetch(`${base}${LESSON_PATH}`, { headers: { cookie, "accept-language": BROWSER_HEADERS["accept-language"] } })).text();
  const srcs = new Set<string>();
  for (const m of html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)) srcs.add(m[1]!);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)|import "([^"]+\.js)"|from "([^"]+\.js)"/g)) srcs.add((m[1] ?? m[2] ?? m[3])!);
  // The page's texts (one language), loaded by entry.client before it hydrates.
  for (const m of html.matchAll(/<link[^>]+rel="preload"[^>]+href="([^"]+\.json)"/g)) srcs.add(m[1]!);
  let raw = 0;
  let gzip = 0;
  let wire = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
    wire += (await onTheWire(new URL(src, base).href, { "accept-encoding": BROWSER_HEADERS["accept-encoding"] })).bytes;
  }
  return { files: srcs.size, rawBytes: raw, gzipBytes: gzip, wireBytes: wire };
}

/**
 * The text a reader sees on the lesson page (the text between its tags, scripts and styles left out), one
 * string per piece: what the framework reference's page says, so it compresses as the lesson's does.
 */
function pageTexts(html: string): string[] {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    // Inline elements (phrase breaks, emphasis, links, glossary terms) do not end a piece of text.
    .replace(/<\/?(?:wbr|span|em|strong|code|a|b|i|abbr|small|kbd|mark|sup|sub|ruby|rt|rp|dfn|button)\b[^>]*>/gi, "")
    .split(/<[^>]*>/)
    .map((t) => t.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => entities[e]!).replace(/\s+/g, " ").trim())
    .filter((t) => t.length > 0);
}

/**
 * The text of the lesson's course, the lesson's own first: every piece once, from each of its lessons'
 * pages. One lesson's text is not enough to fill a page of its size without repeating itself, and a
 * repeated text compresses about twice as well as the lesson's page does.
 */
async function courseTexts(base: string, cookie: string): Promise<string[]> {
  const coursePath = LESSON_PATH.slice(0, LESSON_PATH.lastIndexOf("/"));
  const get = async (p: string) => (await fetch(`${base}${p}`, { headers: { cookie, "accept-language": BROWSER_HEADERS["accept-language"] } })).text();
  const links = [...(await get(coursePath)).matchAll(/href="([^"?#]+)"/g)].map((m) => m[1]!).filter((href) => href.startsWith(`${coursePath}/`));
  const texts = new Set<string>();
  for (const lesson of new Set([LESSON_PATH, ...links])) for (const text of pageTexts(await get(lesson))) texts.add(text);
  return [...texts];
}

async function main() {
  buildIfNeeded();
  const dbName = `manabi_bench_${Date.now().toString(36)}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const children: ChildProcess[] = [];
  const profileDir = path.resolve("bench/results/profiles");
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");
  try {
    const appPort = await freePort();
    // With BENCH_CPU_PROF=1: one worker, profiled, so the profile holds the whole load.
    const workers = PROFILE ? 1 : WORKERS;
    const app = await start(
      PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "server.mjs"] : ["scripts/start.mjs"],
      {
        DATABASE_URL: dbUrl.href,
        PORT: String(appPort),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        MANABI_SEED_DEMO: "1",
        SESSION_SECRET: randomBytes(32).toString("base64url"),
        WEB_CONCURRENCY: String(workers),
      },
      async (u) => (await fetch(u)).ok,
      `http://127.0.0.1:${appPort}/readyz`,
    );
    children.push(app);
    const base = `http://localhost:${appPort}`;

    // Generated learners share the demo password hash.
    const db = postgres(dbUrl.href, { max: 4, onnotice: () => {} });
    const [demo] = await db`select password_hash, department_id from users where email = 'learner@example.com'`;
    const emails = Array.from({ length: LEARNERS }, (_, i) => `bench-${i}@example.com`);
    await db`insert into users ${db(
      emails.map((email, i) => ({
        id: `bench-${i}`,
        email,
        password_hash: demo!.password_hash,
        display_name: `学習者 ${i}`,
        family_name: "学習者",
        given_name: String(i),
        department_id: demo!.department_id,
      })),
    )}`;
    await db.end();
    process.stdout.write(`Signing in ${LEARNERS} learners… `);
    const cookies: string[] = [];
    for (let i = 0; i < emails.length; i += 8) {
      cookies.push(...(await Promise.all(emails.slice(i, i + 8).map((e) => signIn(base, e)))));
    }
    console.log("done");
    const js = await javascriptOfPage(base, cookies[0]!);
    const sizes = await pageSizes(base, cookies[0]!);
    const lessonWire = await onTheWire(`${base}${LESSON_PATH}`, { ...BROWSER_HEADERS, cookie: cookies[0]! });
    const referenceText = await courseTexts(base, cookies[1]!);
    if (lessonWire.status !== 200) throw new Error(`the lesson page answered ${lessonWire.status}`);

    console.log(`Load average before measuring: ${load()} (${os.cpus().length} CPUs; figures swing with other work on the machine)`);
    console.log(`Measuring (${CONNECTIONS} connections, ${RUNS} × ${DURATION} s per scenario, app: ${workers} worker${workers === 1 ? "" : "s"})…`);
    const lesson = await measure("lesson page, browser headers", `${base}${LESSON_PATH}`, BROWSER_HEADERS, cookies);
    const lessonPlain = await measure("lesson page, no Accept-Encoding", `${base}${LESSON_PATH}`, { "accept-language": BROWSER_HEADERS["accept-language"] }, cookies);
    await stop(app);
    children.pop();
    const profile = PROFILE ? newestProfile(profileDir) : null;

    // The framework reference, twice: saying the course's text (the yardstick), and the synthetic
    // sentences it said until 2026-12-01 (kept for comparison with earlier runs).
    const textFile = path.join(os.tmpdir(), `manabi-reference-text-${process.pid}.json`);
    fs.writeFileSync(textFile, JSON.stringify(referenceText));
    const measureReference = async (label: string, extraEnv: Record<string, string>) => {
      const refPort = await freePort();
      const reference = await start(
        ["--import", "tsx", "bench/reference/server.ts"],
        { PORT: String(refPort), WEB_CONCURRENCY: String(workers), NODE_ENV: "production", REFERENCE_HTML_BYTES: String(sizes.htmlBytes), REFERENCE_DATA_BYTES: String(sizes.dataBytes), ...extraEnv },
        async (u) => (await fetch(u)).ok,
        `http://127.0.0.1:${refPort}/lesson`,
      );
      children.push(reference);
      try {
        const refUrl = `http://127.0.0.1:${refPort}/lesson`;
        const wire = await onTheWire(refUrl, BROWSER_HEADERS);
        const plain = await onTheWire(refUrl, {});
        return { ...(await measure(label, refUrl, BROWSER_HEADERS, null)), wire, plain };
      } finally {
        await stop(reference);
        children.pop();
      }
    };
    let framework: Awaited<ReturnType<typeof measureReference>>;
    let synthetic: typeof framework;
    try {
      framework = await measureReference("framework reference (the course's text), browser headers", { REFERENCE_TEXT_FILE: textFile });
      synthetic = await measureReference("framework reference (synthetic text), browser headers", {});
    } finally {
      fs.rmSync(textFile, { force: true });
    }

    const barePort = await freePort();
    const bare = await start(["bench/bare-server.mjs"], { DATABASE_URL: dbUrl.href, PORT: String(barePort) }, async (u) => (await fetch(u)).ok, `http://127.0.0.1:${barePort}/`);
    children.push(bare);
    const baseline = await measure("bare node + 1 query (1 process)", `http://127.0.0.1:${barePort}/`, {}, null);

    const ratioToFramework = lesson.requestsPerSecond / framework.requestsPerSecond;
    const ratioToSynthetic = lesson.requestsPerSecond / synthetic.requestsPerSecond;
    const ratioToBare = lesson.requestsPerSecond / baseline.requestsPerSecond;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const row = (label: string, r: Awaited<ReturnType<typeof measure>>, wire: string) => [
      label, r.requestsPerSecond.toFixed(0), r.runs.join(" / "), String(r.latencyP50), String(r.latencyP99), String(r.non2xx + r.errors), wire,
    ];
    console.log("");
    printTable([
      ["", "req/s (median)", "runs", "p50 ms", "p99 ms", "non-2xx/errors", "bytes on the wire"],
      row("lesson page, browser headers", lesson, `${kb(lessonWire.bytes)} ${lessonWire.encoding} (${kb(sizes.htmlBytes)} HTML)`),
      row("lesson page, no Accept-Encoding", lessonPlain, kb(sizes.htmlBytes)),
      row("framework reference (same size, the course's text)", framework, `${kb(framework.wire.bytes)} ${framework.wire.encoding} (${kb(framework.plain.bytes)} HTML)`),
      row("framework reference (same size, synthetic text)", synthetic, `${kb(synthetic.wire.bytes)} ${synthetic.wire.encoding} (${kb(synthetic.plain.bytes)} HTML)`),
      row("bare node + 1 query", baseline, "-"),
    ]);
    console.log("");
    console.log(`lesson page / framework reference: ${ratioToFramework.toFixed(2)} (target ≥ 0.5); against the synthetic-text reference: ${ratioToSynthetic.toFixed(2)}; lesson page / bare baseline: ${ratioToBare.toFixed(3)}`);
    console.log(`Lesson page data (single fetch): ${kb(sizes.dataBytes)}; the reference serves ${kb(framework.plain.bytes)} of HTML for the lesson's ${kb(sizes.htmlBytes)}`);
    console.log(`JavaScript loaded by the lesson page (with its language's texts): ${kb(js.gzipBytes)} gzipped, ${kb(js.wireBytes)} on the wire, in ${js.files} files (target < 150 KB gzipped)`);
    console.log(`Load average after: ${load()}`);
    if (profile) {
      console.log(`CPU profile of the app while the lesson page was measured: ${profile.file}`);
      printTable([["function (self time)", "ms", "share"], ...profile.functions.map((f) => [f.name.slice(0, 90), String(f.selfMs), `${(f.share * 100).toFixed(1)}%`])]);
      printTable([["package", "ms", "share"], ...profile.packages.map((f) => [f.name, String(f.selfMs), `${(f.share * 100).toFixed(1)}%`])]);
    }

    const out = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
      settings: { connections: CONNECTIONS, durationSeconds: DURATION, warmupSeconds: WARMUP, runs: RUNS, workers, learners: LEARNERS, path: LESSON_PATH, headers: BROWSER_HEADERS },
      lesson: { ...lesson, wire: lessonWire.bytes, encoding: lessonWire.encoding, htmlBytes: sizes.htmlBytes, dataBytes: sizes.dataBytes },
      lessonWithoutCompression: lessonPlain,
      framework: { ...framework, text: "the course's", wire: framework.wire.bytes, encoding: framework.wire.encoding, htmlBytes: framework.plain.bytes, plain: undefined },
      frameworkSyntheticText: { ...synthetic, wire: synthetic.wire.bytes, encoding: synthetic.wire.encoding, htmlBytes: synthetic.plain.bytes, plain: undefined },
      baseline,
      ratioToFramework,
      ratioToSyntheticFramework: ratioToSynthetic,
      ratioToBare,
      javascript: js,
      profile,
      targets: { ratioToFramework: 0.5, javascriptGzipKB: 150 },
      met: { ratioToFramework: ratioToFramework >= 0.5, javascript: js.gzipBytes < 150 * 1024 },
    };
    fs.mkdirSync("bench/results", { recursive: true });
    const file = path.join("bench/results", `${out.date.slice(0, 19).replace(/:/g, "-")}.json`);
    fs.writeFileSync(file, JSON.stringify(out, null, 2));
    console.log(`Results written to ${file}`);
  } finally {
    for (const c of children) await stop(c);
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

/** The top self-time costs of the newest profile in `dir` (by function and by package). */
function newestProfile(dir: string) {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")) : [];
  if (files.length === 0) return null;
  const file = path.join(dir, files.sort((a, b) => fs.statSync(path.join(dir, b)).mtimeMs - fs.statSync(path.join(dir, a)).mtimeMs)[0]!);
  type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
  const prof = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  prof.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)" || frame.functionName === "(program)") return;
    const delta = prof.timeDeltas[i] ?? 0;
    const where = frame.url ? `${frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/main\//, "")}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + delta);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1] ?? (frame.url.includes("build/server") ? "manabi (build)" : frame.url ? "node / other" : frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    busy += delta;
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), share: us / busy }));
  return { file: path.relative(process.cwd(), file), busyMs: Math.round(busy / 1000), functions: top(self, 15), packages: top(byPackage, 10) };
}

// `npm run bench -- access`: the access check instead (bench/access.ts); `-- hr`: the HR dashboard,
// manager view, exports and org import on a 50,000-person organisation (bench/hr.ts); `-- authoring`:
// the Authoring page and a lesson preview, cold and warm (bench/authoring.ts); `-- weight`: the
// JavaScript the lesson and exam pages load, gzipped, against the 150 KB budget (bench/weight.ts);
// `-- exam`: exam day, 5,000 candidates saving and submitting on two workers, one SIGKILLed (bench/exam.ts).
const scenario = process.argv[2];
const run =
  scenario === "access" ? (await import("./access")).benchAccess
  : scenario === "hr" ? (await import("./hr")).benchHr
  : scenario === "authoring" ? (await import("./authoring")).benchAuthoring
  : scenario === "weight" ? (await import("./weight")).benchWeight
  : scenario === "exam" ? (await import("./exam")).benchExam
  : main;
run().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
