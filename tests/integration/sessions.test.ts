import { createCookie } from "@remix-run/node";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { loginFailures, sessions } from "#db/schema";
import { purgeAuthData } from "~/auth/housekeeping.server";
import { getSession, requireUser, SESSION_COOKIE } from "~/auth/session.server";
import { env } from "~/env.server";
import { detectLanguage } from "~/i18n/i18next.server";
import * as root from "~/root";
import * as accountPage from "~/routes/account.password";
import * as languageRoute from "~/routes/language";
import * as loginRoute from "~/routes/login";
import * as logoutRoute from "~/routes/logout";
import { readToast } from "~/ui/toast.server";
import { createUser, csrfFor, settle, signedInCookie, TEST_PASSWORD } from "../helpers/factories";

const DAY = 86_400_000;
const context = { clientIp: "10.9.8.7", requestId: "t", nonce: "n" };

const sessionIdOf = (cookie: string) => cookie.match(new RegExp(`${SESSION_COOKIE}=([^;]*)`))?.[1] ?? null;
const setCookies = (response: Response) => response.headers.getSetCookie();
const alive = async (cookie: string) => (await getSession(new Request("http://localhost/", { headers: { Cookie: cookie } }))).user !== null;

/** A form post from a browser holding `cookie`, with the token a page would have given it (or `token`). */
async function formPost(path: string, fields: Record<string, string>, cookie: string, token?: string): Promise<Request> {
  const csrf = await csrfFor(cookie);
  const body = new URLSearchParams({ ...fields, csrf: token ?? csrf.token });
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: { Cookie: csrf.cookie, "Content-Type": "application/x-www-form-urlencoded" },
  });
}

async function rootData(request: Request) {
  const result = (await root.loader({ request, params: {}, context })) as unknown as {
    data: { viewer: unknown; csrfToken: string; toast: unknown };
    init: ResponseInit | null;
  };
  return { data: result.data, setCookie: new Headers(result.init?.headers).getSetCookie() };
}

describe("session lifetime", () => {
  it("ends a session at the absolute lifetime even though it was used a moment ago", async () => {
    const user = await createUser();
    const cookie = await signedInCookie(user.id);
    const id = sessionIdOf(cookie)!;
    const maxAge = env().sessionMaxAgeMs;
    // Signed in just inside the limit, used recently: still alive.
    await getDb()
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - maxAge + 60_000), expiresAt: new Date(Date.now() + 6 * 3_600_000) })
      .where(eq(sessions.id, id));
    expect(await alive(cookie)).toBe(true);
    // Just past it: refused, deleted, and the person is told the session ended.
    await getDb().update(sessions).set({ createdAt: new Date(Date.now() - maxAge - 1000) }).where(eq(sessions.id, id));
    const request = new Request("http://localhost/learn", { headers: { Cookie: cookie } });
    expect((await getSession(request)).user).toBeNull();
    expect(await getDb().select().from(sessions).where(eq(sessions.id, id))).toEqual([]);
    const { value } = await settle(() => requireUser(new Request("http://localhost/learn", { headers: { Cookie: cookie } })));
    expect((value as Response).headers.get("Location")).toBe("/login?redirectTo=%2Flearn&expired=1");
  });

  it("uses a 7-day absolute and a 12-hour idle lifetime unless configured", () => {
    expect(env().sessionMaxAgeMs).toBe(7 * DAY);
    expect(env().sessionIdleMs).toBe(12 * 3_600_000);
  });

  it("sets a session cookie that ends with the browser: no Max-Age, no Expires", async () => {
    const user = await createUser();
    const response = (await loginRoute.action({
      request: await formPost("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/" }, ""),
      params: {},
      context,
    })) as Response;
    expect(response.status).toBe(302);
    const session = setCookies(response).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(session).toMatch(/^manabi_session=[a-z2-7]{40}; /);
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Max-Age|Expires/i);
  });

  it("purges ended sessions and sign-in failures too old to count, and keeps the rest", async () => {
    const user = await createUser();
    const now = new Date();
    const ids = { idle: "a".repeat(40), old: "b".repeat(40), live: "c".repeat(40) };
    await getDb()
      .insert(sessions)
      .values([
        { id: ids.idle, userId: user.id, expiresAt: new Date(now.getTime() - 1000) },
        { id: ids.old, userId: user.id, expiresAt: new Date(now.getTime() + 3_600_000), createdAt: new Date(now.getTime() - 8 * DAY) },
        { id: ids.live, userId: user.id, expiresAt: new Date(now.getTime() + 3_600_000) },
      ]);
    const failures = await getDb()
      .insert(loginFailures)
      .values([
        { email: user.email, ip: "10.1.1.1", createdAt: new Date(now.getTime() - 16 * 60_000) },
        { email: user.email, ip: "10.1.1.1", createdAt: new Date(now.getTime() - 60_000) },
      ])
      .returning({ id: loginFailures.id });
    const purged = await purgeAuthData(now);
    expect(purged.sessions).toBeGreaterThanOrEqual(2);
    expect(purged.failures).toBeGreaterThanOrEqual(1);
    const left = await getDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((s) => s.id)).toEqual([ids.live]);
    const leftFailures = await getDb().select({ id: loginFailures.id }).from(loginFailures).where(inArray(loginFailures.id, failures.map((f) => f.id)));
    expect(leftFailures.map((f) => f.id)).toEqual([failures[1]!.id]);
  });
});

