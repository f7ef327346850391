import { afterAll, describe, expect, it } from "vitest";
import { followProvider, startTestIdp, type IdpAccount } from "../helpers/oidc-idp";

// A real OpenID provider on a local port; the environment is read once per process, on first use,
// so it is configured before any application module is imported.
const idp = await startTestIdp({
  redirectUris: ["http://localhost/auth/sso/callback"],
  postLogoutRedirectUris: ["http://localhost/login?signedOut=1"],
});
Object.assign(process.env, {
  OIDC_ISSUER: idp.issuer,
  OIDC_CLIENT_ID: idp.clientId,
  OIDC_CLIENT_SECRET: idp.clientSecret,
  OIDC_DISPLAY_NAME: "Example Corp",
  OIDC_DISPLAY_NAME_JA: "株式会社エグザンプル",
  SSO_CONTACT: "the HR help desk (hr-help@example.co.jp)",
  AUTH_PASSWORD: "off",
  AUTH_BREAK_GLASS_EMAILS: "Break.Glass@test.example.com",
});

const { and, count, eq } = await import("drizzle-orm");
const { getDb } = await import("#db/client.server");
const { auditLog, ssoIdentities, ssoLoginStates, users } = await import("#db/schema");
const { getSession } = await import("~/auth/session.server");
const { resetSsoConfiguration } = await import("~/auth/sso.server");
const ssoStart = await import("~/routes/auth.sso");
const ssoCallback = await import("~/routes/auth.sso_.callback");
const login = await import("~/routes/login");
const logout = await import("~/routes/logout");
const { createUser, get, post, settle, signedInCookie, csrfFor, TEST_PASSWORD } = await import("../helpers/factories");

afterAll(() => idp.close());

type Failure = { reason: string; shown: string | null; contact: string | null; retryTo: string; providerName: string };
const args = (request: Request) => ({ request, params: {}, context: {} });
const unique = () => Math.random().toString(36).slice(2, 10);

/** Starts a sign-in as a browser holding `cookie` does; returns the provider URL and the browser's cookie. */
async function start(cookie = "", redirectTo = "/learn") {
  const res = await settle(() =>
    ssoStart.loader(
      args(
        new Request(`http://localhost/auth/sso?redirectTo=${encodeURIComponent(redirectTo)}`, { headers: cookie ? { Cookie: cookie } : {} })
      )
    )
  );
  expect(res.thrown).toBe(true);
  const response = res.value as Response;
  expect(response.status).toBe(302);
  const browser = response.headers.get("Set-Cookie")!.split(";")[0]!;
  return { authorizationUrl: response.headers.get("Location")!, cookie: browser };
}

/** The callback as the browser holding `cookie` calls it: a redirect (signed in) or a failure page. */
async function callback(
  url: URL | string,
  cookie: string
): Promise<{ response: Response | null; failure: Failure | null; status: number }> {
  const res = await settle(() => ssoCallback.loader(args(new Request(String(url), { headers: { Cookie: cookie } }))));
  if (res.thrown) {
    const response = res.value as Response;
    return { response, failure: null, status: response.status };
  }
  const value = res.value as { data: Failure; init: { status: number } };
  return { response: null, failure: value.data, status: value.init.status };
}

/** The whole flow for one person at the provider; returns the callback's outcome and its URL. */
async function signInAs(account: IdpAccount, redirectTo = "/learn") {
  idp.signInAs(account);
  const started = await start("", redirectTo);
  const back = await followProvider(idp, started.authorizationUrl);
  return { ...(await callback(back, started.cookie)), callbackUrl: back, cookie: started.cookie };
}

async function sessionUserOf(response: Response): Promise<string | null> {
  const session = response.headers.getSetCookie().find((c) => c.startsWith("manabi_session="));
  if (!session) return null;
  const { user } = await getSession(new Request("http://localhost/", { headers: { Cookie: session.split(";")[0]! } }));
  return user?.id ?? null;
}

const linksOf = async (userId: string) => getDb().select().from(ssoIdentities).where(eq(ssoIdentities.userId, userId));
const linkAudits = async (userId: string) =>
  (
    await getDb()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, "sso.link"), eq(auditLog.targetId, userId)))
  )[0]!.n;

