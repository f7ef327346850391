import { afterAll, inject } from "vitest";
import { closeDatabase } from "#db/client.server";
import { copyPgliteTemplate } from "./test-database";

// Each test file gets its own database connection: a copy of the migrated PGlite template, or the
// run's PostgreSQL database (shared; tests create their own rows and never rely on others').
const target = inject("testDatabase");
let cleanup = () => {};
if (target.kind === "postgres") {
  process.env.DATABASE_URL = target.url;
  delete process.env.PGLITE_DIR;
} else {
  delete process.env.DATABASE_URL;
  const copy = copyPgliteTemplate(target.dir);
  process.env.PGLITE_DIR = copy.dir;
  cleanup = copy.remove;
}

afterAll(async () => {
  await closeDatabase();
  cleanup();
});