describe("session ids change", () => {
  it("at sign-in: the session the browser brought ends and a new id is issued", async () => {
    const user = await createUser();
    const old = await signedInCookie(user.id);
    const response = (await loginRoute.action({
      request: await formPost("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/" }, old),
      params: {},
      context,
    })) as Response;
    const fresh = setCookies(response).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(sessionIdOf(fresh)).not.toBe(sessionIdOf(old));
    expect(await alive(old)).toBe(false);
    expect(await alive(fresh.split(";")[0]!)).toBe(true);
  });

  it("after a password change: every session ends and this browser continues in a new one", async () => {
    const user = await createUser();
    const here = await signedInCookie(user.id);
    const elsewhere = await signedInCookie(user.id);
    const response = (await accountPage.action({
      request: await formPost(
        "/account/password",
        { intent: "changePassword", current: TEST_PASSWORD, next: "a brand new passphrase", confirm: "a brand new passphrase" },
        here,
      ),
      params: {},
      context,
    })) as Response;
    expect(response.status).toBe(302);
    const fresh = setCookies(response).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(sessionIdOf(fresh)).not.toBe(sessionIdOf(here));
    expect(await alive(here)).toBe(false);
    expect(await alive(elsewhere)).toBe(false);
    expect(await alive(fresh.split(";")[0]!)).toBe(true);
  });

  it("signing out other sessions ends them all but this one, and says how many", async () => {
    const user = await createUser();
    const here = await signedInCookie(user.id);
    const others = [await signedInCookie(user.id), await signedInCookie(user.id)];
    const page = await accountPage.loader({ request: new Request("http://localhost/account/password", { headers: { Cookie: here } }), params: {}, context });
    expect(page.otherSessions).toBe(2);

    const response = (await accountPage.action({
      request: await formPost("/account/password", { intent: "signOutOthers" }, here),
      params: {},
      context,
    })) as Response;
    expect(response.headers.get("Location")).toBe("/account/password");
    expect(await alive(here)).toBe(true);
    for (const other of others) expect(await alive(other)).toBe(false);
    const toastCookie = setCookies(response).find((c) => c.startsWith("manabi_toast="))!.split(";")[0]!;
    const { toast } = await readToast(new Request("http://localhost/", { headers: { Cookie: toastCookie } }));
    expect(toast).toEqual({ key: "auth.sessions.signedOutMany", values: { count: 2 }, kind: "success" });

    const after = await accountPage.loader({ request: new Request("http://localhost/account/password", { headers: { Cookie: here } }), params: {}, context });
    expect(after.otherSessions).toBe(0);
  });
});

describe("CSRF tokens", () => {
  const signOut = async (request: Request) => settle(() => logoutRoute.action({ request, params: {}, context }));

  it("accept the token of this session and refuse one from another session", async () => {
    const user = await createUser();
    const mine = await signedInCookie(user.id);
    const theirs = await signedInCookie((await createUser()).id);
    const theirToken = (await csrfFor(theirs)).token;

    const forged = await signOut(await formPost("/logout", {}, mine, theirToken));
    expect((forged.value as Response).status).toBe(403);
    expect(await alive(mine)).toBe(true);

    const genuine = await signOut(await formPost("/logout", {}, mine));
    expect((genuine.value as Response).status).toBe(302);
    expect(await alive(mine)).toBe(false);
  });

  it("refuse a token matching a cookie planted by a sibling site (the old double-submit hole)", async () => {
    const user = await createUser();
    const victim = await signedInCookie(user.id);
    const planted = "attacker-chosen-value-0123456789abcdefghij";
    const forged = await signOut(await formPost("/logout", {}, `${victim}; manabi_csrf=${planted}`, planted));
    expect((forged.value as Response).status).toBe(403);
    // Signed out, an unsigned pre-session cookie is not accepted either.
    const anonymous = await signOut(await formPost("/logout", {}, `manabi_csrf=${planted}`, planted));
    expect((anonymous.value as Response).status).toBe(403);
  });

  it("change at sign-in: the sign-in form's token stops working and the pre-session cookie is dropped", async () => {
    const user = await createUser();
    const before = await csrfFor("");
    const response = (await loginRoute.action({
      request: await formPost("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/" }, before.cookie, before.token),
      params: {},
      context,
    })) as Response;
    expect(setCookies(response).some((c) => /^manabi_csrf=;.*Max-Age=0/.test(c))).toBe(true);
    const session = setCookies(response).find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(";")[0]!;
    const after = await rootData(new Request("http://localhost/", { headers: { Cookie: session } }));
    expect(after.data.csrfToken).not.toBe(before.token);
    const stale = await signOut(await formPost("/logout", {}, session, before.token));
    expect((stale.value as Response).status).toBe(403);
  });
});