describe("single sign-on: the authorization code flow", () => {
  it("sends PKCE (S256), a state and a nonce, and signs the person in with a Manabi session where they were going", async () => {
    const person = await createUser({ email: `hanako-${unique()}@example.com`, passwordHash: null });
    const before = idp.authorizationRequests.length;
    const { response } = await signInAs(
      { sub: `sub-${unique()}`, email: person.email.toUpperCase(), email_verified: true },
      "/learn/course-1"
    );

    const sent = idp.authorizationRequests[before]!.searchParams;
    expect(sent.get("response_type")).toBe("code");
    expect(sent.get("code_challenge_method")).toBe("S256");
    expect(sent.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sent.get("state")).toBeTruthy();
    expect(sent.get("nonce")).toBeTruthy();
    expect(sent.get("scope")).toContain("openid");

    expect(response?.status).toBe(302);
    expect(response?.headers.get("Location")).toBe("/learn/course-1");
    expect(await sessionUserOf(response!)).toBe(person.id);
  });

  it("links the provider's subject on the first sign-in, audit-logs that once, and keeps the link when the email changes", async () => {
    const person = await createUser({ email: `jiro-${unique()}@example.com`, passwordHash: null });
    const sub = `sub-${unique()}`;
    const first = await signInAs({ sub, email: person.email });
    expect(await sessionUserOf(first.response!)).toBe(person.id);
    const links = await linksOf(person.id);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ issuer: idp.issuer, subject: sub });
    expect(await linkAudits(person.id)).toBe(1);

    // Renamed at the provider: the subject still finds the person; no second link, no second audit entry.
    const second = await signInAs({ sub, email: `renamed-${unique()}@example.com` });
    expect(await sessionUserOf(second.response!)).toBe(person.id);
    expect(await linksOf(person.id)).toHaveLength(1);
    expect(await linkAudits(person.id)).toBe(1);
  });

  it("refuses an identity that matches nobody, naming whom to contact, and creates no account", async () => {
    const [{ n: peopleBefore }] = await getDb().select({ n: count() }).from(users);
    const email = `stranger-${unique()}@example.com`;
    const { failure, status, response } = await signInAs({ sub: `sub-${unique()}`, email });
    expect(response).toBeNull();
    expect(status).toBe(403);
    expect(failure).toMatchObject({ reason: "unknownPerson", shown: email, contact: "the HR help desk (hr-help@example.co.jp)" });
    const [{ n: peopleAfter }] = await getDb().select({ n: count() }).from(users);
    expect(peopleAfter).toBe(peopleBefore);
  });

  it("refuses a deactivated person, before and after they were linked", async () => {
    const person = await createUser({ email: `left-${unique()}@example.com`, active: false });
    const refused = await signInAs({ sub: `sub-${unique()}`, email: person.email });
    expect(refused.failure?.reason).toBe("inactive");
    expect(await linksOf(person.id)).toHaveLength(0);

    const linked = await createUser({ email: `leaving-${unique()}@example.com` });
    const sub = `sub-${unique()}`;
    expect(await sessionUserOf((await signInAs({ sub, email: linked.email })).response!)).toBe(linked.id);
    await getDb().update(users).set({ active: false }).where(eq(users.id, linked.id));
    expect((await signInAs({ sub, email: linked.email })).failure?.reason).toBe("inactive");
  });

  it("refuses an email the provider marks as unverified", async () => {
    const person = await createUser({ email: `unverified-${unique()}@example.com` });
    const { failure } = await signInAs({ sub: `sub-${unique()}`, email: person.email, email_verified: false });
    expect(failure?.reason).toBe("unknownPerson");
    expect(await linksOf(person.id)).toHaveLength(0);
  });

  it("shows a denied consent as such, with a retry link back to where the person was going", async () => {
    idp.denyNext();
    const started = await start("", "/tools");
    const back = await followProvider(idp, started.authorizationUrl);
    expect(back.searchParams.get("error")).toBe("access_denied");
    const { failure, status } = await callback(back, started.cookie);
    expect(status).toBe(403);
    // No language chosen: Japanese, with the company's Japanese name.
    expect(failure).toMatchObject({ reason: "denied", retryTo: "/tools", providerName: "株式会社エグザンプル" });
  });
});

