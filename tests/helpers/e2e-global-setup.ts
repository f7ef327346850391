import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createTestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** A copy of content/ that the server publishes from, so tests can edit a draft. */
    contentDir: string;
    /** Where the server writes its mail (.eml files; no SMTP in tests). */
    mailDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHealth(url: string, child: ChildProcess, logs: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}):\n${logs.join("")}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The server did not start within 90 s:\n${logs.join("")}`);
}

/** Starts the production build on a fresh database (seeded with the demo company) for browser tests. */
export default async function setup(project: TestProject) {
  const db = await createTestDatabase("manabi_e2e");
  const port = await freePort();
  const contentDir = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-e2e-content-"));
  fs.cpSync(path.resolve("content"), contentDir, { recursive: true });
  const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-e2e-mail-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    MANABI_SEED_DEMO: "1",
    CONTENT_DIR: contentDir,
    MAIL_DIR: mailDir,
    // Lessons count as read after 0.5% of their minimum reading time (0.1–0.9 s), so browser tests need not
    // wait minutes; the rule itself is proven by the unit and integration tests.
    MANABI_READING_TIME_FACTOR: "0.005",
  };
  // Mail goes to files in mailDir, whatever the machine's SMTP settings.
  for (const name of ["SMTP_URL", "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASS", "SMTP_SECURE", "PUBLIC_URL"]) delete env[name];
  if (db.kind === "postgres") {
    env.DATABASE_URL = db.url;
    // A server database in production needs a signing secret shared by all app servers.
    env.SESSION_SECRET ??= randomBytes(32).toString("base64url");
    delete env.PGLITE_DIR;
  } else {
    delete env.DATABASE_URL;
    env.PGLITE_DIR = db.dir;
  }
  const logs: string[] = [];
  const child = spawn(process.execPath, ["server.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d) => logs.push(String(d)));
  child.stderr?.on("data", (d) => logs.push(String(d)));
  const baseUrl = `http://localhost:${port}`;
  await waitForHealth(baseUrl, child, logs);
  project.provide("baseUrl", baseUrl);
  project.provide("contentDir", contentDir);
  project.provide("mailDir", mailDir);
  return async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    const errors = logs.join("").split("\n").filter((l) => /error/i.test(l));
    if (errors.length) console.log(`Server log lines mentioning errors:\n${errors.slice(0, 20).join("\n")}`);
    await db.drop();
    fs.rmSync(contentDir, { recursive: true, force: true });
    fs.rmSync(mailDir, { recursive: true, force: true });
  };
}
