import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { sessions, users } from "#db/schema";
import { getSession, requirePermission, requireUser } from "~/auth/session.server";
import { changePassword, signIn } from "~/auth/sign-in.server";
import { createUser, get, settle, TEST_PASSWORD } from "../helpers/factories";

const ip = () => `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("sign-in", () => {
  it("accepts the right password, whatever the email's case and spaces", async () => {
    const user = await createUser();
    const result = await signIn(`  ${user.email.toUpperCase()} `, TEST_PASSWORD, ip());
    expect(result).toEqual({ ok: true, userId: user.id });
  });

  it("refuses a wrong password and an unknown account with the same answer", async () => {
    const user = await createUser();
    expect(await signIn(user.email, "wrong password", ip())).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn("nobody@test.example.com", "whatever", ip())).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a deactivated person", async () => {
    const user = await createUser({ active: false });
    expect(await signIn(user.email, TEST_PASSWORD, ip())).toEqual({ ok: false, reason: "invalid" });
  });

  it("pauses an account after five failures, even for the right password, until the window passes", async () => {
    const user = await createUser();
    const start = new Date();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await signIn(user.email, `guess-${i}`, ip(), start));
    expect(results.slice(0, 4).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    const fifth = results[4]!;
    expect(fifth.ok).toBe(false);
    expect(!fifth.ok && fifth.reason).toBe("rateLimited");

    const blocked = await signIn(user.email, TEST_PASSWORD, ip(), new Date(start.getTime() + 60_000));
    expect(blocked.ok).toBe(false);
    if (!blocked.ok && blocked.reason === "rateLimited") {
      expect(blocked.retryAt.getTime()).toBe(start.getTime() + 15 * 60_000);
    } else {
      throw new Error("expected a rate limit");
    }

    const later = await signIn(user.email, TEST_PASSWORD, ip(), new Date(start.getTime() + 15 * 60_000 + 1000));
    expect(later).toEqual({ ok: true, userId: user.id });
  });

  it("pauses an IP address that fails across many accounts", async () => {
    const address = ip();
    const now = new Date();
    let last;
    for (let i = 0; i < 30; i++) last = await signIn(`spray-${i}@test.example.com`, "x", address, now);
    expect(last).toMatchObject({ ok: false, reason: "rateLimited" });
    const user = await createUser();
    expect(await signIn(user.email, TEST_PASSWORD, address, now)).toMatchObject({ reason: "rateLimited" });
    expect(await signIn(user.email, TEST_PASSWORD, ip(), now)).toEqual({ ok: true, userId: user.id });
  });
});

describe("sessions", () => {
  it("finds the person and the derived manager role in one lookup", async () => {
    const boss = await createUser();
    await createUser({ managerId: boss.id });
    const { user } = await getSession(await get("/", boss.id));
    expect(user?.id).toBe(boss.id);
    expect(user?.isManager).toBe(true);
  });

  it("sends a person without a session to sign in, remembering where they were going", async () => {
    const { value } = await settle(() => requireUser(new Request("http://localhost/hr?x=1")));
    expect(value).toBeInstanceOf(Response);
    expect((value as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fhr%3Fx%3D1");
  });

  it("tells a person whose session expired that it expired, and clears the cookie", async () => {
    const user = await createUser();
    const request = await get("/learn", user.id);
    await getDb().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, user.id));
    const { value } = await settle(() => requireUser(request));
    const response = value as Response;
    expect(response.headers.get("Location")).toContain("expired=1");
    expect(response.headers.get("Set-Cookie")).toMatch(/manabi_session=;/);
  });

  it("ends the session of a person who was deactivated", async () => {
    const user = await createUser();
    const request = await get("/", user.id);
    await getDb().update(users).set({ active: false }).where(eq(users.id, user.id));
    const { value } = await settle(() => requireUser(request));
    expect((value as Response).status).toBe(302);
  });

  it("refuses a permission the person's roles do not give, with 403", async () => {
    const learner = await createUser();
    const request = await get("/hr", learner.id);
    const { value } = await settle(() => requirePermission(request, "read:report:company"));
    expect((value as Response).status).toBe(403);
    const hr = await createUser({ roles: ["hr"] });
    expect((await requirePermission(await get("/hr", hr.id), "read:report:company")).id).toBe(hr.id);
  });

  it("changes a password only with the current one, and never to the same one", async () => {
    const user = await createUser();
    expect(await changePassword(user.id, "not it", "a new long password", ip())).toEqual({ ok: false, reason: "wrongCurrent" });
    expect(await changePassword(user.id, TEST_PASSWORD, TEST_PASSWORD, ip())).toEqual({ ok: false, reason: "sameAsCurrent" });
    expect(await changePassword(user.id, TEST_PASSWORD, "a new long password", ip())).toEqual({ ok: true });
    expect(await signIn(user.email, "a new long password", ip())).toEqual({ ok: true, userId: user.id });
  });
});
