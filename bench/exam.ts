// `npm run bench -- exam`: exam day (issue 14, items 2 and 3). On a throwaway database on the PostgreSQL
// server, BENCH_CANDIDATES (5,000) candidates — each an undici client with its own cookie jar and session —
// start the AI Safe Use exam (the track page's start button), then each saves an answer every
// 10 seconds (≈ 500 saves/s) for BENCH_SECONDS (120) through the page's autosave endpoint, and then all
// submit within BENCH_SUBMIT_SECONDS (60). The app runs as two worker processes (`npm start`,
// WEB_CONCURRENCY=2, node:cluster); half-way through the saves one worker is killed with SIGKILL (the
// primary starts another). A request that fails — its process died, or the new one was still starting —
// is retried by its candidate, as the page's save queue does; such failures are counted apart.
//
// Afterwards the database is checked: every acknowledged save (a 200 "saved" answer, recorded in this
// process: attempt, position, answer) has its save event and is the stored answer (or a later one that
// was sent and possibly committed without an answer reaching the candidate); every attempt is finished,
// graded once (one submit/timeout event) with at most one certificate. The figures stand beside the bare
// Node + one indexed query baseline (bench/bare-server.mjs, one process) measured in the same run at the
// same request rate and at full load. Also measures the JavaScript a lesson page and an exam page load
// (gzip; budget 150 KB each).
//
// Exits 1 when an acknowledged save was lost, an attempt was graded twice or not at all, or a page's
// JavaScript is over budget. The save p99 target (< 100 ms) is printed as met or not (shared machines).
// Writes bench/results/exam-<date>.json.
//
// Settings (environment): BENCH_CANDIDATES (5000), BENCH_SECONDS (120), BENCH_SAVE_EVERY (10 seconds),
// BENCH_SUBMIT_SECONDS (60), BENCH_CONNECTIONS (256 sockets at most, shared by the candidates),
// BENCH_SAVE_THREADS (2: the candidates' saves are spread over this many worker threads, each with its
// own event loop and a share of the sockets, so that the generator's own delays stay out of the figures),
// BENCH_KILL=0 (no SIGKILL), BENCH_OPEN_PAGES=1 (each candidate also loads the track page before the
// start and the exam page after it, as a browser does: three times the preparation),
// BENCH_SKIP_BUILD=1 (use build/ as it is), BENCH_CPU_PROF=1 (each app process writes a .cpuprofile to
// bench/results/profiles/ when it stops; the killed one does not), DATABASE_URL. BENCH_BREAK=lose-save|double-grade breaks the
// database on purpose before the checks (one acknowledged answer overwritten, one grading event added),
// to show that the checks catch it.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import autocannon from "autocannon";
import postgres from "postgres";
import { Worker } from "node:worker_threads";
import { Agent } from "undici";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";
import { csrfForSession, EXAM_TRACK, LESSON_PATH, newSessionId, pageJavascript, printWeights, WEIGHT_BUDGET_BYTES, type PageWeight } from "./weight";
import {
  CookieJar,
  failureKind,
  loopDelayExcess,
  MAX_TRIES,
  RETRY_DELAY_MS,
  send as send0,
  sleep,
  type Client,
  type Failure,
  type SavingCandidate,
} from "./exam-client";
import type { SaverInput, SaverOutput, SaverProgress } from "./exam-saver";
import { freePort, printTable, start, stop } from "./lib";

const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const SAVE_EVERY_MS = Number(process.env.BENCH_SAVE_EVERY ?? 10) * 1000;
const SUBMIT_SECONDS = Number(process.env.BENCH_SUBMIT_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);
const KILL = process.env.BENCH_KILL !== "0";
const OPEN_PAGES = process.env.BENCH_OPEN_PAGES === "1";
const BREAK = process.env.BENCH_BREAK ?? "";
const WORKERS = 2;
const PREP_CONCURRENCY = 24;
const TRACK = EXAM_TRACK;
const TARGET_SAVE_P99_MS = 100;
/** Threads the candidates' saves are spread over (each with its own event loop and socket pool). */
const SAVE_THREADS = Math.max(1, Number(process.env.BENCH_SAVE_THREADS ?? 2));
const LOOP_RESOLUTION_MS = 10;
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// ---------------------------------------------------------------------------------------------------
// A candidate: a cookie jar, an attempt, and what it sent and had acknowledged

type Candidate = SavingCandidate & { userId: string; submitted: boolean };

const failures: Failure[] = [];
const saveLatencies: number[] = [];
/** Each acknowledged save: when it was sent (ms since the save phase began) and how long it took. */
const saveSamples: { sentAt: number; ms: number }[] = [];
const submitLatencies: number[] = [];
const prepLatencies: number[] = [];
/** Acknowledged saves per second of the save phase (index: second). */
const ackTimeline: number[] = [];
const failTimeline: number[] = [];
let retriedSaves = 0;
let saveStartedAt = 0;

