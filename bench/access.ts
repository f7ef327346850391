// `npm run bench -- access`: the access check (GET /api/v1/access) of the production build on the
// PostgreSQL server, against a seeded organisation, next to a bare Node server answering the same shape
// with one indexed postgres.js query. Measured with autocannon at full load, and at a steady 1,000
// requests/s with bench/paced.ts (one request every millisecond: autocannon's own rate limit sends each
// second's requests as a burst at full load). Prints a table and writes bench/results/access-<date>.json.
//
// The app is started the way `npm start` starts it on a PostgreSQL server (scripts/start.mjs): one worker
// process per core unless BENCH_WORKERS (passed on as WEB_CONCURRENCY) says otherwise. The bare baseline
// is always one process.
//
// Settings (environment): BENCH_PEOPLE (50000), BENCH_SECONDS (20), BENCH_TOKENS (200), BENCH_WORKERS
// (app worker processes; default one per core, as npm start),
// BENCH_CPU_PROF=1 (profile the app server with node --cpu-prof and print its top costs; with several
// workers, the busiest worker's profile),
// BENCH_SKIP_BUILD=1 (use build/ as it is), DATABASE_URL (the server to make a throwaway database on).
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { parse as parseYaml } from "yaml";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";
import { freePort, printTable, start, stop } from "./lib";
import { paced, type PacedResult } from "./paced";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 50_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 20);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 200);
const PROFILE = process.env.BENCH_CPU_PROF === "1";
const WORKERS = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : os.availableParallelism();
const CONNECTIONS = 16;
const FIXED_RATE = 1_000;
const WARM_UP_SECONDS = 3;
/** The production defaults of app/access/rate-limit.ts (not changed for the benchmark). */
const RATE_PER_TOKEN = 50;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 5;
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

type Tool = { id: string; name: { en: string; ja: string }; requiredTracks: string[] };

function bundledTools(): Tool[] {
  const dir = path.resolve(process.env.CONTENT_DIR ?? "content", "tools");
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => parseYaml(fs.readFileSync(path.join(dir, f), "utf8")) as Tool);
}

const employeeNumber = (n: number) => `E${String(n).padStart(6, "0")}`;

/**
 * The organisation, in a few set-based statements: PEOPLE people in 100 departments (2% inactive);
 * certificates of ai-safe-use for 70% valid, 5% only expired, 3% only revoked (22% none), with an older
 * expired one beside the valid one for a tenth; ai-practitioner for 20% (valid), of whom a tenth expired.
 */
