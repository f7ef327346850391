import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "~/env.server";
import * as schema from "./schema";

/**
 * One Drizzle schema, two drivers: DATABASE_URL set → a PostgreSQL server through postgres.js;
 * unset → embedded PostgreSQL (PGlite) persisted under PGLITE_DIR (default .data/pglite).
 * The query builder API is the same on both; the type is the postgres.js one.
 */
export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type DatabaseConfig = { url?: string; pgliteDir?: string };

/**
 * Statements sent since the process started (Drizzle's query log, counted, never printed): tests and
 * `npm run bench` use it to see how many round trips a page view costs.
 */
let statementsSent = 0;
const countStatements = { logQuery: () => void statementsSent++ };
export function statementCount(): number {
  return statementsSent;
}

type Handle = {
  db: Database;
  kind: "pglite" | "postgres";
  migrate: () => Promise<void>;
  close: () => Promise<void>;
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function migrationsFolder(): string {
  // Works from db/ in source and from build/server in the production bundle.
  const candidates = [
    path.join(root, "db/migrations"),
    path.join(root, "../db/migrations"),
    path.resolve(process.cwd(), "db/migrations"),
  ];
  const found = candidates.find((c) => fs.existsSync(path.join(c, "meta/_journal.json")));
  if (!found) throw new Error(`Database migrations not found (looked in ${candidates.join(", ")})`);
  return found;
}

export function openDatabase(config: DatabaseConfig): Handle {
  if (config.url) {
    // JIT off: the planner overestimates recursive org-chart queries (reporting lines, department trees) and
    // spent 1–3 s compiling plans that run in milliseconds. Our queries are short OLTP and report queries.
    // connect_timeout 5 s (postgres.js waits 30 s): when the server refuses a new connection during its
    // startup (a database not accepting connections, a failover), postgres.js retries at once and a query
    // can wait on that connection until the timeout (porsager/postgres#1193) — a reader would wait half a
    // minute for the error page, and for pages again once the database is back.
    const client = postgres(config.url, { max: 10, connect_timeout: 5, onnotice: () => {}, connection: { jit: "off" } });
    const db = drizzlePostgres(client, { schema, logger: countStatements });
    return {
      db,
      kind: "postgres",
      migrate: () => migratePostgres(db, { migrationsFolder: migrationsFolder() }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = path.resolve(config.pgliteDir ?? ".data/pglite");
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const releaseLock = lockEmbeddedDatabase(dir);
  const client = new PGlite(dir);
  const db = drizzlePglite(client, { schema, logger: countStatements }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    migrate: () =>
      migratePglite(db as unknown as Parameters<typeof migratePglite>[0], {
        migrationsFolder: migrationsFolder(),
      }),
    close: async () => {
      try {
        await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/** Another process holds the embedded database: say which and what to do, instead of risking its data. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    public readonly dir: string,
    public readonly pid: number,
  ) {
    super(
      `The embedded database (${dir}) is in use by another Manabi process (pid ${pid}), probably \`npm start\`. ` +
        "The embedded database serves one process at a time: stop that process (Ctrl-C), run this command, then start Manabi again. " +
        "(On a PostgreSQL server, set DATABASE_URL and both can run together.)",
    );
    this.name = "EmbeddedDatabaseInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite has no lock of its own: two processes opening one folder would corrupt it. A lock file with
 * the owner's pid beside the folder refuses a second process while the first is alive; a lock left by a
 * process that died (crash, SIGKILL) is taken over.
 */
function lockEmbeddedDatabase(dir: string): () => void {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, "utf8") === String(process.pid)) fs.rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) throw new EmbeddedDatabaseInUseError(dir, owner);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database (${dir}).`);
}

const globalKey = Symbol.for("manabi.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Handle };

/** The process-wide database, opened on first use from the environment. */
export function databaseHandle(): Handle {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const { DATABASE_URL, pgliteDir } = env();
    g[globalKey] = openDatabase({ url: DATABASE_URL, pgliteDir });
  }
  return g[globalKey]!;
}

export function getDb(): Database {
  return databaseHandle().db;
}

/** The process-wide database if it is open, without opening it (a background task asks whether its handle is still the one). */
export function openDb(): Database | null {
  return (globalThis as GlobalWithDb)[globalKey]?.db ?? null;
}

export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const handle = g[globalKey];
  delete g[globalKey];
  if (handle) await handle.close();
}

/** The rows of `db.execute(sql…)`: postgres.js returns them as an array, PGlite as `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

type PreparedSql = { execute: (values: Record<string, unknown>) => Promise<unknown> };
const preparedByDb = new WeakMap<Database, Map<string, PreparedSql>>();
const dialect = new PgDialect();

/**
 * A raw statement (values as `sql.placeholder(name)`) prepared under `name`: on the server database,
 * postgres.js parses it once per connection and then only binds and executes it — one round trip,
 * where an unprepared statement with parameters costs two (postgres.js describes it first) and a parse
 * and plan each time. `build` runs once per database handle; one name, one statement text.
 * `execute` resolves to what `db.execute` would (read it with rowsOf).
 */
export function preparedSql(db: Database, name: string, build: () => SQL): PreparedSql {
  let byName = preparedByDb.get(db);
  if (!byName) preparedByDb.set(db, (byName = new Map()));
  let prepared = byName.get(name);
  if (!prepared) {
    const query = db._.session.prepareQuery(dialect.sqlToQuery(build()), undefined, name, false);
    prepared = { execute: (values) => query.execute(values) };
    byName.set(name, prepared);
  }
  return prepared;
}
