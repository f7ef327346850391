// `npm run bench -- authoring`: how long the Authoring page and a lesson preview take, on the production
// build against a fresh database on the PostgreSQL server, with CONTENT_DIR a copy of content/.
// Cold: a content file changed just before the request, so the draft is checked again (every lesson
// compiled); warm: nothing changed, so the cached check result is used (the content hash matches).
// Median and slowest of several sequential requests each. Writes bench/results/authoring-<date>.json.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";
import { freePort, printTable, signIn, start, stop } from "./lib";

const COLD = Number(process.env.BENCH_COLD ?? 7);
const WARM = Number(process.env.BENCH_WARM ?? 25);
const PREVIEW_LESSON = "genai-what-is-it";
const TOUCHED = "courses/genai-basics/01-what-is-it.en.mdx";
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";



const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timed(url: string, cookie: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

export async function benchAuthoring() {
  buildIfNeeded();
  const contentCopy = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-bench-content-"));
  fs.cpSync("content", contentCopy, { recursive: true });
  const touched = path.join(contentCopy, TOUCHED);
  if (!fs.existsSync(touched)) throw new Error(`${TOUCHED} is missing: update bench/authoring.ts`);
  const original = fs.readFileSync(touched, "utf8");
  const dbName = `manabi_bench_${Date.now().toString(36)}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const children: ChildProcess[] = [];
  try {
    const port = await freePort();
    children.push(
      await start(
        ["server.mjs"],
        {
          DATABASE_URL: dbUrl.href,
          PORT: String(port),
          HOST: "127.0.0.1",
          NODE_ENV: "production",
          MANABI_SEED_DEMO: "1",
          CONTENT_DIR: contentCopy,
          SESSION_SECRET: randomBytes(32).toString("base64url"),
        },
        async (u) => (await fetch(u)).ok,
        `http://127.0.0.1:${port}/readyz`,
      ),
    );
    const base = `http://localhost:${port}`;
    const cookie = await signIn(base, "author@example.com");
    const pages = { authoring: `${base}/authoring`, preview: `${base}/authoring/preview/${PREVIEW_LESSON}` };
    // Warm up the server itself (module loading, the release cache) on each page once.
    for (const url of Object.values(pages)) await timed(url, cookie);

    const results: Record<string, { cold: number[]; warm: number[] }> = {};
    for (const [name, url] of Object.entries(pages)) {
      const cold: number[] = [];
      for (let i = 0; i < COLD; i++) {
        // Different bytes each time (more trailing newlines), the same lesson.
        fs.writeFileSync(touched, original + "\n".repeat(i + 1));
        cold.push(await timed(url, cookie));
      }
      fs.writeFileSync(touched, original);
      await timed(url, cookie); // the restored folder is checked once
      const warm: number[] = [];
      for (let i = 0; i < WARM; i++) warm.push(await timed(url, cookie));
      results[name] = { cold, warm };
    }

    const ms = (x: number) => x.toFixed(0);
    const rows = [["", "cold median ms", "cold max ms", "warm median ms", "warm max ms"]];
    for (const [name, r] of Object.entries(results)) {
      rows.push([name === "authoring" ? "/authoring" : `/authoring/preview/${PREVIEW_LESSON}`, ms(median(r.cold)), ms(Math.max(...r.cold)), ms(median(r.warm)), ms(Math.max(...r.warm))]);
    }
    console.log("");
    printTable(rows);
    console.log("");
    console.log(`cold: ${COLD} requests each, a content file changed before each; warm: ${WARM} requests each, nothing changed (target < 300 ms)`);
    const out = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg() },
      settings: { cold: COLD, warm: WARM, previewLesson: PREVIEW_LESSON, touched: TOUCHED },
      results: Object.fromEntries(
        Object.entries(results).map(([name, r]) => [
          name,
          { coldMedianMs: median(r.cold), coldMaxMs: Math.max(...r.cold), warmMedianMs: median(r.warm), warmMaxMs: Math.max(...r.warm), cold: r.cold, warm: r.warm },
        ]),
      ),
      target: { warmMedianMs: 300 },
      met: Object.values(results).every((r) => median(r.warm) < 300),
    };
    fs.mkdirSync("bench/results", { recursive: true });
    const file = path.join("bench/results", `authoring-${out.date.slice(0, 19).replace(/:/g, "-")}.json`);
    fs.writeFileSync(file, JSON.stringify(out, null, 2));
    console.log(`Results written to ${file}`);
  } finally {
    for (const c of children) await stop(c);
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
    fs.rmSync(contentCopy, { recursive: true, force: true });
  }
}
