// `npx tsx bench/reference.ts <result files…>`: gathers the result files of one run of the benchmark
// suite (npm run bench, and -- access, -- hr, -- exam, one after another on a machine doing nothing
// else) into bench/results/reference.json, the one results file kept in git (the README describes the run).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("Usage: npx tsx bench/reference.ts bench/results/<lesson>.json bench/results/access-….json …");
  process.exit(1);
}
const scenarioOf = (file: string) => {
  const name = path.basename(file);
  const m = /^(access|hr|exam|authoring|weight)-/.exec(name);
  return m ? m[1]! : "lesson";
};
const scenarios: Record<string, unknown> = {};
for (const file of files) {
  const scenario = scenarioOf(file);
  if (scenarios[scenario]) throw new Error(`Two result files for ${scenario}: give one per scenario`);
  scenarios[scenario] = { file: path.basename(file), ...JSON.parse(fs.readFileSync(file, "utf8")) };
}
const reference = {
  about:
    "One run of the benchmark suite on the project's machine, scenarios one after another while nothing else ran on it (see the README's Benchmark section). " +
    "Each scenario keeps its own file's content; compare ratios to the bare baseline of the same run, not absolute figures.",
  gatheredAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.type()} ${os.release()}` },
  scenarios,
};
fs.mkdirSync("bench/results", { recursive: true });
fs.writeFileSync("bench/results/reference.json", `${JSON.stringify(reference, null, 2)}\n`);
console.log(`bench/results/reference.json: ${Object.keys(scenarios).join(", ")}`);
