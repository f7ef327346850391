// npm test: type-check, unit, integration and browser tests, stopping at the first failing stage, and
// printing how long each layer took. The type-check and the production build run beside the unit tests
// (each leaves cores idle part of the time; their output is printed when they end); the database layers
// run one after another.
//
// MANABI_CI_SKIP_DB_FREE=1 (set only by .ci/run for its second pass, after the first pass ran them)
// skips the layers that do not touch the database (type-check and unit tests): they cannot give a
// different answer on another database. MANABI_TEST_TIMINGS=<file> appends "label layer seconds" lines
// there (label: MANABI_TEST_LABEL), so CI can print a table of every pass at the end.
import { spawn } from "node:child_process";
import fs from "node:fs";

// Each stage's layers run side by side; the stages run one after another.
const STAGES = [
  [
    { name: "typecheck", script: "typecheck", dbFree: true, buffered: true },
    { name: "unit", script: "test:unit", dbFree: true },
    // The production build the browser tests and the server-level integration tests run (made only when
    // the sources changed since the last one: a second pass finds it made).
    { name: "build", script: "build:if-needed", dbFree: false, buffered: true },
  ],
  [{ name: "integration", script: "test:integration", dbFree: false }],
  [{ name: "e2e", script: "test:e2e", dbFree: false }],
];

const skipDbFree = process.env.MANABI_CI_SKIP_DB_FREE === "1";
const label = process.env.MANABI_TEST_LABEL ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const rows = [];

function record(layer, seconds, note) {
  rows.push({ layer, seconds, note });
  if (process.env.MANABI_TEST_TIMINGS) fs.appendFileSync(process.env.MANABI_TEST_TIMINGS, `${label} ${layer} ${seconds ?? "-"}\n`);
}

function summary() {
  console.log(`\n== time per layer (${label})`);
  for (const { layer, seconds, note } of rows) console.log(`   ${layer.padEnd(12)} ${seconds === null ? "     -" : `${String(seconds).padStart(5)} s`}${note ? `  ${note}` : ""}`);
}

function run(layer) {
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks = [];
    const child = spawn(npm, ["run", layer.script], { stdio: layer.buffered ? ["ignore", "pipe", "pipe"] : "inherit" });
    if (layer.buffered) {
      child.stdout.on("data", (d) => chunks.push(d));
      child.stderr.on("data", (d) => chunks.push(d));
    }
    child.on("close", (code, signal) => {
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      const failed = code !== 0 || signal !== null;
      if (layer.buffered) {
        console.log(`\n== ${layer.name} (npm run ${layer.script}), which ran beside the other layers of its stage:`);
        process.stdout.write(Buffer.concat(chunks));
      }
      console.log(`== ${layer.name} took ${seconds} s${failed ? " and failed" : ""}`);
      resolve({ layer, seconds, failed });
    });
  });
}

for (const stage of STAGES) {
  const layers = stage.filter((layer) => {
    if (!(layer.dbFree && skipDbFree)) return true;
    const why = "skipped: MANABI_CI_SKIP_DB_FREE=1 (CI's first pass already ran this database-free layer in this run)";
    console.log(`\n== ${layer.name}: ${why}`);
    record(layer.name, null, why);
    return false;
  });
  if (layers.length === 0) continue;
  console.log(`\n== ${layers.map((l) => `${l.name} (npm run ${l.script})`).join(" beside ")}`);
  const results = await Promise.all(layers.map(run));
  for (const r of results) record(r.layer.name, r.seconds, r.failed ? "FAILED" : "");
  if (results.some((r) => r.failed)) {
    summary();
    process.exit(1);
  }
}
summary();
