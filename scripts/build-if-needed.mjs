// Builds the app when its sources changed since the last build (a hash of the files, kept in build/).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const inputs = ["app", "public", "db/schema", "vite.config.ts", "remix.config.js", "package-lock.json", "tsconfig.json"];

function* files(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return;
  const stat = fs.statSync(full);
  if (stat.isFile()) yield p;
  else for (const entry of fs.readdirSync(full).sort()) yield* files(path.join(p, entry));
}

export function sourceHash() {
  const hash = createHash("sha256");
  for (const input of inputs) {
    for (const file of files(input)) {
      hash.update(file);
      hash.update(fs.readFileSync(path.join(root, file)));
    }
  }
  return hash.digest("hex");
}

export function buildIfNeeded({ log = console.log } = {}) {
  const stamp = path.join(root, "build", ".source-hash");
  const current = sourceHash();
  const built = fs.existsSync(path.join(root, "build/server/index.js")) && fs.existsSync(stamp)
    ? fs.readFileSync(stamp, "utf8")
    : null;
  if (built === current) return false;
  log("Building Manabi (first start or sources changed)…");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root,
    // Always a production build: called from a test run (NODE_ENV=test, e.g. faults.test.ts) Vite would
    // otherwise bundle React's development build (the exam page's JavaScript went from 139 KB to 194 KB
    // gzipped), and the stamp below makes `npm start` and the benchmarks reuse it.
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error("The build failed; see the messages above.");
  fs.writeFileSync(stamp, current);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildIfNeeded();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