describe("single sign-on: state, nonce, PKCE and replays", () => {
  it("refuses a replayed callback: the second use of the same answer signs nobody in", async () => {
    const person = await createUser({ email: `replay-${unique()}@example.com` });
    const first = await signInAs({ sub: `sub-${unique()}`, email: person.email });
    expect(first.response?.status).toBe(302);
    const again = await callback(first.callbackUrl, first.cookie);
    expect(again.response).toBeNull();
    expect(again.failure?.reason).toBe("expired");
  });

  it("refuses a callback in another browser than the one that started the sign-in (state bound to the browser)", async () => {
    const person = await createUser({ email: `csrf-${unique()}@example.com` });
    idp.signInAs({ sub: `sub-${unique()}`, email: person.email });
    const victim = await start();
    const attacker = await start();
    const back = await followProvider(idp, attacker.authorizationUrl);
    const { failure, response } = await callback(back, victim.cookie);
    expect(response).toBeNull();
    expect(failure?.reason).toBe("stateMismatch");
    expect(await linksOf(person.id)).toHaveLength(0);
  });

  it("refuses a callback without a state, and one whose state was never issued", async () => {
    const person = await createUser({ email: `nostate-${unique()}@example.com` });
    idp.signInAs({ sub: `sub-${unique()}`, email: person.email });
    const started = await start();
    const back = await followProvider(idp, started.authorizationUrl);
    const withoutState = new URL(back);
    withoutState.searchParams.delete("state");
    expect((await callback(withoutState, started.cookie)).failure?.reason).toBe("stateMismatch");
    const forged = new URL(back);
    forged.searchParams.set("state", "forged-state-value");
    expect((await callback(forged, started.cookie)).failure?.reason).toBe("expired");
  });

  it("lets two tabs of one browser each finish their own sign-in", async () => {
    const person = await createUser({ email: `tabs-${unique()}@example.com` });
    idp.signInAs({ sub: `sub-${unique()}`, email: person.email });
    const tab1 = await start("", "/learn");
    const tab2 = await start(tab1.cookie, "/tools");
    expect(tab2.cookie).toBe(tab1.cookie);
    const back2 = await followProvider(idp, tab2.authorizationUrl);
    const back1 = await followProvider(idp, tab1.authorizationUrl);
    const done1 = await callback(back1, tab1.cookie);
    const done2 = await callback(back2, tab1.cookie);
    expect(done1.response?.headers.get("Location")).toBe("/learn");
    expect(done2.response?.headers.get("Location")).toBe("/tools");
  });

  it("rejects an ID token whose nonce is not the one this sign-in sent", async () => {
    const person = await createUser({ email: `nonce-${unique()}@example.com` });
    idp.signInAs({ sub: `sub-${unique()}`, email: person.email });
    const started = await start();
    const back = await followProvider(idp, started.authorizationUrl);
    await getDb()
      .update(ssoLoginStates)
      .set({ nonce: "another-nonce" })
      .where(eq(ssoLoginStates.state, back.searchParams.get("state")!));
    const { failure, response } = await callback(back, started.cookie);
    expect(response).toBeNull();
    expect(failure?.reason).toBe("rejected");
  });

  it("is refused by the provider when the PKCE verifier does not match the challenge", async () => {
    const person = await createUser({ email: `pkce-${unique()}@example.com` });
    idp.signInAs({ sub: `sub-${unique()}`, email: person.email });
    const started = await start();
    const back = await followProvider(idp, started.authorizationUrl);
    await getDb()
      .update(ssoLoginStates)
      .set({ codeVerifier: "a".repeat(43) })
      .where(eq(ssoLoginStates.state, back.searchParams.get("state")!));
    const { failure } = await callback(back, started.cookie);
    expect(failure?.reason).toBe("rejected");
    expect(await linksOf(person.id)).toHaveLength(0);
  });

  it("refuses a sign-in that comes back after more than ten minutes", async () => {
    const person = await createUser({ email: `late-${unique()}@example.com` });
    idp.signInAs({ sub: `sub-${unique()}`, email: person.email });
    const started = await start();
    const back = await followProvider(idp, started.authorizationUrl);
    await getDb()
      .update(ssoLoginStates)
      .set({ createdAt: new Date(Date.now() - 11 * 60_000) })
      .where(eq(ssoLoginStates.state, back.searchParams.get("state")!));
    expect((await callback(back, started.cookie)).failure?.reason).toBe("expired");
  });
});

