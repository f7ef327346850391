// `npm start`: build if needed, then serve. On a PostgreSQL server (DATABASE_URL set) one worker process
// per core (node:cluster), WEB_CONCURRENCY to choose the number; on the embedded database (PGlite) one
// process, which serves in this same process so SIGINT/SIGTERM reach it directly.
//
// The first worker runs start-up alone (migrations, first content release); the others start once it is
// ready, so they never migrate at the same time. Each worker keeps its own in-memory state — the API
// rate limit per token (a per-process limit, see app/access/rate-limit.ts), the verified-token and
// release caches (both re-checked against the database within 2 s). A worker that dies is replaced.
import cluster from "node:cluster";
import os from "node:os";
import { buildIfNeeded } from "./build-if-needed.mjs";

function workerCount() {
  const given = process.env.WEB_CONCURRENCY;
  if (given === undefined || given === "") return os.availableParallelism?.() ?? os.cpus().length;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    console.error(`WEB_CONCURRENCY must be a whole number from 1 to 256 (got "${given}").`);
    process.exit(1);
  }
  return n;
}

if (cluster.isPrimary) {
  try {
    buildIfNeeded();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
process.env.NODE_ENV ??= "production";

const serverDatabase = Boolean(process.env.DATABASE_URL);
const workers = serverDatabase ? workerCount() : 1;

if (!cluster.isPrimary || workers === 1) {
  if (!serverDatabase && cluster.isPrimary) console.log("Embedded database (PGlite): one process (it serves one process at a time).");
  await import("../server.mjs");
} else {
  console.log(`PostgreSQL server: ${workers} worker processes (WEB_CONCURRENCY to change).`);
  let stopping = false;
  let firstReady = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on("message", (message) => {
      if (message?.type !== "manabi:ready" || firstReady) return;
      firstReady = true;
      for (let i = 1; i < workers; i++) fork();
    });
    return worker;
  };
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // Start-up failed in the first worker (bad settings, no database): the others would fail the same way.
    if (!firstReady) process.exit(code ?? 1);
    console.error(`Worker ${worker.process.pid} stopped (${signal ?? code}); starting another.`);
    fork();
  });
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} worker(s)…`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), 12_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  fork();
}