describe("signed cookies", () => {
  it("ignore a forged (unsigned) toast and show a genuine one", async () => {
    const unsigned = createCookie("manabi_toast");
    const forged = (await unsigned.serialize({ key: "auth.password.changed", kind: "success" })).split(";")[0]!;
    const read = await readToast(new Request("http://localhost/", { headers: { Cookie: forged } }));
    expect(read.toast).toBeNull();
    expect(read.setCookie).toMatch(/^manabi_toast=;/);

    const user = await createUser();
    const here = await signedInCookie(user.id);
    const response = (await accountPage.action({
      request: await formPost("/account/password", { intent: "signOutOthers" }, here),
      params: {},
      context,
    })) as Response;
    const genuine = setCookies(response).find((c) => c.startsWith("manabi_toast="))!.split(";")[0]!;
    expect((await readToast(new Request("http://localhost/", { headers: { Cookie: genuine } }))).toast).toMatchObject({
      key: "auth.sessions.signedOutNone",
    });
  });

  it("follow Accept-Language without a cookie, the same answer every time a header comes again", async () => {
    const detect = (accept: string | null) =>
      detectLanguage(new Request("http://localhost/", { headers: accept === null ? {} : { "Accept-Language": accept } }));
    const cases: [string | null, string][] = [
      ["en-US,en;q=0.9", "en"],
      ["ja-JP,ja;q=0.9,en;q=0.8", "ja"],
      ["fr-FR,en;q=0.5", "en"],
      ["de-DE", "ja"],
      ["", "ja"],
      [null, "ja"],
      ["EN-gb", "en"],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [accept, language] of cases) expect([accept, await detect(accept)]).toEqual([accept, language]);
    }
    // A signed-in person's own choice wins over the header.
    expect(await detectLanguage(new Request("http://localhost/", { headers: { "Accept-Language": "en" } }), { preferredLanguage: "ja" })).toBe("ja");
  });

  it("ignore a forged (unsigned) language cookie and follow a genuine one", async () => {
    const headers = { "Accept-Language": "ja-JP,ja;q=0.9" };
    const unsigned = (await createCookie("manabi_lang").serialize("en")).split(";")[0]!;
    expect(await detectLanguage(new Request("http://localhost/", { headers: { ...headers, Cookie: unsigned } }))).toBe("ja");
    expect(await detectLanguage(new Request("http://localhost/", { headers: { ...headers, Cookie: "manabi_lang=en" } }))).toBe("ja");

    const response = (await settle(async () =>
      languageRoute.action({ request: await formPost("/language", { language: "en", redirectTo: "/" }, ""), params: {}, context }),
    )).value as Response;
    const genuine = setCookies(response).find((c) => c.startsWith("manabi_lang="))!.split(";")[0]!;
    expect(await detectLanguage(new Request("http://localhost/", { headers: { ...headers, Cookie: genuine } }))).toBe("en");
  });
});

describe("a damaged session cookie", () => {
  for (const value of ["%FF", "not-a-session-id", "A".repeat(40), "%E3%81%82", "a".repeat(39) + "!"]) {
    it(`(${value}) renders the page signed out and clears the cookie, instead of failing`, async () => {
      const cookie = `${SESSION_COOKIE}=${value}; manabi_lang=%FF`;
      const page = await rootData(new Request("http://localhost/", { headers: { Cookie: cookie } }));
      expect(page.data.viewer).toBeNull();
      expect(page.setCookie.some((c) => /^manabi_session=; Max-Age=0/.test(c))).toBe(true);

      const { value: refusal } = await settle(() => requireUser(new Request("http://localhost/learn", { headers: { Cookie: cookie } })));
      const response = refusal as Response;
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Flearn");
      expect(response.headers.get("Set-Cookie")).toMatch(/^manabi_session=; Max-Age=0/);
    });
  }

  it("does not stop a valid session from working when another cookie is damaged", async () => {
    const user = await createUser();
    const cookie = `manabi_lang=%FF; ${await signedInCookie(user.id)}; other=%`;
    const page = await rootData(new Request("http://localhost/", { headers: { Cookie: cookie } }));
    expect(page.data.viewer).toMatchObject({ id: user.id });
    expect(page.setCookie.some((c) => c.startsWith("manabi_session="))).toBe(false);
  });
});