describe("passwords switched off (AUTH_PASSWORD=off)", () => {
  it("refuses a password sign-in, even with the right password, without checking it", async () => {
    const person = await createUser({ email: `pw-${unique()}@test.example.com` });
    const res = (await login.action(args(await post("/login", { email: person.email, password: TEST_PASSWORD })))) as unknown as {
      data: { result: { error: Record<string, string[]> } };
      init: { status: number };
    };
    expect(res.init.status).toBe(403);
    expect(res.data.result.error[""]).toEqual(["sso.passwordNotAllowed"]);
  });

  it("still lets a break-glass admin sign in with a password", async () => {
    await createUser({ email: "break.glass@test.example.com", roles: ["admin"] });
    const request = await post("/login", { email: "BREAK.GLASS@test.example.com", password: TEST_PASSWORD });
    const response = (await settle(() => login.action(args(request)))).value as Response;
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie().some((c) => c.startsWith("manabi_session="))).toBe(true);
  });

  it("shows the company's button in the reader's language", async () => {
    const en = (await login.loader(args(await get("/login", undefined, { "Accept-Language": "en" })))) as {
      sso: string | null;
      passwords: boolean;
    };
    const ja = (await login.loader(args(await get("/login", undefined, { "Accept-Language": "ja" })))) as {
      sso: string | null;
      passwords: boolean;
    };
    expect(en).toMatchObject({ sso: "Example Corp", passwords: false });
    expect(ja.sso).toBe("株式会社エグザンプル");
  });
});

describe("signing out", () => {
  it("ends the Manabi session and offers the provider's own sign-out to someone who came through it", async () => {
    const person = await createUser({ email: `bye-${unique()}@example.com` });
    const { response } = await signInAs({ sub: `sub-${unique()}`, email: person.email });
    const session = response!.headers
      .getSetCookie()
      .find((c) => c.startsWith("manabi_session="))!
      .split(";")[0]!;
    const csrf = await csrfFor(session);
    const out = (
      await settle(() =>
        logout.action(
          args(
            new Request("http://localhost/logout", {
              method: "POST",
              body: new URLSearchParams({ csrf: csrf.token }),
              headers: { Cookie: csrf.cookie, "Content-Type": "application/x-www-form-urlencoded" },
            })
          )
        )
      )
    ).value as Response;
    expect(out.headers.get("Location")).toBe("/login?signedOut=1&idp=1");
    expect((await getSession(new Request("http://localhost/", { headers: { Cookie: session } }))).user).toBeNull();

    const page = (await login.loader(args(new Request("http://localhost/login?signedOut=1&idp=1")))) as { idpSignOutUrl: string | null };
    const end = new URL(page.idpSignOutUrl!);
    expect(`${end.origin}${end.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(end.searchParams.get("post_logout_redirect_uri")).toBe("http://localhost/login?signedOut=1");
    expect(end.searchParams.get("client_id")).toBe(idp.clientId);
  });

  it("does not offer the provider's sign-out to someone who signed in with a password", async () => {
    const person = await createUser();
    const cookie = await signedInCookie(person.id);
    const csrf = await csrfFor(cookie);
    const out = (
      await settle(() =>
        logout.action(
          args(
            new Request("http://localhost/logout", {
              method: "POST",
              body: new URLSearchParams({ csrf: csrf.token }),
              headers: { Cookie: csrf.cookie, "Content-Type": "application/x-www-form-urlencoded" },
            })
          )
        )
      )
    ).value as Response;
    expect(out.headers.get("Location")).toBe("/login?signedOut=1");
  });
});

describe("the audit log", () => {
  it("lists the first link among account entries, naming the person", async () => {
    const { listAuditEntries } = await import("~/org/audit-log.server");
    const person = await createUser({ email: `audited-${unique()}@example.com`, familyName: "監査", givenName: `花子${unique()}` });
    await signInAs({ sub: `sub-${unique()}`, email: person.email });
    const { entries } = await listAuditEntries({ kind: "accounts", person: person.givenName, from: null, to: null, page: 1 });
    expect(entries.map((e) => e.action)).toEqual(["sso.link"]);
    expect(entries[0]!.target?.givenName).toBe(person.givenName);
  });
});

describe("an unreachable provider", () => {
  it("shows a page saying the sign-in service is not answering, with a retry link", async () => {
    await idp.close();
    resetSsoConfiguration();
    const res = (await ssoStart.loader(args(new Request("http://localhost/auth/sso?redirectTo=/tools")))) as unknown as {
      data: Failure;
      init: { status: number };
    };
    expect(res.init.status).toBe(502);
    expect(res.data).toMatchObject({ reason: "unreachable", retryTo: "/tools" });
  });
});
