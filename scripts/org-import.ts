// `npm run org:import -- FILE [--apply] [--encoding utf-8|shift_jis] [--confirm-deactivations]`
// Without --apply: a dry run that prints what would be created, changed and deactivated, and every
// problem with its row. Exit codes: 0 no errors (warnings allowed), 1 errors or failure, 2 bad arguments.
// With the embedded database, stop the running app first (PGlite serves one process at a time), or
// import from the HR page instead.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import i18next from "i18next";
import pc from "picocolors";
import { closeDatabase, databaseHandle, EmbeddedDatabaseInUseError } from "#db/client.server";
import { resources } from "~/i18n/config";
import { IMPORT_ENCODINGS, type ImportEncoding } from "~/org/import/decode";
import { analyseFile, applyText } from "~/org/import/org-import.server";
import { problemMessage } from "~/org/import/problem-message";

const USAGE = `Usage: npm run org:import -- FILE [--apply] [--encoding utf-8|shift_jis] [--confirm-deactivations]
  FILE                     the HR system's CSV (UTF-8 with or without BOM, or Shift_JIS/CP932)
  --apply                  write the changes (without it: a dry run)
  --encoding               utf-8 or shift_jis (default: detected)
  --confirm-deactivations  needed when more than 10% of active people would be deactivated`;

function usage(message: string): never {
  console.error(pc.red(`✖ ${message}`));
  console.error(`\n${USAGE}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseArgs<{ options: { apply: { type: "boolean" }; encoding: { type: "string" }; "confirm-deactivations": { type: "boolean" }; help: { type: "boolean" } }; allowPositionals: true }>>;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    options: { apply: { type: "boolean" }, encoding: { type: "string" }, "confirm-deactivations": { type: "boolean" }, help: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) usage(positionals.length ? "Give one file." : "Give the CSV file to import.");
const encodingArg = values.encoding?.toLowerCase().replace("sjis", "shift_jis").replace("utf8", "utf-8");
if (encodingArg !== undefined && !(IMPORT_ENCODINGS as readonly string[]).includes(encodingArg)) usage(`--encoding must be utf-8 or shift_jis, not "${values.encoding}".`);
const encoding = encodingArg as ImportEncoding | undefined;
const file = path.resolve(positionals[0]!);

const t = i18next.createInstance();
await t.init({ lng: "en", resources, defaultNS: "common", interpolation: { escapeValue: false } });
const tr = (key: string, v?: Record<string, unknown>) => t.t(key, v) as string;

async function main(): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    console.error(pc.red(`✖ Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`));
    return 1;
  }
  const started = Date.now();
  await databaseHandle().migrate();
  const analysis = await analyseFile(bytes, { encoding });
  for (const p of analysis.problems) {
    const line = `row ${p.row}${p.column ? ` (${p.column})` : ""}  ${p.severity}  ${problemMessage(tr, p)}`;
    if (p.severity === "error") console.error(pc.red(line));
    else console.log(pc.yellow(line));
  }
  if (analysis.encoding) console.log(`Read as ${analysis.encoding === "utf-8" ? "UTF-8" : "Shift_JIS (CP932)"}.`);
  if (!analysis.plan || !analysis.text) {
    console.error(pc.red(`✖ ${analysis.errors} error(s), ${analysis.warnings} warning(s). Nothing was changed.`));
    return 1;
  }
  const plan = analysis.plan;
  console.log(
    `${plan.created.length} to add, ${plan.changed.length} to change, ${plan.unchanged} unchanged, ${plan.deactivated.length} to deactivate, ${plan.newDepartments.length} new department(s); ${analysis.warnings} warning(s).`,
  );
  for (const p of plan.changed.slice(0, 20)) {
    console.log(`  row ${p.row} ${p.employeeNumber}: ${p.changes.map((c) => `${c.field} ${c.from ?? "(empty)"} → ${c.to ?? "(empty)"}`).join("; ")}`);
  }
  if (plan.changed.length > 20) console.log(`  … and ${plan.changed.length - 20} more changed`);
  for (const p of plan.deactivated.slice(0, 20)) console.log(`  deactivate ${p.employeeNumber ?? "(no number)"} ${p.familyName} ${p.givenName} <${p.email}>`);
  if (plan.deactivated.length > 20) console.log(`  … and ${plan.deactivated.length - 20} more to deactivate`);
  if (plan.needsConfirmation && !values["confirm-deactivations"]) {
    const message = `This deactivates ${plan.deactivations} of ${plan.activeBefore} active people (more than 10%).`;
    if (values.apply) {
      console.error(pc.red(`✖ ${message} Run again with --confirm-deactivations to apply. Nothing was changed.`));
      return 1;
    }
    console.log(pc.yellow(`! ${message} Applying will need --confirm-deactivations.`));
  }
  if (!values.apply) {
    console.log(pc.green(`✔ Dry run in ${((Date.now() - started) / 1000).toFixed(1)} s. Run again with --apply to write these changes.`));
    return 0;
  }
  const interactive = Boolean(process.stdout.isTTY);
  const bar = new cliProgress.SingleBar(
    { format: " {bar} {percentage}% | {value}/{total} people", hideCursor: true, noTTYOutput: !interactive, notTTYSchedule: 100000 },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  const outcome = await applyText(analysis.text, {
    via: "command-line",
    confirmDeactivations: Boolean(values["confirm-deactivations"]),
    fileName: path.basename(file),
    encoding: analysis.encoding ?? undefined,
    onProgress: (done, total) => {
      if (!interactive) return;
      if (!barStarted) {
        bar.start(total, done);
        barStarted = true;
      } else bar.update(done);
    },
  });
  if (barStarted) bar.stop();
  if (outcome.kind !== "applied") {
    console.error(pc.red(`✖ Not applied (${outcome.kind}): the organisation changed while checking. Run the command again.`));
    return 1;
  }
  const s = outcome.summary;
  console.log(
    pc.green(`✔ Applied in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.created} added, ${s.changed} changed, ${s.deactivated} deactivated, ${s.newDepartments} new department(s).`),
  );
  return 0;
}

main()
  .then(async (code) => {
    await closeDatabase();
    process.exit(code);
  })
  .catch(async (error) => {
    if (error instanceof EmbeddedDatabaseInUseError) console.error(pc.red(`✖ ${error.message}`));
    else console.error(pc.red(`✖ The import failed; nothing was changed.\n  ${error instanceof Error ? error.message : String(error)}`));
    await closeDatabase().catch(() => {});
    process.exit(1);
  });
