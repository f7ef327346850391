import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/** Starts Manabi's start-up on a new, empty embedded database in a child process. */
function startOnEmptyEmbeddedDatabase(extra: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-start-"));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", PGLITE_DIR: path.join(dir, "pglite"), ...extra };
    delete env.DATABASE_URL;
    const run = spawnSync(process.execPath, ["--import", "tsx", "tests/helpers/startup-then-count.ts"], { cwd: root, env, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { people: number; log: string[] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the first start of the embedded database", () => {
  it("seeds the demo company by default", () => {
    const result = startOnEmptyEmbeddedDatabase({});
    expect(result.people).toBe(40);
    expect(result.log.join("\n")).toContain("Seeded the demo organisation");
  }, 150_000);

  it("starts empty with MANABI_DEMO=0 and says how to create the first admin", () => {
    // The small valid content fixture: publishing the shipped courses at start-up is proven above.
    const result = startOnEmptyEmbeddedDatabase({ MANABI_DEMO: "0", CONTENT_DIR: path.join(root, "tests/fixtures/content/valid") });
    expect(result.people).toBe(0);
    expect(result.log.join("\n")).toContain("npm run user:create");
    expect(result.log.join("\n")).toContain("Published the bundled content");
  }, 150_000);
});
