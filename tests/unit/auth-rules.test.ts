import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { can, permissionsOf, rolesOf } from "~/auth/permissions";
import { ACCOUNT_RULE, laterOf, retryAfter } from "~/auth/rate-limit";
import { safeRedirect } from "~/auth/safe-redirect";
import { blankSessionCookie, readCookieValue, readSessionCookie, serializeSessionCookie } from "~/auth/session-cookie";

describe("roles and permissions", () => {
  it("makes everyone a learner and a person with reports a manager", () => {
    expect(rolesOf({ roles: [], isManager: false })).toEqual(["learner"]);
    expect(rolesOf({ roles: [], isManager: true })).toEqual(["learner", "manager"]);
    expect(rolesOf({ roles: ["admin", "hr"], isManager: false })).toEqual(["learner", "hr", "admin"]);
  });

  it("gives each role only its own permissions", () => {
    const learner = { roles: [], isManager: false } as const;
    expect(can(learner, "read:learning:own")).toBe(true);
    expect(can(learner, "read:report:team")).toBe(false);
    expect(can(learner, "read:report:company")).toBe(false);
    expect(can({ roles: [], isManager: true }, "read:report:team")).toBe(true);
    expect(can({ roles: ["hr"], isManager: false }, "publish:content")).toBe(false);
    expect(can({ roles: ["author"], isManager: false }, "publish:content")).toBe(true);
    expect(can({ roles: ["author"], isManager: false }, "manage:roles")).toBe(false);
    expect(permissionsOf({ roles: ["admin"], isManager: false }).has("manage:roles")).toBe(true);
  });
});

describe("sign-in rate limit", () => {
  const now = new Date("2026-11-25T10:00:00Z");
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  it("allows attempts below the limit", () => {
    expect(retryAfter([minutesAgo(1), minutesAgo(2), minutesAgo(3), minutesAgo(4)], ACCOUNT_RULE, now)).toBeNull();
  });

  it("blocks at the limit until the oldest counted failure leaves the window", () => {
    const failures = [1, 2, 3, 4, 5].map(minutesAgo);
    expect(retryAfter(failures, ACCOUNT_RULE, now)).toEqual(new Date(minutesAgo(5).getTime() + 15 * 60_000));
  });

  it("ignores failures older than the window", () => {
    expect(retryAfter([1, 2, 3, 4, 16, 20].map(minutesAgo), ACCOUNT_RULE, now)).toBeNull();
  });

  it("takes the later of two blocks", () => {
    expect(laterOf(null, null)).toBeNull();
    expect(laterOf(now, null)).toBe(now);
    expect(laterOf(minutesAgo(1), now)).toBe(now);
  });
});

describe("safe redirects", () => {
  it("follows local paths only", () => {
    expect(safeRedirect("/learn?x=1")).toBe("/learn?x=1");
    expect(safeRedirect("https://evil.example.com")).toBe("/");
    expect(safeRedirect("//evil.example.com")).toBe("/");
    expect(safeRedirect("/\\evil.example.com")).toBe("/");
    expect(safeRedirect("/ok\nSet-Cookie: x")).toBe("/");
    expect(safeRedirect(null, "/home")).toBe("/home");
  });
});

describe("password hashes", () => {
  it("verify the right password only, with a fresh salt each time", async () => {
    const a = await hashPassword("manabi-demo");
    const b = await hashPassword("manabi-demo");
    expect(a).not.toBe(b);
    expect(a.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword(a, "manabi-demo")).toBe(true);
    expect(await verifyPassword(a, "manabi-dem0")).toBe(false);
    expect(await verifyPassword(null, "anything")).toBe(false);
    expect(await verifyPassword("plain-text", "plain-text")).toBe(false);
  });
});

describe("the session cookie", () => {
  const id = "abcdefghijklmnopqrstuvwxyz234567abcdefgh";

  it("is read without ever throwing, and only ids in lucia's format count", () => {
    expect(readSessionCookie(`manabi_lang=en; manabi_session=${id}`)).toEqual({ state: "present", id });
    expect(readSessionCookie("manabi_lang=en")).toEqual({ state: "absent" });
    expect(readSessionCookie(null)).toEqual({ state: "absent" });
    expect(readSessionCookie("manabi_session=")).toEqual({ state: "absent" });
    for (const bad of ["%FF", id.toUpperCase(), `${id}a`, id.slice(1), `${id.slice(1)}8`, `${id.slice(1)}%`]) {
      expect(readSessionCookie(`manabi_session=${bad}`), bad).toEqual({ state: "malformed" });
    }
    expect(readCookieValue("a=1; b = 2 ;c", "b")).toBe("2");
    expect(readCookieValue("xmanabi_session=1", "manabi_session")).toBeNull();
  });

  it("ends with the browser (no Max-Age or Expires) and is HttpOnly, SameSite=Lax, Secure when asked", () => {
    expect(serializeSessionCookie(id, true)).toBe(`manabi_session=${id}; Path=/; HttpOnly; SameSite=Lax; Secure`);
    expect(serializeSessionCookie(id, false)).toBe(`manabi_session=${id}; Path=/; HttpOnly; SameSite=Lax`);
    expect(blankSessionCookie(true)).toBe("manabi_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure");
    expect(() => serializeSessionCookie("x; Domain=evil.example", false)).toThrow();
  });
});
