import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "#db/client.server";
import { sessions, users } from "#db/schema";
import { verifyPassword } from "~/auth/password.server";
import { ACCOUNT_RULE, IP_RULE } from "~/auth/rate-limit";
import { getSession, requirePermission, requireUser } from "~/auth/session.server";
import { changePassword, signIn } from "~/auth/sign-in.server";
import { formatTime } from "~/i18n/format";
import * as accountPage from "~/routes/account.password";
import { createUser, get, post, settle, TEST_PASSWORD } from "../helpers/factories";

// Count the password checks actually made (the real function still runs).
vi.mock("~/auth/password.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/auth/password.server")>();
  const verify: typeof original.verifyPassword = (stored, password) => original.verifyPassword(stored, password);
  return { ...original, verifyPassword: vi.fn(verify) };
});
const passwordChecks = () => vi.mocked(verifyPassword).mock.calls.length;
beforeEach(() => {
  vi.mocked(verifyPassword).mockClear();
});

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

describe("guess limits under parallel bursts", () => {
  it("checks at most the allowed number of passwords when 50 wrong guesses arrive at once", async () => {
    const user = await createUser();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(user.email, `guess-${i}`, ip())));
    expect(passwordChecks()).toBe(ACCOUNT_RULE.maxFailures);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(results.filter((r) => !r.ok && r.reason === "rateLimited").length).toBeGreaterThanOrEqual(50 - ACCOUNT_RULE.maxFailures);
    // The account is paused now, for the right password too.
    expect(await signIn(user.email, TEST_PASSWORD, ip())).toMatchObject({ ok: false, reason: "rateLimited" });
  });

  it("gives a paused account no password check at all, even in a burst holding the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < ACCOUNT_RULE.maxFailures; i++) await signIn(user.email, `guess-${i}`, ip());
    vi.mocked(verifyPassword).mockClear();
    const burst = [...Array.from({ length: 19 }, (_, i) => `wrong-${i}`), TEST_PASSWORD];
    const results = await Promise.all(burst.map((password) => signIn(user.email, password, ip())));
    expect(results.some((r) => r.ok)).toBe(false);
    expect(passwordChecks()).toBe(0);
  });

  it("limits one address spraying many accounts at once", async () => {
    const address = ip();
    const stamp = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(`burst-${stamp}-${i}@test.example.com`, "x", address)));
    expect(passwordChecks()).toBe(IP_RULE.maxFailures);
  });

  it("limits wrong current passwords on the change-password form, and says until when", async () => {
    const user = await createUser();
    const address = ip();
    const start = new Date();
    const results = [];
    for (let i = 0; i < ACCOUNT_RULE.maxFailures; i++) results.push(await changePassword(user.id, `guess-${i}`, "a new long password", address, start));
    expect(results.slice(0, -1).every((r) => !r.ok && r.reason === "wrongCurrent")).toBe(true);
    expect(results.at(-1)).toEqual({ ok: false, reason: "rateLimited", retryAt: new Date(start.getTime() + ACCOUNT_RULE.windowMs) });
    // The right current password is refused while the pause lasts, then accepted.
    const during = await changePassword(user.id, TEST_PASSWORD, "a new long password", address, new Date(start.getTime() + 60_000));
    expect(during).toMatchObject({ ok: false, reason: "rateLimited" });
    const after = await changePassword(user.id, TEST_PASSWORD, "a new long password", address, new Date(start.getTime() + ACCOUNT_RULE.windowMs + 1000));
    expect(after).toEqual({ ok: true });
  });

  it("checks at most the allowed number of current passwords in a burst on the change-password form", async () => {
    const user = await createUser();
    await Promise.all(Array.from({ length: 30 }, (_, i) => changePassword(user.id, `guess-${i}`, "a new long password", ip())));
    expect(passwordChecks()).toBe(ACCOUNT_RULE.maxFailures);
  });

  it("answers the change-password form with 429 and the time to try again, in the reader's language", async () => {
    const user = await createUser();
    const context = { clientIp: ip() };
    const fields = { intent: "changePassword", current: "not it", next: "a new long password", confirm: "a new long password" };
    let last: unknown;
    for (let i = 0; i < ACCOUNT_RULE.maxFailures; i++) {
      last = (await settle(async () => accountPage.action({ request: await post("/account/password", fields, { userId: user.id }), params: {}, context }))).value;
    }
    const reply = last as { init: ResponseInit; data: { result: { error: Record<string, string[]> }; retryAt: string } };
    expect(reply.init.status).toBe(429);
    expect(reply.data.result.error[""]).toEqual(["auth.password.errors.rateLimited"]);
    expect(new Date(reply.data.retryAt).getTime()).toBeGreaterThan(Date.now() + ACCOUNT_RULE.windowMs - 60_000);
    expect(formatTime(reply.data.retryAt, "ja")).toMatch(/^\d{1,2}:\d{2}$/);
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
