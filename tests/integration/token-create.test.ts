import { spawnSync } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "#db/client.server";
import { apiTokens, auditLog } from "#db/schema";
import { authenticateBearer } from "~/access/tokens.server";

const root = path.resolve(import.meta.dirname, "../..");

/** Runs `npm run token:create` as an operator would, against this test file's own database. */
async function tokenCreate(args: string[]) {
  // PGlite is one process at a time: let go of this file's connection while the command runs.
  await closeDatabase();
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/token-create.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "test" },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run token:create", () => {
  it("prints a working secret once, alone on standard output, and logs the creation", async () => {
    const run = await tokenCreate(["--name", "Nightly access sync", "--scope", "access:read", "--scope", "events:read"]);
    expect(run.code).toBe(0);
    const secret = run.stdout.trim();
    expect(secret).toMatch(/^mnb_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(run.stderr).toContain('Created token "Nightly access sync"');
    expect(run.stderr).not.toContain(secret);

    const principal = await authenticateBearer(`Bearer ${secret}`);
    expect(principal).toMatchObject({ name: "Nightly access sync", scopes: ["access:read", "events:read"] });
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.targetId, principal!.id));
    expect(entry).toMatchObject({ action: "token.create", actorId: null, details: { via: "command-line" } });
  });

  it("refuses a missing name, a missing or unknown scope and unknown options, with exit code 2, changing nothing", async () => {
    const count = async () => (await getDb().select({ n: sql<number>`count(*)::int` }).from(apiTokens))[0]!.n;
    const before = await count();
    const noName = await tokenCreate(["--scope", "access:read"]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain("--name is required");
    expect(noName.stderr).toContain("Usage: npm run token:create");
    const noScope = await tokenCreate(["--name", "x"]);
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain("--scope is required");
    const badScope = await tokenCreate(["--name", "x", "--scope", "admin"]);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain("--scope must be one of: access:read, events:read");
    const unknown = await tokenCreate(["--name", "x", "--scope", "access:read", "--owner", "me"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(await count()).toBe(before);
  });
});
