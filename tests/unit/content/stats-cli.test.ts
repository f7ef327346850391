import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VALID_FIXTURE } from "./fixture";

const SCRIPT = path.resolve("scripts/content-stats.ts");

/** Runs the script the way `npm run content:stats` does (tsx), with stdout a pipe. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, ...args], {
      cwd: path.resolve("."),
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run content:stats", () => {
  it("prints the bank and domain tables with both languages' key-length figures", async () => {
    const { code, stdout } = await run(["--dir", VALID_FIXTURE]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    // intro: 9 items, 6 exam, 3 practice; single 2+1; keys at a/b: 1/2; the English key is the longest in 1 of 3.
    expect(lines.find((l) => l.startsWith("intro"))!.split(/\s{2,}/)).toEqual(["intro", "9", "6", "3", "2+1", "0+1", "4+1", "1/2", "1/3 33%", "0/3 0%", "0/0"]);
    expect(lines.find((l) => l.startsWith("basics"))!.split(/\s{2,}/)).toEqual(["basics", "5", "3", "2", "starter", "1", "3", "3.0×"]);
  }, 60_000);

  it("prints the figures as JSON with --json", async () => {
    const { code, stdout } = await run(["--json", "--dir", VALID_FIXTURE]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { errors: number; banks: { courseId: string; single: number }[]; domains: unknown[] };
    expect(report.errors).toBe(0);
    expect(report.banks).toEqual([expect.objectContaining({ courseId: "intro", single: 3 })]);
    expect(report.domains).toHaveLength(2);
  }, 60_000);

  it("refuses an unknown argument with exit code 2", async () => {
    const { code, stderr } = await run(["--bogus"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown argument: --bogus");
  }, 60_000);
});
