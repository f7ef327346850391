import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#db/client.server";
import { users } from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { ACCEPT_HTML, Visitor } from "../helpers/http-visitor";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

// The real server (server.mjs and the production build) runs inside this test process, so the test
// can read what it logs and take its database away; the shared e2e server is not touched. It needs one
// person and little content: no demo company (its seeding hashes every demo password) and the small
// valid content fixture instead of the shipped courses (compiling them at start-up takes seconds).
const EMAIL = "request-id@test.example.com";
const PASSWORD = "a request id passphrase";

const logged: string[] = [];
let base: string;
let db: TestDatabase;
const originalError = console.error;

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

beforeAll(async () => {
  db = await createTestDatabase("manabi_request_id");
  const setup = openDatabase(db.kind === "postgres" ? { url: db.url } : { pgliteDir: db.dir });
  await setup.db.insert(users).values({
    id: "u-request-id",
    email: EMAIL,
    displayName: "試験 太郎",
    familyName: "試験",
    givenName: "太郎",
    passwordHash: await hashPassword(PASSWORD),
  });
  await setup.close();
  const port = await freePort();
  Object.assign(process.env, {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    SESSION_SECRET: randomBytes(36).toString("base64url"),
    MANABI_DEMO: "0",
    CONTENT_DIR: path.resolve("tests/fixtures/content/valid"),
  });
  delete process.env.MANABI_SEED_DEMO;
  if (db.kind === "postgres") {
    process.env.DATABASE_URL = db.url;
    delete process.env.PGLITE_DIR;
  } else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DIR = db.dir;
  }
  console.error = (...values: unknown[]) => {
    logged.push(values.map((v) => (v instanceof Error ? `${v.name}: ${v.message}` : String(v))).join(" "));
  };
  // server.mjs is the plain-JS entry point: importing it starts the server.
  await import("../../server.mjs");
  base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while ((await fetch(`${base}/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error("The server did not become ready");
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  console.error = originalError;
  await db?.drop().catch(() => {});
});

/** Takes the database away from the running server, as an outage would. */
async function loseTheDatabase() {
  const handle = (globalThis as Record<symbol, { close: () => Promise<void> } | undefined>)[Symbol.for("manabi.database")];
  if (!handle) throw new Error("The server has no database handle");
  await handle.close();
}

describe("an unexpected error", () => {
  it("is logged with the request id that the 500 page and the data response show", async () => {
    const visitor = new Visitor(base, "ja");
    const signedIn = await visitor.signIn(EMAIL, PASSWORD);
    expect(signedIn.status).toBe(302);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    await loseTheDatabase();

    // /healthz notices.
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "unavailable", database: "unavailable" });

    // A page: the reference on the page is the id in the response header and in the log line.
    const page = await visitor.fetch("/", { headers: { Accept: ACCEPT_HTML } });
    expect(page.status).toBe(500);
    const html = await page.text();
    const shown = /問い合わせ番号：([0-9a-f]{8})/.exec(html)?.[1];
    expect(shown).toBeDefined();
    expect(page.headers.get("x-request-id")).toBe(shown);
    expect(logged.filter((line) => line.startsWith(`[${shown}] GET /`))).not.toEqual([]);
    expect(html).not.toContain("PGlite");
    expect(html).not.toContain("CONNECTION_ENDED");

    // A client-side navigation (single fetch): the error data carries the failing request's own id.
    const data = await visitor.fetch("/learn.data");
    expect(data.status).toBe(500);
    const id = data.headers.get("x-request-id")!;
    expect(id).not.toBe(shown);
    expect(await data.text()).toContain(id);
    // (Remix hands loaders the page URL, so the log names /learn.)
    expect(logged.filter((line) => line.startsWith(`[${id}] GET /learn`))).not.toEqual([]);
  });
});
