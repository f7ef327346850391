// `npm run content:check`: validates content/ and prints every problem at once, with file:line:column.
//   tsx scripts/content-check.ts [--json] [--dir content] [--against-release]
// --against-release also compares with the newest published release (DATABASE_URL, else the embedded
// database: stop the app first) and warns about translations that may have fallen behind.
// Exit code 1 when there is an error (warnings alone pass), 2 on a wrong command line.
import path from "node:path";
import { createColors } from "picocolors";
import { checkContent, countBundle } from "~/content/load.server";
import type { Problem } from "~/content/types";

const USAGE = "usage: tsx scripts/content-check.ts [--json] [--dir <content folder>] [--against-release]";

function parseArgs(argv: string[]): { json: boolean; dir: string; againstRelease: boolean } | string {
  let json = false;
  let againstRelease = false;
  let dir = "content";
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--against-release") againstRelease = true;
    else if (arg === "--dir") {
      const value = argv[i + 1];
      if (!value) return "--dir needs a folder";
      dir = value;
      i += 1;
    } else if (arg.startsWith("--dir=")) dir = arg.slice("--dir=".length);
    else if (arg === "--help" || arg === "-h") return "";
    else return `unknown argument: ${arg}`;
  }
  return { json, dir, againstRelease };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    if (args) console.error(args);
    console.error(USAGE);
    return args ? 2 : 0;
  }

  const result = await checkContent(path.resolve(args.dir));
  if (args.againstRelease && result.bundle) {
    const { closeDatabase, databaseHandle } = await import("#db/client.server");
    const { previewAgainstLatest } = await import("~/content/publish.server");
    const { staleTranslationProblems } = await import("~/content/diff");
    await databaseHandle().migrate();
    const comparison = await previewAgainstLatest(result.bundle);
    if (comparison.latestNumber !== null) {
      result.problems.push(...staleTranslationProblems(comparison.stale, result.bundle, comparison.latestNumber));
    }
    await closeDatabase();
  }
  const errors = result.problems.filter((p) => p.severity === "error");
  const warnings = result.problems.filter((p) => p.severity === "warning");
  const counts = result.bundle ? countBundle(result.bundle) : null;

  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ok: errors.length === 0, problems: result.problems, counts }, null, 2)}\n`);
    return errors.length ? 1 : 0;
  }

  const c = createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const lines: string[] = [];
  let lastFile: string | null = null;
  for (const p of result.problems) {
    if (lastFile !== null && p.file !== lastFile) lines.push("");
    lastFile = p.file;
    lines.push(formatProblem(p, c));
  }
  if (lines.length) lines.push("");

  if (errors.length === 0 && counts) {
    const summary = [
      plural(counts.courses, "course"),
      plural(counts.lessons, "lesson"),
      plural(counts.questions, "question"),
      plural(counts.tracks, "track"),
      plural(counts.tools, "tool"),
      plural(counts.terms, "term"),
    ].join(", ");
    lines.push(c.green(`✔ content is valid: ${summary}${warnings.length ? ` (${plural(warnings.length, "warning")})` : ""}`));
  } else {
    lines.push(c.red(`✖ ${plural(errors.length, "error")}, ${plural(warnings.length, "warning")}`));
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return errors.length ? 1 : 0;
}

function formatProblem(p: Problem, c: ReturnType<typeof createColors>): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  const severity = p.severity === "error" ? c.red("error") : c.yellow("warning");
  return `${c.bold(where)}  ${severity}  ${p.message}${c.dim(`  [${p.code}]`)}\n    ${c.dim("hint:")} ${p.hint}`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // checkContent turns bad content into problems; reaching this is a bug in the checker itself.
    console.error(`✖ content check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