let client: Client;
const send = (c: { jar: CookieJar }, method: "GET" | "POST", urlPath: string, form?: URLSearchParams) => send0(client, c, method, urlPath, form);

// ---------------------------------------------------------------------------------------------------
// Seeding: candidates, their sessions (as lucia stores them) and an HR exemption from the courses

async function seedCandidates(db: postgres.Sql): Promise<{ userId: string; session: string }[]> {
  const [demo] = await db`select password_hash, department_id from users where email = 'learner@example.com'`;
  const people = Array.from({ length: CANDIDATES }, (_, i) => ({ userId: `bench-c${i}`, session: newSessionId() }));
  for (let i = 0; i < people.length; i += 1000) {
    const slice = people.slice(i, i + 1000);
    await db`insert into users ${db(
      slice.map((p, j) => ({
        id: p.userId,
        email: `candidate${i + j}@bench.example.com`,
        password_hash: demo!.password_hash,
        display_name: `受験者 ${i + j}`,
        family_name: "受験者",
        given_name: String(i + j),
        department_id: demo!.department_id,
      })),
    )}`;
    // Sessions as a sign-in makes them; the idle expiry lucia would set (12 h), so no request extends one.
    await db`insert into sessions ${db(slice.map((p) => ({ id: p.session, user_id: p.userId, expires_at: new Date(Date.now() + 12 * 3_600_000) })))}`;
    await db`insert into course_exemptions ${db(slice.map((p) => ({ user_id: p.userId, track_id: TRACK, reason: "exam-day benchmark" })))}`;
  }
  return people;
}

// ---------------------------------------------------------------------------------------------------
// The phases

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;

/*
 * Each candidate's CSRF token is computed from its session and the SESSION_SECRET the bench set
 * (bench/weight.ts csrfForSession), so 5,000 candidates need not each load a page to read it; the first
 * candidate's token is compared with the one its track page carries.
 */

/** Starts the exam (the track page's start button); with BENCH_OPEN_PAGES=1 also loads the pages around it. */
async function openExam(c: Candidate): Promise<void> {
  for (let tries = 1; ; tries++) {
    try {
      let csrf = c.csrf;
      if (OPEN_PAGES || c.index === 0) {
        const track = await send(c, "GET", `/tracks/${TRACK}`);
        if (track.status !== 200) throw new Error(`track page: HTTP ${track.status}`);
        prepLatencies.push(track.ms);
        csrf = csrfOf(track.text) ?? "";
        if (csrf !== c.csrf) throw new Error(`the track page's CSRF token is not the one the bench computed`);
      }
      const started = await send(c, "POST", `/tracks/${TRACK}`, new URLSearchParams({ csrf, intent: "start" }));
      prepLatencies.push(started.ms);
      const location = String(started.headers.location ?? "");
      const attemptId = /^\/exams\/([A-Za-z0-9_-]{22})$/.exec(location)?.[1];
      if (started.status !== 302 || !attemptId) throw new Error(`start: HTTP ${started.status} ${location} ${started.text.slice(0, 200)}`);
      if (OPEN_PAGES || c.index === 0) {
        const page = await send(c, "GET", `/exams/${attemptId}`);
        prepLatencies.push(page.ms);
        if (page.status !== 200) throw new Error(`exam page: HTTP ${page.status}`);
      }
      c.attemptId = attemptId;
      return;
    } catch (error) {
      failures.push({ phase: "prep", kind: error instanceof Error && !("code" in error) ? error.message.slice(0, 60) : failureKind(error), at: Date.now() });
      if (tries >= 5 || /CSRF/.test(String(error))) throw error;
      await sleep(RETRY_DELAY_MS * tries);
    }
  }
}

