import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VALID_FIXTURE } from "./fixture";

const SCRIPT = path.resolve("scripts/content-check.ts");
const ANSI = /\u001b\[/;

/** Runs the CLI the way `npm run content:check` does (tsx), with stdout a pipe (not a TTY). */
function run(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, ...args], {
      cwd: path.resolve("."),
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env },
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

let broken: string;

beforeAll(async () => {
  broken = await mkdtemp(path.join(os.tmpdir(), "manabi-cli-"));
  await cp(VALID_FIXTURE, broken, { recursive: true });
  const tool = path.join(broken, "tools/chat.yaml");
  await writeFile(tool, (await readFile(tool, "utf8")).replace("requiredTracks: [starter]", "requiredTracks: [expert]"));
  const lesson = path.join(broken, "courses/intro/01-what.en.mdx");
  await writeFile(lesson, (await readFile(lesson, "utf8")).replace("## How it writes", "<script>alert(1)</script>\n\n## How it writes"));
});

afterAll(async () => {
  await rm(broken, { recursive: true, force: true });
});

describe("content:check command", () => {
  it("exits 0 and prints the summary for valid content", async () => {
    const { code, stdout, stderr } = await run(["--dir", VALID_FIXTURE]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("✔ content is valid: 1 course, 2 lessons, 9 questions, 1 track, 1 tool, 2 terms");
  }, 30_000);

  it("exits 1 and prints every problem as file:line:column with a hint", async () => {
    const { code, stdout, stderr } = await run(["--dir", broken]);
    expect(code).toBe(1);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^courses\/intro\/01-what\.en\.mdx:10:1 {2}error {2}HTML tags such as <script> are not allowed/m);
    expect(stdout).toMatch(/^tools\/chat\.yaml:6:18 {2}error {2}The track "expert" does not exist/m);
    expect(stdout).toMatch(/^ {4}hint: /m);
    expect(stdout).toContain("✖ 2 errors, 0 warnings");
    expect(stdout).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it("prints only JSON with --json", async () => {
    const { code, stdout } = await run(["--json", "--dir", broken]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; problems: { code: string; file: string; line: number }[]; counts: unknown };
    expect(report.ok).toBe(false);
    expect(report.counts).toBeNull();
    expect(report.problems.map((p) => [p.code, p.file, p.line])).toEqual([
      ["unknown-component", "courses/intro/01-what.en.mdx", 10],
      ["unknown-track", "tools/chat.yaml", 6],
    ]);

    const valid = JSON.parse((await run(["--json", "--dir", VALID_FIXTURE])).stdout) as { ok: boolean; counts: Record<string, number> };
    expect(valid.ok).toBe(true);
    expect(valid.counts).toMatchObject({ courses: 1, lessons: 2, questions: 9, tracks: 1, tools: 1, terms: 2 });
  }, 30_000);

  it("prints no colour codes when stdout is not a terminal", async () => {
    const { stdout } = await run(["--dir", broken], { FORCE_COLOR: "1" });
    expect(stdout).not.toMatch(ANSI);
  }, 30_000);

  it("rejects an unknown argument with its usage and exit code 2", async () => {
    const { code, stderr } = await run(["--frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toContain("usage:");
  }, 30_000);
});
