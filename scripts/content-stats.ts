// `npm run content:stats`: how the question banks measure. Per bank: items by type and use, where the
// key sits, how often the key is the longest option (English and Japanese) and which keys are much
// longer than every distractor; per domain: items, and each track's draw against its exam items.
//   tsx scripts/content-stats.ts [--json] [--dir content]
// The figures come from the valid questions and tracks, so they print even while other files have
// errors (run content:check for those). Exit code 0, or 2 on a wrong command line.
import path from "node:path";
import { createColors } from "picocolors";
import { checkContent } from "~/content/load.server";
import { KEY_LONGEST_LIMIT, MUCH_LONGER, percent, POOL_FACTOR, type QuestionStats } from "~/content/question-stats";

const USAGE = "usage: tsx scripts/content-stats.ts [--json] [--dir <content folder>]";

function parseArgs(argv: string[]): { json: boolean; dir: string } | string {
  let json = false;
  let dir = "content";
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--dir") {
      const value = argv[i + 1];
      if (!value) return "--dir needs a folder";
      dir = value;
      i += 1;
    } else if (arg.startsWith("--dir=")) dir = arg.slice("--dir=".length);
    else if (arg === "--help" || arg === "-h") return "";
    else return `unknown argument: ${arg}`;
  }
  return { json, dir };
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

function formatStats(stats: QuestionStats, c = createColors(false)): string {
  const out: string[] = [];
  const flag = (text: string, bad: boolean) => (bad ? c.yellow(`${text} !`) : text);

  out.push(c.bold("Question banks"), "");
  out.push(
    table(
      ["bank", "items", "exam", "practice", "single", "multiple", "true/false", "key at a/b/c/d/e", "key longest en", "key longest ja", "much longer en/ja"],
      stats.banks.map((b) => [
        b.courseId,
        b.counts.total,
        b.counts.exam,
        b.counts.practice,
        `${b.counts.single.exam}+${b.counts.single.practice}`,
        `${b.counts.multiple.exam}+${b.counts.multiple.practice}`,
        `${b.counts.truefalse.exam}+${b.counts.truefalse.practice}`,
        b.answerPositions.join("/"),
        flag(`${b.keyLongest.en}/${b.single} ${percent(b.keyLongestShare.en)}`, b.keyLongestShare.en > KEY_LONGEST_LIMIT),
        flag(`${b.keyLongest.ja}/${b.single} ${percent(b.keyLongestShare.ja)}`, b.keyLongestShare.ja > KEY_LONGEST_LIMIT),
        `${b.muchLonger.filter((m) => m.lang === "en").length}/${b.muchLonger.filter((m) => m.lang === "ja").length}`,
      ]),
    ),
  );
  out.push(
    "",
    c.dim(
      `single, multiple, true/false: exam+practice items. Key longest: single-choice items whose key is longer than every distractor (limit ${percent(
        KEY_LONGEST_LIMIT,
      )}, chance 25% with four options).`,
    ),
    c.dim(
      `Much longer: key ≥ ${MUCH_LONGER.ratio}× the longest distractor and ≥ ${MUCH_LONGER.extra.en} (en) / ${MUCH_LONGER.extra.ja} (ja) characters longer.`,
    ),
  );
  for (const b of stats.banks) {
    if (b.muchLonger.length === 0) continue;
    out.push("", `${b.courseId}: keys much longer than every distractor`);
    for (const m of b.muchLonger) out.push(`  ${m.id} (${m.lang}): key ${m.key} characters, longest distractor ${m.distractor}`);
  }

  out.push("", c.bold("Domains"), "");
  const rows: (string | number)[][] = [];
  for (const d of stats.domains) {
    const base = [d.domain, d.counts.total, d.counts.exam, d.counts.practice];
    if (d.draws.length === 0) rows.push([...base, "-", "-", "-", "-"]);
    for (const draw of d.draws) {
      rows.push([...base, draw.trackId, draw.count, draw.examItems, flag(`${draw.ratio.toFixed(1)}×`, draw.examItems < draw.count * POOL_FACTOR)]);
    }
  }
  out.push(table(["domain", "items", "exam", "practice", "track", "draw", "exam items in track", "exam/draw"], rows));
  out.push("", c.dim(`exam/draw: each domain should hold ${POOL_FACTOR}× its draw in exam items (three attempts without repeats).`));
  return out.join("\n");
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    if (args) console.error(args);
    console.error(USAGE);
    return args ? 2 : 0;
  }
  const result = await checkContent(path.resolve(args.dir));
  const stats = result.stats ?? { banks: [], domains: [] };
  const errors = result.problems.filter((p) => p.severity === "error").length;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ errors, ...stats }, null, 2)}\n`);
    return 0;
  }
  const c = createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  process.stdout.write(`${formatStats(stats, c)}\n`);
  if (errors) process.stdout.write(`\n${c.yellow(`The content has ${errors} error${errors === 1 ? "" : "s"}: invalid questions and tracks are left out (run npm run content:check).`)}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`✖ content stats failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
