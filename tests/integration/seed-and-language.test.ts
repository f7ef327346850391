import { eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { departments, users } from "#db/schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "#db/seed/demo-org";
import { seedDemoOrganisation } from "#db/seed/seed-demo.server";
import { signIn } from "~/auth/sign-in.server";
import * as language from "~/routes/language";
import * as login from "~/routes/login";
import { createUser, post, settle } from "../helpers/factories";

describe("demo organisation", () => {
  it("seeds 40 people in 4 departments with a two-level reporting line, once", async () => {
    // This file's database starts empty (a fresh copy of the migrated template, or a fresh server db).
    const first = await seedDemoOrganisation(getDb());
    if (!first.seeded) return expect.fail("the test database should start without people");
    expect(first.people).toBe(40);
    expect(await seedDemoOrganisation(getDb())).toEqual({ seeded: false, people: 0 });

    const all = await getDb().select().from(users);
    const demo = all.filter((u) => u.id.startsWith("demo-"));
    expect(demo).toHaveLength(40);
    expect(await getDb().select().from(departments)).toHaveLength(4);
    const heads = await getDb().select().from(users).where(isNull(users.managerId));
    expect(heads.filter((u) => u.id.startsWith("demo-"))).toHaveLength(4);
    // manager@ → team lead → learner@: two levels.
    const byId = new Map(demo.map((u) => [u.id, u]));
    const learner = demo.find((u) => u.email === "learner@example.com")!;
    const lead = byId.get(learner.managerId!)!;
    expect(byId.get(lead.managerId!)?.email).toBe("manager@example.com");
    expect(demo.every((u) => u.familyNameKana && u.givenNameKana)).toBe(true);
  });

  it("lets every demo account sign in with the demo password and gives each its role", async () => {
    await seedDemoOrganisation(getDb());
    for (const account of DEMO_ACCOUNTS) {
      const result = await signIn(account.email, DEMO_PASSWORD, "192.0.2.1");
      expect(result.ok, account.email).toBe(true);
      const [row] = await getDb().select({ roles: users.roles }).from(users).where(eq(users.email, account.email));
      if (["hr", "author", "admin"].includes(account.role)) expect(row?.roles).toContain(account.role);
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