export async function seed(db: postgres.Sql, tokens: number) {
  const bucket = (g: string) => `((${g}::bigint * 37) % 100)`;
  await db.unsafe(`
    insert into departments (id, code, name_ja, name_en)
    select 'bench-d' || g, 'BENCH' || g, '部署' || g, 'Department ' || g from generate_series(1, 100) g`);
  await db.unsafe(`
    insert into users (id, email, display_name, family_name, given_name, employee_number, department_id, active)
    select 'bench-u' || g, 'person' || g || '@bench.example.com', '社員 ' || g, '社員', g::text,
           'E' || lpad(g::text, 6, '0'), 'bench-d' || (g % 100 + 1), g % 50 <> 0
    from generate_series(1, ${PEOPLE}) g`);
  const certificate = (suffix: string, track: string, title: string, where: string, passed: string, months: number, revoked = false) => `
    insert into certificates (id, number, user_id, track_id, source, passed_at, valid_until, verification_code, track_title, evidence, revoked_at, revoked_reason)
    select 'bench-c-${suffix}-' || g, 'MNB-B${suffix}-' || g, 'bench-u' || g, '${track}', 'external', p, p + interval '${months} months',
           md5('${suffix}' || g), '${title}'::jsonb, 'benchmark seed', ${revoked ? "now() - interval '1 day', 'benchmark'" : "null, null"}
    from generate_series(1, ${PEOPLE}) g, lateral (select ${passed} as p) passed
    where ${where}`;
  const safeUse = `{"en":"AI safe use","ja":"AI安全利用"}`;
  const practitioner = `{"en":"AI practitioner","ja":"AI実践"}`;
  const b = bucket("g");
  await db.unsafe(certificate("s", "ai-safe-use", safeUse, `${b} < 70`, `now() - (g % 300) * interval '1 day'`, 12));
  await db.unsafe(certificate("so", "ai-safe-use", safeUse, `${b} < 7`, `now() - interval '13 months' - (g % 300) * interval '1 day'`, 12));
  await db.unsafe(certificate("se", "ai-safe-use", safeUse, `${b} between 70 and 74`, `now() - interval '13 months' - (g % 60) * interval '1 day'`, 12));
  await db.unsafe(certificate("sr", "ai-safe-use", safeUse, `${b} between 75 and 77`, `now() - (g % 300) * interval '1 day'`, 12, true));
  await db.unsafe(certificate("p", "ai-practitioner", practitioner, `${b} < 18`, `now() - (g % 600) * interval '1 day'`, 24));
  await db.unsafe(certificate("pe", "ai-practitioner", practitioner, `${b} between 18 and 19`, `now() - interval '25 months'`, 24));
  await db.unsafe(`analyze users; analyze certificates`);

  const secrets: string[] = [];
  const rows = [];
  for (let i = 0; i < tokens; i++) {
    const prefix = `mnb_live_${createHash("sha256").update(`${i}-${Date.now()}`).digest("hex").slice(0, 8)}`;
    const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
    secrets.push(secret);
    rows.push({
      id: `tok-bench-${i}`,
      name: `benchmark ${i}`,
      prefix,
      token_hash: createHash("sha256").update(secret).digest("hex"),
      scopes: ["access:read"],
    });
  }
  await db`insert into api_tokens ${db(rows)}`;
  const [counts] = await db`
    select (select count(*) from users where id like 'bench-u%')::int as people,
           (select count(*) from certificates)::int as certificates`;
  return { secrets, people: counts!.people as number, certificates: counts!.certificates as number };
}

type Measurement = {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP90: number;
  latencyP99: number;
  latencyMax: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
};

