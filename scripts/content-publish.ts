// `npm run content:publish`: checks content/ and writes it as the next numbered content release.
// With the embedded database, stop the running app first (PGlite serves one process at a time),
// or publish from the Authoring page instead.
import os from "node:os";
import path from "node:path";
import cliProgress from "cli-progress";
import pc from "picocolors";
import { closeDatabase, databaseHandle } from "#db/client.server";
import { countChanges } from "~/content/diff";
import { checkContent } from "~/content/load.server";
import { publishRelease } from "~/content/publish.server";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = path.resolve(option("--dir") ?? process.env.CONTENT_DIR ?? "content");
const publisher = option("--by") ?? `${os.userInfo().username} (command line)`;
const interactive = Boolean(process.stdout.isTTY);
const bar = new cliProgress.SingleBar(
  { format: " {bar} {percentage}% | {step}", hideCursor: true, noTTYOutput: !interactive, notTTYSchedule: 100000 },
  cliProgress.Presets.shades_classic,
);
const STEPS = ["checking content", "migrating database", "locking", "comparing", "writing", "done"] as const;
let at = 0;
const step = (name: (typeof STEPS)[number]) => {
  at = STEPS.indexOf(name);
  if (interactive) bar.update(at, { step: name });
  else console.log(`… ${name}`);
};

async function main(): Promise<number> {
  if (interactive) bar.start(STEPS.length - 1, 0, { step: STEPS[0] });
  step("checking content");
  const result = await checkContent(dir);
  const errors = result.problems.filter((p) => p.severity === "error");
  if (!result.bundle || errors.length) {
    if (interactive) bar.stop();
    for (const p of result.problems) console.error(`${p.file}:${p.line}:${p.column}  ${p.severity}  ${p.message}\n    hint: ${p.hint}`);
    console.error(pc.red(`✖ Not published: ${errors.length} error(s). Run npm run content:check for details.`));
    return 1;
  }
  step("migrating database");
  await databaseHandle().migrate();
  const published = await publishRelease(result.bundle, { id: null, name: publisher }, { onStep: (s) => step(s) });
  if (interactive) bar.stop();
  for (const p of result.problems) console.log(pc.yellow(`${p.file}:${p.line}:${p.column}  warning  ${p.message}`));
  if (!published.published) {
    console.log(`Nothing to publish: content/ is the same as release #${published.number}.`);
    return 0;
  }
  const s = published.summary;
  console.log(pc.green(`✔ Published release #${published.number} (${countChanges(s)} change(s)).`));
  for (const [kind, parts] of Object.entries(s)) {
    for (const [change, ids] of Object.entries(parts as Record<string, string[]>)) {
      if (ids.length) console.log(`  ${kind} ${change}: ${ids.join(", ")}`);
    }
  }
  for (const stale of published.stale) {
    console.log(pc.yellow(`  warning: ${stale.kind} ${stale.id} changed in one language only; the ${stale.stale} version may be out of date`));
  }
  return 0;
}

main()
  .then(async (code) => {
    await closeDatabase();
    process.exit(code);
  })
  .catch(async (error) => {
    if (interactive) bar.stop();
    console.error(pc.red(`✖ Publishing failed; the previous release stays live.\n  ${error instanceof Error ? error.message : String(error)}`));
    await closeDatabase().catch(() => {});
    process.exit(1);
  });
