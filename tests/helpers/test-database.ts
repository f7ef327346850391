import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase } from "#db/client.server";

/**
 * A fresh database for one test run: on the PostgreSQL server named by DATABASE_URL (a new database
 * beside the one in the URL, dropped afterwards), or a migrated PGlite data folder otherwise.
 */
export type TestDatabase = { kind: "postgres"; url: string; drop: () => Promise<void> } | { kind: "pglite"; dir: string; drop: () => Promise<void> };

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = openDatabase({ url: url.href });
    await handle.migrate();
    await handle.close();
    return {
      kind: "postgres",
      url: url.href,
      drop: async () => {
        const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await a.unsafe(`drop database if exists "${name}" with (force)`);
        await a.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const dataDir = path.join(dir, "pglite");
  const handle = openDatabase({ pgliteDir: dataDir });
  await handle.migrate();
  await handle.close();
  return { kind: "pglite", dir: dataDir, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A private copy of a migrated PGlite template (~0.3 s instead of ~2 s for a fresh initdb). */
export function copyPgliteTemplate(templateDir: string): { dir: string; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-test-"));
  const dir = path.join(root, "pglite");
  fs.cpSync(templateDir, dir, { recursive: true });
  return { dir, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
