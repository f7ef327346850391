import { closeDatabase, databaseHandle } from "#db/client.server";
import { FIRST_START_PUBLISHER } from "~/content/publisher";
import { startAccessWorker, stopAccessWorker } from "~/access/access-worker.server";
import { startExamSweep, stopExamSweep } from "~/assessment/exam-sweep.server";
import { startAuthHousekeeping, stopAuthHousekeeping } from "~/auth/housekeeping.server";
import { startMailWorker, stopMailWorker } from "~/mail/mail-worker.server";
import { env, sessionSecret } from "~/env.server";
import { isOrganisationEmpty, seedDemoOrganisation } from "#db/seed/seed-demo.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "#db/seed/demo-org";
import { contentDir } from "~/content/authoring.server";
import { checkContent } from "~/content/load.server";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease } from "~/content/release.server";

type Log = (line: string) => void;

/** What the HTTP server (server.mjs, plain JS) needs from the parsed environment. */
export type ServerSettings = {
  port: number;
  host: string | undefined;
  trustProxy: number | boolean | string | undefined;
  secureCookies: boolean;
};

/**
 * Parses the environment (a bad value stops here, naming the variable) and returns what the HTTP
 * server needs to listen. server.mjs calls it first, listens, then runs `startup` while /readyz says 503.
 */
export function serverSettings(): ServerSettings {
  const config = env();
  sessionSecret();
  return { port: config.PORT, host: config.HOST, trustProxy: config.TRUST_PROXY, secureCookies: config.secureCookies };
}

/**
 * Runs once when the server starts: parses the environment, applies migrations and, on a fresh
 * embedded database, seeds the demo organisation. A PostgreSQL server (DATABASE_URL) is never seeded
 * by itself.
 */
export async function startup(log: Log = console.log): Promise<ServerSettings> {
  const settings = serverSettings();
  const config = env();
  const handle = databaseHandle();
  await handle.migrate();
  log(handle.kind === "pglite" ? "Database: embedded PostgreSQL (PGlite)" : "Database: PostgreSQL server (DATABASE_URL)");
  await publishBundledContentIfNone(log);
  // The embedded database is the demo; a server database is seeded only on request (db:seed-demo).
  // MANABI_DEMO=0 starts the embedded database without it.
  if ((handle.kind === "pglite" && config.MANABI_DEMO !== "0") || config.MANABI_SEED_DEMO === "1") {
    const { seeded, people } = await seedDemoOrganisation(handle.db);
    if (seeded) log(`Seeded the demo organisation (${people} people).`);
    log("Demo accounts (password: " + DEMO_PASSWORD + "):");
    for (const a of DEMO_ACCOUNTS) log(`  ${a.role.padEnd(8)} ${a.email}`);
  } else if (await isOrganisationEmpty(handle.db)) {
    log("Nobody can sign in yet. Create the first admin with:");
    log('  npm run user:create -- --email you@example.com --name "山田 太郎" --role admin');
  }
  await startAuthHousekeeping(log);
  startExamSweep(log);
  startAccessWorker(log);
  startMailWorker(log);
  return settings;
}

/** On an empty database, publish the bundled content/ as release #1 so learners have courses at once. */
async function publishBundledContentIfNone(log: Log): Promise<void> {
  if (await getCurrentRelease()) return;
  const result = await checkContent(contentDir());
  if (!result.bundle) {
    const errors = result.problems.filter((p) => p.severity === "error");
    log(`The bundled content has ${errors.length} error(s) and was not published; run npm run content:check.`);
    return;
  }
  const published = await publishRelease(result.bundle, { id: null, name: FIRST_START_PUBLISHER });
  if (published.published) log(`Published the bundled content as release #${published.number}.`);
}

export async function shutdown(): Promise<void> {
  stopAuthHousekeeping();
  stopExamSweep();
  await stopAccessWorker();
  await stopMailWorker();
  await closeDatabase();
}
