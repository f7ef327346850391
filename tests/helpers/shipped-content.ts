import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { checkContent } from "~/content/load.server";
import type { CheckResult } from "~/content/types";

/**
 * The check of the shipped content/ (what `npm run content:check` reports), computed once and shared by
 * the test files that read the real curriculum: compiling every lesson in both languages takes seconds,
 * and several files run in separate workers. The result is kept in node_modules/.cache under a hash of
 * everything it depends on (content/, the compiler in app/content and app/mdx, the i18n set-up and the
 * locked packages), so a changed lesson or compiler is compiled afresh.
 */
const root = path.resolve(".");
const INPUTS = ["content", "app/content", "app/mdx", "app/i18n", "package-lock.json"];

function* files(p: string): Generator<string> {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return;
  if (fs.statSync(full).isFile()) yield p;
  else for (const entry of fs.readdirSync(full).sort()) yield* files(path.join(p, entry));
}

function inputsHash(): string {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    for (const file of files(input)) {
      hash.update(file);
      hash.update(fs.readFileSync(path.join(root, file)));
    }
  }
  return hash.digest("hex").slice(0, 32);
}

let memo: Promise<CheckResult> | null = null;

export function shippedContent(): Promise<CheckResult> {
  return (memo ??= load());
}

async function load(): Promise<CheckResult> {
  const dir = path.join(root, "node_modules/.cache/manabi-tests");
  const file = path.join(dir, `shipped-content-${inputsHash()}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as CheckResult;
  const result = await checkContent(path.join(root, "content"));
  fs.mkdirSync(dir, { recursive: true });
  // Written beside and renamed, so a worker never reads half a file.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(result));
  fs.renameSync(temp, file);
  for (const old of fs.readdirSync(dir)) {
    if (old.startsWith("shipped-content-") && old.endsWith(".json") && path.join(dir, old) !== file) fs.rmSync(path.join(dir, old), { force: true });
  }
  // A round trip through JSON, as the cached copy is read, so every run sees the same shapes.
  return JSON.parse(JSON.stringify(result)) as CheckResult;
}
