// npm run test:e2e: the browser tests, in independent groups run side by side (issue #14: "run browser
// tests in parallel where they are independent"). Each group is its own Vitest process with its own
// production server and database (tests/helpers/e2e-global-setup.ts), so groups cannot disturb each
// other; inside a group the files run one after another as before. The build is made once, first.
//
// MANABI_E2E_GROUPS=<n> sets the number of groups (default 1: on this project's 2-core machines two groups
// side by side pushed the heaviest browser tests past their time limits; use 2+ on a machine with 4+ cores).
// Arguments (a file, -t "name") run one Vitest process with them, for working on a single test.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const node = process.execPath;

const built = spawnSync(node, ["scripts/build-if-needed.mjs"], { stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);

const args = process.argv.slice(2);
if (args.length > 0) {
  const one = spawnSync(npx, ["vitest", "run", "--project", "e2e", ...args], { stdio: "inherit" });
  process.exit(one.status ?? 1);
}

// Each file's share of a sequential run (seconds, scaled from a run on the 2-core machine; a file not
// listed counts as 30 s).
// They only balance the groups: a wrong figure makes one group finish later, never a test fail.
const SECONDS = {
  "foundation.test.ts": 110,
  "exams.test.ts": 110,
  "learning.test.ts": 100,
  "accessibility-sweep.test.ts": 150,
  "sso.test.ts": 45,
  "certificates.test.ts": 40,
  "tools.test.ts": 40,
  "admin-webhooks.test.ts": 32,
  "assignments.test.ts": 32,
  "admin.test.ts": 28,
  "item-analysis.test.ts": 26,
  "team.test.ts": 23,
  "journey.test.ts": 22,
  "hr-import.test.ts": 21,
  "hr-dashboard.test.ts": 20,
  "security-headers.test.ts": 15,
  "request-id.test.ts": 10,
  "invitations.test.ts": 9,
  "page-texts.test.ts": 4,
  "header-menus.test.ts": 4,
  "hostile-requests.test.ts": 3,
  "api.test.ts": 2,
};

// CI's second pass (MANABI_CI_SKIP_DB_FREE=1, on the PostgreSQL server, after the first pass ran every
// browser test on PGlite in the same run) runs only the browser tests that cross the server's own
// database paths. What a browser shows does not depend on the database: the database work under every
// page is proven on both databases by the integration layer (each loader and action, the role × route
// matrix, the fast paths compared request by request with the Remix routes). What stays here runs the
// production server's own paths on postgres.js: the whole journey from a new learner to a certificate
// (its exam saves every answer through the autosave answered before Express, with prepared statements;
// resuming and a session ending mid-exam are proven on both databases by the integration layer), the API and hostile requests against the built server, the request id on error pages and
// the security headers. MANABI_E2E_ALL=1 runs every file on the second pass too.
const ON_BOTH_DATABASES = [
  "journey.test.ts",
  "api.test.ts",
  "hostile-requests.test.ts",
  "request-id.test.ts",
  "security-headers.test.ts",
];
const dir = "tests/e2e";
const secondPass = process.env.MANABI_CI_SKIP_DB_FREE === "1" && process.env.MANABI_E2E_ALL !== "1";
const all = fs.readdirSync(dir).filter((f) => f.endsWith(".test.ts")).sort();
for (const f of ON_BOTH_DATABASES) if (!all.includes(f)) throw new Error(`scripts/e2e.mjs names ${f}, which is not in ${dir}`);
const files = secondPass ? all.filter((f) => ON_BOTH_DATABASES.includes(f)) : all;
if (secondPass) {
  console.log(`CI's second pass (MANABI_CI_SKIP_DB_FREE=1): the browser tests that cross the server's database paths: ${files.join(", ")}.`);
  console.log(`Ran on the first pass only: ${all.filter((f) => !files.includes(f)).join(", ")}.`);
}
const wanted = Number(process.env.MANABI_E2E_GROUPS ?? 1);
const count = Math.max(1, Math.min(Number.isInteger(wanted) ? wanted : 1, files.length));

// Longest first, each to the group with the least work so far.
const groups = Array.from({ length: count }, () => ({ files: [], seconds: 0 }));
for (const file of [...files].sort((a, b) => (SECONDS[b] ?? 30) - (SECONDS[a] ?? 30) || a.localeCompare(b))) {
  const group = groups.reduce((least, g) => (g.seconds < least.seconds ? g : least));
  group.files.push(file);
  group.seconds += SECONDS[file] ?? 30;
}

console.log(`Browser tests: ${files.length} files in ${count} group(s), each with its own server and database${count > 1 ? ", side by side" : ""}.`);
const started = Date.now();
const results = await Promise.all(
  groups.map(
    (group, i) =>
      new Promise((resolve) => {
        const label = `e2e group ${i + 1}/${count}`;
        const child = spawn(npx, ["vitest", "run", "--project", "e2e", ...group.files.map((f) => path.join(dir, f))], {
          env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? "1" : "0") },
          stdio: ["ignore", "pipe", "pipe"],
        });
        // With one group the output streams as it comes; with several it is printed group by group.
        const chunks = [];
        const sink = count === 1 ? (d) => process.stdout.write(d) : (d) => chunks.push(d);
        child.stdout.on("data", sink);
        child.stderr.on("data", sink);
        child.on("close", (code, signal) => {
          const seconds = Math.round((Date.now() - started) / 100) / 10;
          if (count > 1) {
            console.log(`\n── ${label}: ${group.files.join(", ")}`);
            process.stdout.write(Buffer.concat(chunks));
          }
          console.log(`── ${label} ${code === 0 ? "passed" : "FAILED"} after ${seconds} s`);
          resolve(code ?? (signal ? 1 : 0));
        });
      }),
  ),
);
process.exit(results.some((code) => code !== 0) ? 1 : 0);
