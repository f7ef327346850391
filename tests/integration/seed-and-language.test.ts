import { eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, openDatabase } from "#db/client.server";
import { departments, users } from "#db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "#db/seed/demo-org";
import { seedDemoOrganisation } from "#db/seed/seed-demo.server";
import { verifyPassword } from "~/auth/password.server";
import * as language from "~/routes/language";
import * as login from "~/routes/login";
import { createUser, post, settle } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

describe("demo organisation", () => {
  // The demo seed needs an empty organisation, so it gets a database of its own.
  let fresh: TestDatabase;
  let handle: ReturnType<typeof openDatabase>;
  beforeAll(async () => {
    fresh = await createTestDatabase("manabi_seed");
    handle = openDatabase(fresh.kind === "postgres" ? { url: fresh.url } : { pgliteDir: fresh.dir });
  });
  afterAll(async () => {
    await handle?.close();
    await fresh?.drop();
  });

  it("seeds 40 people in 4 departments with a two-level reporting line, once", async () => {
    const db = handle.db;
    const first = await seedDemoOrganisation(db);
    expect(first).toEqual({ seeded: true, people: 40 });
    expect(await seedDemoOrganisation(db)).toEqual({ seeded: false, people: 0 });

    const demo = await db.select().from(users);
    expect(demo).toHaveLength(40);
    expect(await db.select().from(departments)).toHaveLength(4);
    expect(await db.select().from(users).where(isNull(users.managerId))).toHaveLength(4);
    // manager@ → team lead → learner@: two levels.
    const byId = new Map(demo.map((u) => [u.id, u]));
    const learner = demo.find((u) => u.email === "learner@example.com")!;
    const lead = byId.get(learner.managerId!)!;
    expect(byId.get(lead.managerId!)?.email).toBe("manager@example.com");
    expect(demo.every((u) => u.familyNameKana && u.givenNameKana)).toBe(true);
  });

  it("gives every demo account the demo password and its role", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const [row] = await handle.db
        .select({ roles: users.roles, hash: users.passwordHash, id: users.id })
        .from(users)
        .where(eq(users.email, account.email));
      expect(await verifyPassword(row?.hash, DEMO_PASSWORD), account.email).toBe(true);
      if (["hr", "author", "admin"].includes(account.role)) expect(row?.roles).toContain(account.role);
      const reports = await handle.db.select({ id: users.id }).from(users).where(eq(users.managerId, row!.id));
      // Each demo account shows exactly its own role: only the manager has reports.
      expect(reports.length > 0, account.email).toBe(account.role === "manager");
    }
  });
});

describe("language switch", () => {
  it("remembers the choice in a cookie and as the signed-in person's preference", async () => {
    const user = await createUser();
    const request = await post("/language", { language: "en", redirectTo: "/learn" }, { userId: user.id });
    const { value } = await settle(() => language.action({ request, params: {}, context: {} }));
    const response = value as Response;
    expect(response.headers.get("Location")).toBe("/learn");
    expect(response.headers.get("Set-Cookie")).toMatch(/^manabi_lang=/);
    const [row] = await getDb().select({ lang: users.preferredLanguage }).from(users).where(eq(users.id, user.id));
    expect(row?.lang).toBe("en");
  });

  it("never redirects off the site", async () => {
    const request = await post("/language", { language: "ja", redirectTo: "//evil.example.com/" });
    const { value } = await settle(() => language.action({ request, params: {}, context: {} }));
    expect((value as Response).headers.get("Location")).toBe("/");
  });
});

describe("sign-in form", () => {
  it("signs in, sets a secure-flagged session cookie in production, and follows only local redirects", async () => {
    const user = await createUser();
    const request = await post("/login", { email: user.email, password: "correct horse battery", redirectTo: "https://evil.example.com" });
    const { value } = await settle(() => login.action({ request, params: {}, context: { clientIp: "192.0.2.7" } }));
    const response = value as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toMatch(/manabi_session=[^;]+;.*HttpOnly/i);
  });

  it("answers a wrong password with 401 and a message key, and a missing token with 403", async () => {
    const user = await createUser();
    const wrong = await post("/login", { email: user.email, password: "nope" });
    const { value } = await settle(() => login.action({ request: wrong, params: {}, context: { clientIp: "192.0.2.8" } }));
    const result = value as { init: { status: number }; data: { result: { error: Record<string, string[]> } } };
    expect(result.init.status).toBe(401);
    expect(JSON.stringify(result.data.result)).toContain("auth.signIn.errors.invalidCredentials");

    const forged = await post("/login", { email: user.email, password: "correct horse battery" }, { csrf: false });
    const { value: refused } = await settle(() => login.action({ request: forged, params: {}, context: {} }));
    expect((refused as Response).status).toBe(403);
  });
});
