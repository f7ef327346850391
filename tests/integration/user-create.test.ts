import { spawnSync } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "#db/client.server";
import { auditLog, users } from "#db/schema";
import { verifyPassword } from "~/auth/password.server";

const root = path.resolve(import.meta.dirname, "../..");

/** Runs `npm run user:create` as an operator would, against this test file's own database. */
async function userCreate(args: string[], stdin: string) {
  // PGlite is one process at a time: let go of this file's connection while the command runs.
  await closeDatabase();
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/user-create.ts", ...args], {
    cwd: root,
    input: stdin,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "test" },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run user:create", () => {
  it("creates the first admin of an empty database, who can then sign in", async () => {
    const run = await userCreate(["--email", "First.Admin@Example.com", "--name", "山田 太郎", "--role", "admin", "--password-stdin"], "a long enough secret\n");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Created first.admin@example.com (admin)");

    const [person] = await getDb().select().from(users).where(eq(users.email, "first.admin@example.com"));
    expect(person).toMatchObject({ familyName: "山田", givenName: "太郎", roles: ["admin"] });
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.targetId, person!.id));
    expect(entry).toMatchObject({ action: "user.create", actorId: null, details: { via: "command-line", roles: ["admin"] } });
    expect(await verifyPassword(person!.passwordHash, "a long enough secret")).toBe(true);
  });

  it("refuses an email that is taken in another case, a short password and bad arguments, changing nothing", async () => {
    const before = await getDb().select({ n: sql<number>`count(*)::int` }).from(users);
    const taken = await userCreate(["--email", "FIRST.ADMIN@example.com", "--name", "Emily Clark"], "another long secret\n");
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("already signs in with first.admin@example.com");
    const short = await userCreate(["--email", "new@example.com", "--name", "Emily Clark"], "short\n");
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("at least 10 characters");
    const bad = await userCreate(["--email", "nope", "--name", "Emily Clark", "--role", "owner"], "another long secret\n");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--email is not an email address");
    expect(bad.stderr).toContain("Usage: npm run user:create");
    expect(await getDb().select({ n: sql<number>`count(*)::int` }).from(users)).toEqual(before);
  });
});
