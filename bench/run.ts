// `npm run bench`: the lesson page of the production build against PostgreSQL, next to a bare Node
// server doing one indexed query, measured with autocannon on this machine. Prints a table and writes
// bench/results/<date>.json. Needs the PostgreSQL server (DATABASE_URL, default 127.0.0.1:5432).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import postgres from "postgres";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";
import { freePort, start, stop } from "./lib";

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 300);
const DURATION = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 16;
const LESSON_PATH = "/learn/genai-basics/genai-what-is-it";
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

async function signIn(base: string, email: string): Promise<string> {
  const page = await fetch(`${base}/login`);
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error("no CSRF token on the sign-in page");
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(page) },
    body: new URLSearchParams({ csrf, email, password: "manabi-demo", redirectTo: "/" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("manabi_session="));
  if (!session) throw new Error(`sign-in failed for ${email} (${res.status})`);
  return `${session.split(";")[0]}; ${cookiesOf(page)}`;
}

async function measure(url: string, cookies: string[] | null) {
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
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

async function javascriptOfPage(base: string, cookie: string) {
  const html = await (await fetch(`${base}${LESSON_PATH}`, { headers: { cookie } })).text();
  const srcs = new Set<string>();
  for (const m of html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)) srcs.add(m[1]!);
  for (const m of html.matchAll(/import\("([^"]+\.js)"\)|import "([^"]+\.js)"|from "([^"]+\.js)"/g)) srcs.add((m[1] ?? m[2] ?? m[3])!);
  let raw = 0;
  let gzip = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { files: srcs.size, rawBytes: raw, gzipBytes: gzip };
}

async function main() {
  buildIfNeeded();
  const dbName = `manabi_bench_${Date.now().toString(36)}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const children: ChildProcess[] = [];
  try {
    const appPort = await freePort();
    const app = await start(
      ["server.mjs"],
      {
        DATABASE_URL: dbUrl.href,
        PORT: String(appPort),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        MANABI_SEED_DEMO: "1",
        SESSION_SECRET: randomBytes(32).toString("base64url"),
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

    console.log(`Measuring the lesson page (${CONNECTIONS} connections, ${DURATION} s)…`);
    const lesson = await measure(`${base}${LESSON_PATH}`, cookies);
    // The framework's floor on this machine: the smallest server-rendered page, with no database work.
    console.log(`Measuring the sign-in page for reference (${CONNECTIONS} connections, ${DURATION} s)…`);
    const signInPage = await measure(`${base}/login`, null);
    await stop(app);
    children.pop();

    const barePort = await freePort();
    const bare = await start(["bench/bare-server.mjs"], { DATABASE_URL: dbUrl.href, PORT: String(barePort) }, async (u) => (await fetch(u)).ok, `http://127.0.0.1:${barePort}/`);
    children.push(bare);
    console.log(`Measuring the bare Node server (${CONNECTIONS} connections, ${DURATION} s)…`);
    const baseline = await measure(`http://127.0.0.1:${barePort}/`, null);

    const ratio = lesson.requestsPerSecond / baseline.requestsPerSecond;
    const rows = [
      ["", "requests/s", "p50 ms", "p99 ms", "non-2xx"],
      ["lesson page", lesson.requestsPerSecond.toFixed(0), String(lesson.latencyP50), String(lesson.latencyP99), String(lesson.non2xx)],
      ["sign-in page (reference)", signInPage.requestsPerSecond.toFixed(0), String(signInPage.latencyP50), String(signInPage.latencyP99), String(signInPage.non2xx)],
      ["bare node + 1 query", baseline.requestsPerSecond.toFixed(0), String(baseline.latencyP50), String(baseline.latencyP99), String(baseline.non2xx)],
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log("");
    for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
    console.log("");
    console.log(`ratio lesson/bare: ${ratio.toFixed(3)} (target ≥ 0.15); sign-in page/bare: ${(signInPage.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)}`);
    console.log(`JavaScript loaded by the lesson page: ${(js.gzipBytes / 1024).toFixed(1)} KB gzipped in ${js.files} files (target < 150 KB)`);

    const out = {
      date: new Date().toISOString(),
      machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
      settings: { connections: CONNECTIONS, durationSeconds: DURATION, learners: LEARNERS, path: LESSON_PATH },
      lesson,
      signInPage,
      baseline,
      ratio,
      javascript: js,
      targets: { ratio: 0.15, javascriptGzipKB: 150 },
      met: { ratio: ratio >= 0.15, javascript: js.gzipBytes < 150 * 1024 },
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

// `npm run bench -- access`: the access check instead (bench/access.ts); `-- hr`: the HR dashboard,
// manager view, exports and org import on a 50,000-person organisation (bench/hr.ts); `-- authoring`:
// the Authoring page and a lesson preview, cold and warm (bench/authoring.ts).
const scenario = process.argv[2];
const run = scenario === "access" ? (await import("./access")).benchAccess : scenario === "hr" ? (await import("./hr")).benchHr : scenario === "authoring" ? (await import("./authoring")).benchAuthoring : main;
run().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
