// npm test: type-check, unit, integration and browser tests, one layer after another, stopping at the
// first failing layer, and printing how long each layer took.
//
// MANABI_CI_SKIP_DB_FREE=1 (set only by .ci/run for its second pass, after the first pass ran them)
// skips the layers that do not touch the database (type-check and unit tests): they cannot give a
// different answer on another database. MANABI_TEST_TIMINGS=<file> appends "label layer seconds" lines
// there (label: MANABI_TEST_LABEL), so CI can print a table of every pass at the end.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const LAYERS = [
  { name: "typecheck", script: "typecheck", dbFree: true },
  { name: "unit", script: "test:unit", dbFree: true },
  { name: "integration", script: "test:integration", dbFree: false },
  { name: "e2e", script: "test:e2e", dbFree: false },
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

for (const layer of LAYERS) {
  if (layer.dbFree && skipDbFree) {
    const why = "skipped: MANABI_CI_SKIP_DB_FREE=1 (CI's first pass already ran this database-free layer in this run)";
    console.log(`\n== ${layer.name}: ${why}`);
    record(layer.name, null, why);
    continue;
  }
  console.log(`\n== ${layer.name} (npm run ${layer.script})`);
  const started = Date.now();
  const result = spawnSync(npm, ["run", layer.script], { stdio: "inherit" });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const failed = result.status !== 0;
  record(layer.name, seconds, failed ? "FAILED" : "");
  console.log(`== ${layer.name} took ${seconds} s${failed ? " and failed" : ""}`);
  if (failed) {
    summary();
    process.exit(result.status ?? 1);
  }
}
summary();
