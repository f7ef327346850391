import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { closeDatabase } from "#db/client.server";
import { copyPgliteTemplate } from "./test-database";

// Each test file gets a database of its own, copied from the run's migrated template: a copy of the
// PGlite data folder, or on the PostgreSQL server `create database … template …` (fast, and isolated
// like the PGlite copies, so files that publish content releases cannot disturb each other).
const target = inject("testDatabase");
let cleanup: () => Promise<void> | void = () => {};

async function createFromTemplate(templateUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = new URL(templateUrl);
  const templateName = decodeURIComponent(template.pathname.slice(1));
  const name = `${templateName}_f${randomBytes(4).toString("hex")}`;
  const adminUrl = new URL(templateUrl);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database "${name}" template "${templateName}"`);
      break;
    } catch (error) {
      // Two files copying the template at the same instant: try again shortly.
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const a = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

if (target.kind === "postgres") {
  const db = await createFromTemplate(target.url);
  process.env.DATABASE_URL = db.url;
  delete process.env.PGLITE_DIR;
  cleanup = db.drop;
} else {
  delete process.env.DATABASE_URL;
  const copy = copyPgliteTemplate(target.dir);
  process.env.PGLITE_DIR = copy.dir;
  cleanup = copy.remove;
}

afterAll(async () => {
  await closeDatabase();
  await cleanup();
});