async function submit(c: Candidate, at: number) {
  await sleep(at - Date.now());
  for (let tries = 1; tries <= MAX_TRIES; tries++) {
    try {
      const reply = await send(c, "POST", `/exams/${c.attemptId}`, new URLSearchParams({ csrf: c.csrf, intent: "submit" }));
      if (reply.status === 302 && String(reply.headers.location).startsWith(`/exams/${c.attemptId}/result`)) {
        submitLatencies.push(reply.ms);
        c.submitted = true;
        return;
      }
      failures.push({ phase: "submit", kind: `HTTP ${reply.status}`, at: Date.now() });
      if (reply.status >= 400 && reply.status < 500) return;
    } catch (error) {
      failures.push({ phase: "submit", kind: failureKind(error), at: Date.now() });
    }
    await sleep(RETRY_DELAY_MS);
  }
}

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>, progress: (done: number) => void) {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await fn(item);
        progress(++done);
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// Processes

/** The PIDs of a process's children (the cluster's workers), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The checks

type Check = {
  acknowledgedSaves: number;
  lostSaves: { attemptId: string; position: number; expected: string; stored: string | null }[];
  missingEvents: number;
  attempts: number;
  notFinished: number;
  gradedTwice: number;
  certificatesTwice: number;
  submittedButOpen: number;
  endReasons: Record<string, number>;
  passed: number;
  certificates: number;
};

async function checkDatabase(db: postgres.Sql, candidates: Candidate[]): Promise<Check> {
  const ids = candidates.map((c) => c.attemptId);
  const stored = new Map<string, string>();
  for (const r of await db`select attempt_id, position, answer from exam_answers where attempt_id = any(${ids})`) {
    stored.set(`${r.attempt_id}:${r.position}`, (r.answer as string[]).join(","));
  }
  const events = new Map<string, number>();
  for (const r of await db`
    select attempt_id, (details->>'position')::int as position, details->'answer'->>0 as answer, count(*)::int as n
    from exam_events where kind = 'save' and attempt_id = any(${ids}) group by 1, 2, 3`) {
    events.set(`${r.attempt_id}:${r.position}:${r.answer}`, r.n as number);
  }
  const lostSaves: Check["lostSaves"] = [];
  let acknowledgedSaves = 0;
  let missingEvents = 0;
  for (const c of candidates) {
    acknowledgedSaves += c.acked.length;
    // Each acknowledged save has its own save event (the audit trail of the attempt).
    const ackedCount = new Map<string, number>();
    for (const a of c.acked) ackedCount.set(`${c.attemptId}:${a.position}:${a.answer}`, (ackedCount.get(`${c.attemptId}:${a.position}:${a.answer}`) ?? 0) + 1);
    for (const [key, n] of ackedCount) missingEvents += Math.max(0, n - (events.get(key) ?? 0));
    // And the stored answer is the last acknowledged one, or one sent after it whose answer never came.
    for (const [position, s] of c.positions) {
      if (s.lastAck === null) continue;
      const value = stored.get(`${c.attemptId}:${position}`) ?? null;
      if (value !== s.lastAck && !(value !== null && s.unacknowledged.has(value))) {
        lostSaves.push({ attemptId: c.attemptId, position, expected: s.lastAck, stored: value });
      }
    }
  }
  const rows = await db`
    select a.id, a.status, a.end_reason, a.passed,
           (select count(*)::int from exam_events e where e.attempt_id = a.id and e.kind in ('submit', 'timeout')) as gradings,
           (select count(*)::int from certificates c where c.attempt_id = a.id) as certificates
    from exam_attempts a where a.user_id like 'bench-c%'`;
  const submitted = new Set(candidates.filter((c) => c.submitted).map((c) => c.attemptId));
  const endReasons: Record<string, number> = {};
  for (const r of rows) endReasons[String(r.end_reason)] = (endReasons[String(r.end_reason)] ?? 0) + 1;
  return {
    acknowledgedSaves,
    lostSaves,
    missingEvents,
    attempts: rows.length,
    notFinished: rows.filter((r) => r.status !== "finished" || r.gradings === 0).length,
    gradedTwice: rows.filter((r) => r.gradings > 1).length,
    certificatesTwice: rows.filter((r) => r.certificates > 1).length,
    submittedButOpen: rows.filter((r) => submitted.has(r.id as string) && r.status !== "finished").length,
    endReasons,
    passed: rows.filter((r) => r.passed).length,
    certificates: rows.reduce((n, r) => n + (r.certificates as number), 0),
  };
}

// ---------------------------------------------------------------------------------------------------

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

type Baseline = { requestsPerSecond: number; p50: number; p90: number; p99: number; non2xx: number; errors: number };

async function baselineRun(url: string, seconds: number, rate?: number): Promise<Baseline> {
  const r = await autocannon({ url, connections: 16, duration: seconds, ...(rate ? { overallRate: rate } : {}) });
  return { requestsPerSecond: r.requests.average, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export async function benchExam() {
  if (process.env.BENCH_SKIP_BUILD !== "1") buildIfNeeded();
  const dbName = `manabi_bench_${Date.now().toString(36)}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const children: Awaited<ReturnType<typeof start>>[] = [];
  const load = () => os.loadavg()[0]!;
  const startedAt = Date.now();
  let exitCode = 0;
  try {
    const appPort = await freePort();
    const secret = randomBytes(32).toString("base64url");
    const app = await start(
      // BENCH_CPU_PROF=1: every app process (the workers inherit the primary's flags) writes a .cpuprofile when it stops.
      process.env.BENCH_CPU_PROF === "1" ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve("bench/results/profiles")}`, "scripts/start.mjs"] : ["scripts/start.mjs"],
      {
        DATABASE_URL: dbUrl.href,
        PORT: String(appPort),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        MANABI_SEED_DEMO: "1",
        SESSION_SECRET: secret,
        WEB_CONCURRENCY: String(WORKERS),
      },
      async (u) => (await fetch(u)).ok,
      `http://127.0.0.1:${appPort}/readyz`,
    );
    children.push(app);
    // The workers say when they are ready ("… (worker <pid>)"): the replacement's start-up is timed from it.
    const readyAt = new Map<number, number>();
    let appLog = "";
    app.stdout?.on("data", (d: Buffer) => {
      appLog += String(d);
      for (const m of String(d).matchAll(/ready on .*\(worker (\d+)\)/g)) readyAt.set(Number(m[1]), Date.now());
    });
    app.stderr?.on("data", (d: Buffer) => (appLog += String(d)));
    const base = `http://127.0.0.1:${appPort}`;
    client = { base, agent: new Agent({ connections: CONNECTIONS, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 }) };
    // Both workers ready before anything starts: the second forks once the first is ready (start() waited
    // for that), and says so on its output.
    for (let i = 0; readyAt.size < WORKERS - 1; i++) {
      if (i > 1200) throw new Error(`the second worker did not get ready:\n${appLog.slice(-3000)}`);
      await sleep(100);
    }

    const db = postgres(dbUrl.href, { max: 4, onnotice: () => {} });
    process.stdout.write(`Seeding ${CANDIDATES.toLocaleString("en")} candidates (sessions, exemption from the courses)… `);
    const people = await seedCandidates(db);
    console.log("done");
    const candidates: Candidate[] = people.map((p, index) => ({
      index,
      userId: p.userId,
      jar: new CookieJar({ manabi_session: p.session }),
      csrf: csrfForSession(secret, p.session),
      attemptId: "",
      choices: [],
      positions: new Map(),
      acked: [],
      submitted: false,
    }));

    // Opening the exam, as each candidate's browser does (not part of the measured window).
    const prepStarted = Date.now();
    let lastPrint = 0;
    await inBatches(candidates, PREP_CONCURRENCY, openExam, (done) => {
      if (done === candidates.length || Date.now() - lastPrint > 2000) {
        lastPrint = Date.now();
        process.stdout.write(`\rStarting the exam${OPEN_PAGES ? " (track page, start, exam page)" : ""}: ${done.toLocaleString("en")}/${candidates.length.toLocaleString("en")}`);
      }
    });
    const prepSeconds = (Date.now() - prepStarted) / 1000;
    console.log(` in ${prepSeconds.toFixed(0)} s`);
    // The answers each question may take, from the attempt's items and its pinned release (the bench knows them; the page shows them).
    const attemptRows = await db`select id, release_number, items from exam_attempts where user_id like 'bench-c%'`;
    const releases = new Map<number, Map<string, { type: string; options: { id: string }[] }>>();
    for (const n of new Set(attemptRows.map((r) => r.release_number as number))) {
      const [rel] = await db`select bundle->'questions' as questions from content_releases where number = ${n}`;
      releases.set(n, new Map((rel!.questions as { id: string; type: string; options: { id: string }[] }[]).map((q) => [q.id, q])));
    }
    const itemsOf = new Map(attemptRows.map((r) => [r.id as string, r]));
    for (const c of candidates) {
      const row = itemsOf.get(c.attemptId);
      if (!row) throw new Error(`attempt ${c.attemptId} of ${c.userId} is not in the database`);
      const questions = releases.get(row.release_number as number)!;
      c.choices = (row.items as { questionId: string; optionOrder: string[] }[]).map((item) =>
        questions.get(item.questionId)!.type === "truefalse" ? ["true", "false"] : item.optionOrder,
      );
    }
    if (attemptRows.length !== CANDIDATES) throw new Error(`${attemptRows.length} attempts for ${CANDIDATES} candidates`);

    // Client weight: the JavaScript of a lesson page and of an exam page, as a candidate loads them.
    const weights: PageWeight[] = [
      await pageJavascript(base, LESSON_PATH, candidates[0]!.jar.header()),
      await pageJavascript(base, `/exams/${candidates[0]!.attemptId}`, candidates[0]!.jar.header()),
    ];
    for (const w of weights) if (w.status !== 200) throw new Error(`${w.path}: HTTP ${w.status}`);

    // The exam: saves, a SIGKILL half-way, then the submits.
    const loadBefore = load();
    const rate = CANDIDATES / (SAVE_EVERY_MS / 1000);
    console.log(
      `Load average ${loadBefore.toFixed(1)} (${os.cpus().length} CPUs). Saving: ${CANDIDATES.toLocaleString("en")} candidates, one save every ${SAVE_EVERY_MS / 1000} s each (≈ ${rate.toFixed(0)}/s) for ${SECONDS} s` +
        `${KILL ? `; one of the ${WORKERS} workers is killed with SIGKILL after ${SECONDS / 2} s` : ""}…`,
    );
    // The bench's own event-loop delay: a late timer or callback here inflates the latencies it records.
    // The saves run in SAVE_THREADS threads (each measures its own loop); this one kills and submits.
    const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loopDelay.enable();
    // The threads start their saves at saveStartedAt: a moment after now, once they have loaded.
    saveStartedAt = Date.now() + 2000;
    const saveEndsAt = saveStartedAt + SECONDS * 1000;
    let kill: { pid: number; at: number; replacementPid: number | null; replacementReadyAt: number | null } | null = null;
    const killer = KILL
      ? (async () => {
          await sleep(saveStartedAt + (SECONDS / 2) * 1000 - Date.now());
          const workers = childrenOf(app.pid!);
          const victim = workers[0]!;
          process.kill(victim, "SIGKILL");
          kill = { pid: victim, at: Date.now(), replacementPid: null, replacementReadyAt: null };
          console.log(`  ${((kill.at - saveStartedAt) / 1000).toFixed(0)} s: SIGKILL to worker ${victim}`);
          for (let i = 0; i < 600 && !kill.replacementReadyAt; i++) {
            await sleep(100);
            kill.replacementPid ??= childrenOf(app.pid!).find((p) => !workers.includes(p)) ?? null;
            if (kill.replacementPid) kill.replacementReadyAt = readyAt.get(kill.replacementPid) ?? null;
          }
          if (kill.replacementReadyAt) console.log(`  the primary's new worker ${kill.replacementPid} was ready ${((kill.replacementReadyAt - kill.at) / 1000).toFixed(1)} s after the kill`);
        })()
      : Promise.resolve();
    const progress = Array.from({ length: SAVE_THREADS }, () => ({ acknowledged: 0, failed: 0 }));
    const ticker = setInterval(() => {
      const s = Math.floor((Date.now() - saveStartedAt) / 1000);
      const acknowledged = progress.reduce((n, p) => n + p.acknowledged, 0);
      const failed = progress.reduce((n, p) => n + p.failed, 0);
      process.stdout.write(`\r  ${s} s: ${acknowledged.toLocaleString("en")} saves acknowledged, ${failed} failed requests, load ${load().toFixed(1)}   `);
    }, 5000);
    const threadLoops = await Promise.all([...Array.from({ length: SAVE_THREADS }, (_, t) => saveThread(t)), killer.then(() => null)]);
    clearInterval(ticker);

    /** One save thread with every SAVE_THREADS-th candidate; what it recorded is merged into this thread's figures. */
    async function saveThread(t: number): Promise<SaverOutput["loopDelayMs"]> {
      const mine = candidates.filter((c) => c.index % SAVE_THREADS === t);
      const input: SaverInput = {
        entry: new URL("./exam-saver.ts", import.meta.url).href,
        base,
        connections: Math.ceil(CONNECTIONS / SAVE_THREADS),
        saveStartedAt,
        saveEndsAt,
        saveEveryMs: SAVE_EVERY_MS,
        candidates: mine.map((c) => ({ index: c.index, cookies: c.jar.entries(), csrf: c.csrf, attemptId: c.attemptId, choices: c.choices })),
      };
      const out = await new Promise<SaverOutput>((resolve, reject) => {
        const worker = new Worker(new URL("./exam-saver-boot.mjs", import.meta.url), { workerData: input });
        worker.on("message", (m: SaverOutput | SaverProgress) => {
          if (m.kind === "progress") progress[t] = m;
          else resolve(m);
        });
        worker.on("error", reject);
        worker.on("exit", (code) => reject(new Error(`save thread ${t} exited (${code}) before reporting`)));
      });
      const byIndex = new Map(mine.map((c) => [c.index, c]));
      for (const r of out.candidates) {
        const c = byIndex.get(r.index)!;
        c.jar = new CookieJar(r.cookies);
        c.positions = new Map(r.positions.map(([p, lastAck, unacknowledged]) => [p, { lastAck, unacknowledged: new Set(unacknowledged) }]));
        c.acked = r.acked;
      }
      failures.push(...out.record.failures);
      for (const x of out.record.latencies) saveLatencies.push(x);
      for (const x of out.record.samples) saveSamples.push(x);
      out.record.ackTimeline.forEach((n, i) => (ackTimeline[i] = (ackTimeline[i] ?? 0) + (n ?? 0)));
      out.record.failTimeline.forEach((n, i) => (failTimeline[i] = (failTimeline[i] ?? 0) + (n ?? 0)));
      retriedSaves += out.record.retried;
      return out.loopDelayMs;
    }
    const saveSeconds = (Date.now() - saveStartedAt) / 1000;
    console.log(`\nSubmitting: every candidate within ${SUBMIT_SECONDS} s…`);
    const submitStartedAt = Date.now();
    await Promise.all(candidates.map((c) => submit(c, submitStartedAt + Math.random() * SUBMIT_SECONDS * 1000)));
    const submitSeconds = (Date.now() - submitStartedAt) / 1000;
    const loadAfter = load();
    loopDelay.disable();
    // Excess over the sampling interval (an idle loop reads the interval itself): the main thread, and the save threads' worst.
    const mainLoop = loopDelayExcess(loopDelay, LOOP_RESOLUTION_MS);
    const saverLoops = threadLoops.filter((l): l is NonNullable<typeof l> => l !== null);
    const benchLoop = {
      p50: Math.max(...saverLoops.map((l) => l.p50)),
      p99: Math.max(...saverLoops.map((l) => l.p99)),
      max: Math.max(...saverLoops.map((l) => l.max)),
      mainThread: mainLoop,
      threads: saverLoops,
    };
    const killInfo = kill as { pid: number; at: number; replacementPid: number | null; replacementReadyAt: number | null } | null;

    if (BREAK === "lose-save") {
      const c = candidates.find((x) => x.acked.length > 0)!;
      await db`update exam_answers set answer = '["bench-broken"]'::jsonb where attempt_id = ${c.attemptId} and position = ${c.acked.at(-1)!.position}`;
      console.log(`BENCH_BREAK: overwrote an acknowledged answer of attempt ${c.attemptId}`);
    } else if (BREAK === "double-grade") {
      await db`insert into exam_events (attempt_id, kind, details) values (${candidates[0]!.attemptId}, 'submit', '{}'::jsonb)`;
      console.log(`BENCH_BREAK: added a second grading event to attempt ${candidates[0]!.attemptId}`);
    }
    console.log("Checking the database…");
    const check = await checkDatabase(db, candidates);
    await db.end();
    await client.agent.close();
    await stop(app);
    children.pop();

    // The baseline: bare Node + one indexed query, one process, at the save rate and at full load.
    const barePort = await freePort();
    const bare = await start(["bench/bare-server.mjs"], { DATABASE_URL: dbUrl.href, PORT: String(barePort) }, async (u) => (await fetch(u)).ok, `http://127.0.0.1:${barePort}/`);
    children.push(bare);
    const bareUrl = `http://127.0.0.1:${barePort}/`;
    console.log(`Baseline: bare Node + one indexed query at ${rate.toFixed(0)} requests/s, then at full load…`);
    const bareAtRate = await baselineRun(bareUrl, 20, rate);
    const bareFull = await baselineRun(bareUrl, 10);
    await stop(bare);
    children.pop();

    // Failures while a process was gone or starting (the kill until the new worker was ready, + 2 s) are counted apart.
    const killWindow = (at: number) =>
      killInfo !== null && at >= killInfo.at && at <= (killInfo.replacementReadyAt ?? killInfo.at + 30_000) + 2000;
    const errorKinds = new Map<string, { phase: string; kind: string; nearKill: number; other: number }>();
    for (const f of failures) {
      const key = `${f.phase} ${f.kind}`;
      const e = errorKinds.get(key) ?? { phase: f.phase, kind: f.kind, nearKill: 0, other: 0 };
      if (killWindow(f.at)) e.nearKill++;
      else e.other++;
      errorKinds.set(key, e);
    }

    const savesPerSecond = saveLatencies.length / saveSeconds;
    const stats = (xs: number[]) => ({ p50: percentile(xs, 50), p90: percentile(xs, 90), p99: percentile(xs, 99), max: percentile(xs, 100), count: xs.length });
    const s = stats(saveLatencies);
    // Saves under way while a worker was gone or starting, apart from the others.
    const windowFrom = killInfo ? killInfo.at - saveStartedAt : Infinity;
    const windowTo = killInfo ? (killInfo.replacementReadyAt ?? killInfo.at + 30_000) + 2000 - saveStartedAt : -Infinity;
    const nearKill = (x: { sentAt: number; ms: number }) => x.sentAt <= windowTo && x.sentAt + x.ms >= windowFrom;
    const steady = stats(saveSamples.filter((x) => !nearKill(x)).map((x) => x.ms));
    const aroundKill = stats(saveSamples.filter(nearKill).map((x) => x.ms));
    // p99 of the saves sent in each 10 s of the phase.
    const p99By10s: number[] = [];
    for (let t = 0; t < SECONDS; t += 10) p99By10s.push(Math.round(percentile(saveSamples.filter((x) => x.sentAt >= t * 1000 && x.sentAt < (t + 10) * 1000).map((x) => x.ms), 99)));
    const sub = { p50: percentile(submitLatencies, 50), p90: percentile(submitLatencies, 90), p99: percentile(submitLatencies, 99), max: percentile(submitLatencies, 100) };
    const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-");
    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "-");
    const lost = check.lostSaves.length + check.missingEvents;
    const doubleGraded = check.gradedTwice + check.certificatesTwice;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

    console.log("");
    console.log(
      `Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${loadBefore.toFixed(1)} before the saves and ${loadAfter.toFixed(1)} after the submits. ` +
        `App: ${WORKERS} worker processes (npm start); baseline: 1 process. Exam started by ${CANDIDATES.toLocaleString("en")} candidates in ${prepSeconds.toFixed(0)} s.`,
    );
    printTable([
      ["", "per second", "p50 ms", "p90 ms", "p99 ms", "max ms", "count"],
      ["saves (acknowledged)", savesPerSecond.toFixed(0), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), saveLatencies.length.toLocaleString("en")],
      ...(killInfo
        ? [
            ["  of which outside the kill window", "", ms(steady.p50), ms(steady.p90), ms(steady.p99), ms(steady.max), steady.count.toLocaleString("en")],
            ["  of which under way around the kill", "", ms(aroundKill.p50), ms(aroundKill.p90), ms(aroundKill.p99), ms(aroundKill.max), aroundKill.count.toLocaleString("en")],
          ]
        : []),
      ["submits", (submitLatencies.length / submitSeconds).toFixed(0), ms(sub.p50), ms(sub.p90), ms(sub.p99), ms(sub.max), submitLatencies.length.toLocaleString("en")],
      [`bare node + 1 query at ${rate.toFixed(0)}/s`, bareAtRate.requestsPerSecond.toFixed(0), ms(bareAtRate.p50), ms(bareAtRate.p90), ms(bareAtRate.p99), "-", String(bareAtRate.non2xx + bareAtRate.errors) + " errors"],
      ["bare node + 1 query, full load", bareFull.requestsPerSecond.toFixed(0), ms(bareFull.p50), ms(bareFull.p90), ms(bareFull.p99), "-", String(bareFull.non2xx + bareFull.errors) + " errors"],
      ["save / bare at the same rate", ratio(savesPerSecond, bareAtRate.requestsPerSecond), ratio(s.p50, bareAtRate.p50), ratio(s.p90, bareAtRate.p90), ratio(s.p99, bareAtRate.p99), "", ""],
      ["submit / bare at the same rate", "", ratio(sub.p50, bareAtRate.p50), ratio(sub.p90, bareAtRate.p90), ratio(sub.p99, bareAtRate.p99), "", ""],
      ["saves/s / bare full load", ratio(savesPerSecond, bareFull.requestsPerSecond), "", "", "", "", ""],
    ]);
    console.log(`Save p99 (ms) of the saves sent in each 10 s: ${p99By10s.join(" ")}`);
    console.log(
      `The bench's own event-loop delay beyond its ${LOOP_RESOLUTION_MS} ms sampling (part of every latency it records), worst of its ${SAVE_THREADS} save threads: ` +
        `p50 ${ms(benchLoop.p50)} ms, p99 ${ms(benchLoop.p99)} ms, max ${ms(benchLoop.max)} ms (main thread, start-up and submits: p99 ${ms(mainLoop.p99)} ms)`,
    );
    console.log("");
    if (killInfo) {
      const window = ackTimeline.slice(Math.max(0, Math.floor((killInfo.at - saveStartedAt) / 1000) - 2), Math.floor((killInfo.at - saveStartedAt) / 1000) + 12);
      console.log(
        `SIGKILL at ${((killInfo.at - saveStartedAt) / 1000).toFixed(0)} s to worker ${killInfo.pid}; new worker ready after ${killInfo.replacementReadyAt ? `${((killInfo.replacementReadyAt - killInfo.at) / 1000).toFixed(1)} s` : "(not seen)"}. ` +
          `Saves acknowledged per second from 2 s before: ${window.map((n) => n ?? 0).join(" ")}`,
      );
    }
    printTable([
      ["failed requests (retried by the candidate)", "around the kill", "otherwise"],
      ...[...errorKinds.values()].sort((a, b) => a.phase.localeCompare(b.phase) || b.nearKill + b.other - a.nearKill - a.other).map((e) => [`${e.phase}: ${e.kind}`, String(e.nearKill), String(e.other)]),
      ...(errorKinds.size === 0 ? [["(none)", "0", "0"]] : []),
    ]);
    console.log(`Saves sent again after a failure: ${retriedSaves}`);
    console.log("");
    printTable([
      ["check", "result", "target"],
      ["acknowledged saves", check.acknowledgedSaves.toLocaleString("en"), ""],
      ["lost (not stored, or no save event)", `${lost} (${check.lostSaves.length} stored answers, ${check.missingEvents} events)`, "0"],
      ["attempts", `${check.attempts} (${Object.entries(check.endReasons).map(([k, v]) => `${v} ${k}`).join(", ")})`, String(CANDIDATES)],
      ["not graded (open, or no grading event)", String(check.notFinished), "0"],
      ["double-graded (two gradings or certificates)", String(doubleGraded), "0"],
      ["submits acknowledged", String(submitLatencies.length), String(CANDIDATES)],
      [`save p99`, `${ms(s.p99)} ms`, `< ${TARGET_SAVE_P99_MS} ms`],
      ...weights.map((w) => [`JavaScript of ${w.path.startsWith("/exams/") ? "the exam page" : "a lesson page"} (gzip)`, `${kb(w.gzipBytes)} in ${w.files} files (${kb(w.wireBytes)} on the wire)`, "< 150 KB"]),
    ]);
    console.log("");
    printWeights(weights);
    for (const l of check.lostSaves.slice(0, 5)) console.log(`  lost: attempt ${l.attemptId} position ${l.position}: acknowledged ${l.expected}, stored ${l.stored}`);

    const met = {
      saveP99: s.p99 < TARGET_SAVE_P99_MS,
      lost: lost === 0,
      doubleGraded: doubleGraded === 0,
      allGraded: check.notFinished === 0 && check.attempts === CANDIDATES,
      weight: weights.every((w) => w.gzipBytes < WEIGHT_BUDGET_BYTES),
    };
    console.log(
      `\nsave p99 < ${TARGET_SAVE_P99_MS} ms: ${met.saveP99 ? "met" : "NOT met"}; 0 lost: ${met.lost ? "met" : "NOT met"}; 0 double-graded: ${met.doubleGraded ? "met" : "NOT met"}; ` +
        `every attempt graded: ${met.allGraded ? "met" : "NOT met"}; JavaScript ≤ 150 KB per page: ${met.weight ? "met" : "NOT met"}`,
    );
    if (!met.lost || !met.doubleGraded || !met.allGraded || !met.weight) exitCode = 1;

    const out = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      settings: { candidates: CANDIDATES, saveSeconds: SECONDS, saveEverySeconds: SAVE_EVERY_MS / 1000, submitSeconds: SUBMIT_SECONDS, appWorkers: WORKERS, baselineProcesses: 1, connections: CONNECTIONS, kill: KILL, track: TRACK },
      prepSeconds,
      benchEventLoopDelayMs: benchLoop,
      prep: { p50: percentile(prepLatencies, 50), p99: percentile(prepLatencies, 99) },
      saves: { perSecond: savesPerSecond, acknowledged: saveLatencies.length, retried: retriedSaves, ...s, outsideKillWindow: steady, aroundKill, p99By10s, timeline: ackTimeline.map((n) => n ?? 0), failedTimeline: failTimeline.map((n) => n ?? 0) },
      submits: { perSecond: submitLatencies.length / submitSeconds, acknowledged: submitLatencies.length, ...sub },
      kill: killInfo && { ...killInfo, atSecond: (killInfo.at - saveStartedAt) / 1000, replacementReadySeconds: killInfo.replacementReadyAt ? (killInfo.replacementReadyAt - killInfo.at) / 1000 : null },
      failures: [...errorKinds.values()],
      baseline: { atSaveRate: bareAtRate, fullLoad: bareFull },
      ratios: {
        saveP50: s.p50 / bareAtRate.p50,
        saveP99: s.p99 / bareAtRate.p99,
        saveP99OutsideKillWindow: steady.p99 / bareAtRate.p99,
        submitP50: sub.p50 / bareAtRate.p50,
        submitP99: sub.p99 / bareAtRate.p99,
        savesPerSecondToBareFullLoad: savesPerSecond / bareFull.requestsPerSecond,
      },
      check: { ...check, lostSaves: check.lostSaves.slice(0, 50), lost, doubleGraded },
      weight: weights,
      targets: { saveP99Ms: TARGET_SAVE_P99_MS, lost: 0, doubleGraded: 0, javascriptGzipBytes: WEIGHT_BUDGET_BYTES },
      met,
      totalSeconds: (Date.now() - startedAt) / 1000,
    };
    fs.mkdirSync("bench/results", { recursive: true });
    const file = path.join("bench/results", `exam-${out.date.slice(0, 19).replace(/:/g, "-")}.json`);
    fs.writeFileSync(file, JSON.stringify(out, null, 2));
    console.log(`Results written to ${file}`);
    if (appLog.includes("Error") && process.env.BENCH_VERBOSE === "1") console.log(appLog.slice(-4000));
  } finally {
    for (const c of children) await stop(c);
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
  if (exitCode) process.exitCode = exitCode;
}
