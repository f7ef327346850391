import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EmbeddedDatabaseInUseError, openDatabase } from "#db/client.server";
import { migratedPgliteTemplate } from "../helpers/test-database";

const root = path.resolve(import.meta.dirname, "../..");

/** Starts a process that opens the embedded database and holds it, like a running `npm start`. */
async function holder(dir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/hold-embedded-db.ts", dir], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the holder did not open the database: ${out}`)), 60_000);
    child.stdout.on("data", (c) => {
      out += String(c);
      if (out.includes("HOLDING")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`the holder exited (${code}): ${out}`)));
  });
  return child;
}

describe("the embedded database in two processes", () => {
  it("refuses a second process with a message that says what to do, and is free again once the first is gone (even killed)", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "manabi-lock-")), "pglite");
    // An already migrated database (the holder's migrate then has nothing to do): no initdb to wait for.
    fs.cpSync(await migratedPgliteTemplate(), dir, { recursive: true });
    const child = await holder(dir);
    try {
      let error: unknown;
      try {
        openDatabase({ pgliteDir: dir });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EmbeddedDatabaseInUseError);
      expect((error as Error).message).toContain(`pid ${child.pid}`);
      expect((error as Error).message).toMatch(/stop that process/);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    // The killed holder left its lock behind: it is taken over, and the data is intact.
    const handle = openDatabase({ pgliteDir: dir });
    await handle.migrate();
    await handle.close();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }, 120_000);
});