/** Random people and tools, the bearer tokens taken in turn (each token gets 1/TOKENS of the rate). */
async function measure(base: string, pathOf: (user: string, tool: string) => string, secrets: string[] | null, tools: Tool[], opts: { seconds: number; overallRate?: number }): Promise<Measurement> {
  let n = 0;
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: opts.seconds,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [
      {
        setupRequest: (req) => {
          const user = employeeNumber(1 + Math.floor(Math.random() * PEOPLE));
          const tool = tools[Math.floor(Math.random() * tools.length)]!.id;
          const headers = secrets ? { ...req.headers, authorization: `Bearer ${secrets[n++ % secrets.length]}` } : req.headers;
          return { ...req, method: "GET", path: pathOf(user, tool), headers };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat?.count ?? 0;
  return {
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP90: result.latency.p90,
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

/** The same random people, tools and tokens at a steady FIXED_RATE (bench/paced.ts: one request every 1 ms, an open loop). */
function measurePaced(base: string, pathOf: (user: string, tool: string) => string, secrets: string[] | null, tools: Tool[], seconds: number): Promise<PacedResult> {
  let n = 0;
  return paced({
    origin: base,
    rate: FIXED_RATE,
    seconds,
    connections: CONNECTIONS,
    next: () => {
      const user = employeeNumber(1 + Math.floor(Math.random() * PEOPLE));
      const tool = tools[Math.floor(Math.random() * tools.length)]!.id;
      const headers: Record<string, string> = secrets ? { authorization: `Bearer ${secrets[n++ % secrets.length]}` } : {};
      return { path: pathOf(user, tool), headers };
    },
  });
}

type Answer = { allowed: boolean; certificates: { id: string }[]; release: number };

/** The same pairs asked of both servers must get the same decisions (so the baseline does the same job). */
async function sampleAnswers(get: (user: string, tool: string, i: number) => Promise<Response>, pairs: [string, string][]) {
  const out: Answer[] = [];
  for (const [i, [user, tool]] of pairs.entries()) {
    const res = await get(user, tool, i);
    if (res.status !== 200) throw new Error(`${user} / ${tool}: HTTP ${res.status} ${await res.text()}`);
    out.push((await res.json()) as Answer);
  }
  return out;
}

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };

/** Where a function lives: the package under node_modules, the app's build, node's own modules, or native code. */
function packageOf(url: string): string {
  if (!url) return "(native: V8, system calls, GC)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.includes("/build/server/")) return "the app (build/server)";
  if (url.startsWith("node:")) return "node core";
  return path.basename(url);
}

/**
 * The busy time of a .cpuprofile between two moments (ms after the profile began): the functions with
 * the most self time, and self time by package. Idle time is left out, so shares are of the busy time.
 */
function topCosts(file: string, fromMs: number, toMs: number, count = 15) {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const frame = byId.get(id)!.callFrame;
    if (at < fromMs * 1000 || at > toMs * 1000 || frame.functionName === "(idle)") return;
    const where = frame.url ? `${frame.url.replace(/^file:\/\/.*?\/(node_modules|build)\//, "$1/")}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + delta);
    const pkg = packageOf(frame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    busy += delta;
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), share: us / busy }));
  return { busyMs: Math.round(busy / 1000), functions: top(self, count), packages: top(byPackage, 10) };
}

export async function benchAccess() {
  if (process.env.BENCH_SKIP_BUILD !== "1") buildIfNeeded();
  const tools = bundledTools();
  const dbName = `manabi_bench_${Date.now().toString(36)}_${randomBytes(2).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const children: Awaited<ReturnType<typeof start>>[] = [];
  const profileDir = path.resolve("bench/results/profiles");
  try {
    const appPort = await freePort();
    const spawnedAt = Date.now();
    const serverArgs = PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "scripts/start.mjs"] : ["scripts/start.mjs"];
    const profilesBefore = new Set(PROFILE && fs.existsSync(profileDir) ? fs.readdirSync(profileDir) : []);
    // The server migrates the new database and publishes the bundled content before /readyz says ready.
    const app = await start(
      serverArgs,
      {
        DATABASE_URL: dbUrl.href,
        PORT: String(appPort),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        SESSION_SECRET: randomBytes(32).toString("base64url"),
        WEB_CONCURRENCY: String(WORKERS),
      },
      async (u) => (await fetch(u)).ok,
      `http://127.0.0.1:${appPort}/readyz`,
    );
    children.push(app);
    const base = `http://127.0.0.1:${appPort}`;

    const db = postgres(dbUrl.href, { max: 1, onnotice: () => {} });
    process.stdout.write(`Seeding ${PEOPLE.toLocaleString("en")} people, their certificates and ${TOKENS} API tokens… `);
    const seededAt = Date.now();
    const seeded = await seed(db, TOKENS);
    // The access worker (change feed) may still be deciding everyone under the new release: measure
    // only once it is idle, as in a steady state (the API itself does not read its tables).
    for (let i = 0; ; i++) {
      const [state] = await db`
        select (select reconciled_release from access_event_counter where id = 1) >= (select max(number) from content_releases) as reconciled,
               not exists (select 1 from entitlement_checks) as unmarked`;
      if (state!.reconciled && state!.unmarked) break;
      if (i > 600) throw new Error("The access worker did not finish reconciling the release within 10 minutes");
      await new Promise((r) => setTimeout(r, 1000));
    }
    await db.end();
    console.log(`done in ${((Date.now() - seededAt) / 1000).toFixed(1)} s (${seeded.certificates.toLocaleString("en")} certificates)`);

    const appPath = (user: string, tool: string) => `/api/v1/access?user=${encodeURIComponent(user)}&tool=${encodeURIComponent(tool)}`;
    const barePath = (user: string, tool: string) => `/access?user=${encodeURIComponent(user)}&tool=${encodeURIComponent(tool)}`;
    const pairs: [string, string][] = Array.from({ length: 200 }, (_, i) => [employeeNumber(1 + ((i * 7919) % PEOPLE)), tools[i % tools.length]!.id]);
    const appAnswers = await sampleAnswers(
      // Tokens in turn, as in the measurements: one token alone would meet its own rate limit.
      (u, t, i) => fetch(`${base}${appPath(u, t)}`, { headers: { authorization: `Bearer ${seeded.secrets[i % seeded.secrets.length]}` } }),
      pairs,
    );
    const release = appAnswers[0]!.release;
    const allowedShare = appAnswers.filter((a) => a.allowed).length / appAnswers.length;

    const full = `${CONNECTIONS} connections, ${DURATION} s`;
    // Other work on the machine shares its cores with the servers, the database and autocannon.
    const loadBefore = os.loadavg()[0]!;
    await measure(base, appPath, seeded.secrets, tools, { seconds: WARM_UP_SECONDS });
    const measuredFrom = Date.now() - spawnedAt;
    console.log(`Measuring GET /api/v1/access at full load (${full})…`);
    const appFull = await measure(base, appPath, seeded.secrets, tools, { seconds: DURATION });
    console.log(`Measuring GET /api/v1/access at a steady ${FIXED_RATE.toLocaleString("en")} requests/s (${DURATION} s)…`);
    const appFixed = await measurePaced(base, appPath, seeded.secrets, tools, DURATION);
    const measuredTo = Date.now() - spawnedAt;
    await stop(app);
    children.pop();

    const barePort = await freePort();
    const bareTools = Object.fromEntries(tools.map((t) => [t.id, { name: t.name, requiredTracks: t.requiredTracks }]));
    const bare = await start(
      ["bench/bare-server.mjs"],
      { DATABASE_URL: dbUrl.href, PORT: String(barePort), BENCH_TOOLS: JSON.stringify(bareTools), BENCH_RELEASE: String(release) },
      async (u) => (await fetch(u)).ok,
      `http://127.0.0.1:${barePort}/`,
    );
    children.push(bare);
    const bareBase = `http://127.0.0.1:${barePort}`;
    const bareAnswers = await sampleAnswers((u, t) => fetch(`${bareBase}${barePath(u, t)}`), pairs);
    const disagreements = pairs.filter((_, i) => {
      const a = appAnswers[i]!;
      const b = bareAnswers[i]!;
      return a.allowed !== b.allowed || a.certificates.map((c) => c.id).join() !== b.certificates.map((c) => c.id).join();
    });
    if (disagreements.length > 0) throw new Error(`The baseline disagrees with the app on ${disagreements.length} of ${pairs.length} decisions, e.g. ${disagreements[0]!.join(" / ")}`);

    await measure(bareBase, barePath, null, tools, { seconds: WARM_UP_SECONDS });
    console.log(`Measuring the bare Node server + one indexed query at full load (${full})…`);
    const bareFull = await measure(bareBase, barePath, null, tools, { seconds: DURATION });
    console.log(`Measuring the bare Node server at a steady ${FIXED_RATE.toLocaleString("en")} requests/s (${DURATION} s)…`);
    const bareFixed = await measurePaced(bareBase, barePath, null, tools, DURATION);
    await stop(bare);
    children.pop();

    const ratio = appFull.requestsPerSecond / bareFull.requestsPerSecond;
    const reached = (m: Measurement | PacedResult) => m.requestsPerSecond >= FIXED_RATE * 0.95;
    const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
    const row = (name: string, m: Measurement | PacedResult) => [name, m.requestsPerSecond.toFixed(0), fmt(m.latencyP50), fmt(m.latencyP99), fmt(m.latencyMax), String(m.non2xx + m.errors)];
    console.log("");
    const loadAfter = os.loadavg()[0]!;
    console.log(`${seeded.people.toLocaleString("en")} people, ${seeded.certificates.toLocaleString("en")} certificates, ${tools.length} tools; ${Math.round(allowedShare * 100)}% of sampled checks allowed; release ${release}`);
    console.log(`Machine: ${os.cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before the measurements and ${loadAfter.toFixed(1)} after`);
    console.log(`App: ${WORKERS} worker process${WORKERS === 1 ? "" : "es"} (npm start on a PostgreSQL server; BENCH_WORKERS to change); the bare baseline: 1 process`);
    printTable([
      ["", "requests/s", "p50 ms", "p99 ms", "max ms", "non-2xx/errors"],
      row("access API, full load", appFull),
      row(`access API, steady ${FIXED_RATE} req/s`, appFixed),
      row("bare node + 1 query, full load", bareFull),
      row(`bare node + 1 query, steady ${FIXED_RATE} req/s`, bareFixed),
    ]);
    console.log(
      `Steady rate: one request every ${(1000 / FIXED_RATE).toFixed(1)} ms over ${CONNECTIONS} connections, latency from hand-over to the last byte; ` +
        `the generator sent late by p99 ${appFixed.sendLag.p99} ms (app) and ${bareFixed.sendLag.p99} ms (bare) — its own share of the machine`,
    );
    console.log("");
    const ratioMet = ratio >= TARGET_RATIO;
    const p99Met = reached(appFixed) && appFixed.latencyP99 < TARGET_P99_MS;
    console.log(`ratio access/bare: ${ratio.toFixed(3)} (target ≥ ${TARGET_RATIO}) — ${ratioMet ? "met" : "NOT met"}`);
    console.log(
      reached(appFixed)
        ? `p99 at ${FIXED_RATE} requests/s: ${fmt(appFixed.latencyP99)} ms (target < ${TARGET_P99_MS} ms) — ${p99Met ? "met" : "NOT met"}`
        : `p99 at ${FIXED_RATE} requests/s: not measurable — the app reached only ${appFixed.requestsPerSecond.toFixed(0)} requests/s on this machine (target < ${TARGET_P99_MS} ms NOT met)`,
    );
    const limited = appFull.statusCodes["429"] ?? 0;
    console.log(
      `Rate limit: production default (${RATE_PER_TOKEN} requests/s and burst 100 per token per process), not changed; requests were spread over ` +
        `${TOKENS} tokens in turn, so it allows up to ${(TOKENS * RATE_PER_TOKEN).toLocaleString("en")} requests/s — 429 answers: ${limited}` +
        (limited ? " (the limit was reached: raise BENCH_TOKENS)" : ""),
    );

    let profile: ({ file: string } & ReturnType<typeof topCosts>) | null = null;
    if (PROFILE) {
      // With several workers (and the cluster's primary) each process writes one: read the largest.
      const file = fs
        .readdirSync(profileDir)
        .filter((f) => f.endsWith(".cpuprofile") && !profilesBefore.has(f))
        .sort((a, b) => fs.statSync(path.join(profileDir, b)).size - fs.statSync(path.join(profileDir, a)).size)[0];
      if (file) {
        profile = { file: path.join("bench/results/profiles", file), ...topCosts(path.join(profileDir, file), measuredFrom, measuredTo) };
        const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
        console.log(`\nApp server CPU profile (${profile.file}), the two measurements only: ${profile.busyMs} ms busy`);
        console.log("By package (self time):");
        for (const t of profile.packages) console.log(`  ${pct(t.share)}  ${t.name}`);
        console.log("Top functions (self time):");
        for (const t of profile.functions) console.log(`  ${pct(t.share)}  ${t.name}`);
      }
    }

    const out = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      settings: { appWorkers: WORKERS, baselineProcesses: 1, people: seeded.people, certificates: seeded.certificates, tools: tools.map((t) => t.id), tokens: TOKENS, connections: CONNECTIONS, durationSeconds: DURATION, fixedRate: FIXED_RATE, release },
      rateLimit: { perTokenPerSecond: RATE_PER_TOKEN, burst: 100, tokens: TOKENS, changed: false, responses429: limited },
      sampledAllowedShare: allowedShare,
      access: { fullLoad: appFull, fixedRate: appFixed },
      baseline: { fullLoad: bareFull, fixedRate: bareFixed },
      ratio,
      fixedRateReached: { access: reached(appFixed), baseline: reached(bareFixed) },
      targets: { ratio: TARGET_RATIO, p99AtFixedRateMs: TARGET_P99_MS },
      met: { ratio: ratioMet, p99: p99Met },
      profile,
    };
    fs.mkdirSync("bench/results", { recursive: true });
    const file = path.join("bench/results", `access-${out.date.slice(0, 19).replace(/:/g, "-")}.json`);
    fs.writeFileSync(file, JSON.stringify(out, null, 2));
    console.log(`Results written to ${file}`);
  } finally {
    for (const c of children) await stop(c);
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}
