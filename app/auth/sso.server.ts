import { createHash, randomBytes } from "node:crypto";
import { createCookie, type Cookie } from "@remix-run/node";
import { and, eq, lt, sql } from "drizzle-orm";
import * as oidc from "openid-client";
import { getDb, type Transaction } from "#db/client.server";
import { auditLog, ssoIdentities, ssoLoginStates, users } from "#db/schema";
import { env, sessionSecret } from "~/env.server";
import type { Language } from "~/i18n/languages";
import { safeRedirect } from "./safe-redirect";
import { classifySsoError, passwordAllowedFor, personKeyOf, type PersonKey, type SsoFailure } from "./sso-rules";

/**
 * Single sign-on with the company's OpenID provider: the authorization code flow with PKCE, state and
 * nonce (openid-client). A sign-in's state lives in the database until its callback consumes it, bound
 * to this browser by a signed cookie; the person is found by the configured claim (email or employee
 * number), linked by the provider's subject id, and then gets an ordinary Manabi session
 * (session.server.ts). Nobody is created here: an identity that matches nobody is refused.
 */

/** A sign-in must come back within this time. */
export const SSO_STATE_TTL_MS = 10 * 60_000;
/** Time allowed between the provider's clock and ours when checking the ID token's iat/exp. */
const CLOCK_TOLERANCE_S = 60;
const BROWSER_COOKIE = "manabi_sso";

/** Whether single sign-on is configured (OIDC_ISSUER and OIDC_CLIENT_ID). Invitations are not needed then. */
export function ssoEnabled(): boolean {
  const e = env();
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID);
}

/** Whether the sign-in page offers the password form to everyone (AUTH_PASSWORD is not "off"). */
export function passwordsOn(): boolean {
  return env().AUTH_PASSWORD !== "off";
}

/** Whether this email may sign in with a password (AUTH_PASSWORD=off leaves only the break-glass admins). */
export function passwordSignInAllowed(email: string): boolean {
  const e = env();
  return passwordAllowedFor(email, e.AUTH_PASSWORD, e.AUTH_BREAK_GLASS_EMAILS);
}

/** The company's name for "Sign in with …", in the reader's language; null when SSO is off. */
export function ssoDisplayName(language: Language): string | null {
  if (!ssoEnabled()) return null;
  const e = env();
  const name = language === "ja" ? e.OIDC_DISPLAY_NAME_JA ?? e.OIDC_DISPLAY_NAME : e.OIDC_DISPLAY_NAME;
  return name ?? new URL(e.OIDC_ISSUER!).host;
}

/** Whom a refused person should contact, as configured (SSO_CONTACT, SSO_CONTACT_JA); null: the page's default. */
export function ssoContact(language: Language): string | null {
  const e = env();
  return (language === "ja" ? e.SSO_CONTACT_JA ?? e.SSO_CONTACT : e.SSO_CONTACT) ?? null;
}

let configuration: Promise<oidc.Configuration> | null = null;

/** The provider's metadata (discovery), fetched once per process; a failed fetch is tried again next time. */
function providerConfiguration(): Promise<oidc.Configuration> {
  if (!configuration) {
    const e = env();
    const issuer = new URL(e.OIDC_ISSUER!);
    const metadata: Partial<oidc.ClientMetadata> = {
      [oidc.clockTolerance]: CLOCK_TOLERANCE_S,
    };
    if (e.OIDC_CLIENT_SECRET) metadata.client_secret = e.OIDC_CLIENT_SECRET;
    const pending = oidc.discovery(issuer, e.OIDC_CLIENT_ID!, metadata, e.OIDC_CLIENT_SECRET ? undefined : oidc.None(), {
      // A local provider (tests, a demo) speaks plain HTTP; production issuers are https.
      execute: issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
    });
    pending.catch(() => {
      if (configuration === pending) configuration = null;
    });
    configuration = pending;
  }
  return configuration;
}

/** Forgets the provider's metadata (tests restart their provider). */
export function resetSsoConfiguration(): void {
  configuration = null;
}

function baseUrl(request: Request): string {
  return (env().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/+$/, "");
}

export function redirectUri(request: Request): string {
  return `${baseUrl(request)}/auth/sso/callback`;
}

let cookie: Cookie | null = null;
function browserCookie(): Cookie {
  cookie ??= createCookie(BROWSER_COOKIE, {
    path: "/auth/sso",
    httpOnly: true,
    // The provider sends the person back with a top-level GET, which carries Lax cookies.
    sameSite: "lax",
    secure: env().secureCookies,
    secrets: [sessionSecret()],
    maxAge: SSO_STATE_TTL_MS / 1000,
  });
  return cookie;
}

const hash = (value: string) => createHash("sha256").update(`manabi-sso\0${value}`).digest("base64url");

async function browserValue(request: Request): Promise<string | null> {
  const value = await browserCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

export type SsoStart = { ok: true; url: string; setCookie: string } | { ok: false; reason: SsoFailure };

/**
 * Starts a sign-in: records its state, nonce and PKCE verifier and returns the provider's authorization
 * URL. The browser keeps one random value (a second tab reuses it, so both tabs can finish).
 */
export async function startSsoSignIn(request: Request, returnTo: string | null, now = new Date()): Promise<SsoStart> {
  let config: oidc.Configuration;
  try {
    config = await providerConfiguration();
  } catch (error) {
    return { ok: false, reason: classifySsoError(error) };
  }
  const browser = (await browserValue(request)) ?? randomBytes(32).toString("base64url");
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const db = getDb();
  await db.delete(ssoLoginStates).where(lt(ssoLoginStates.createdAt, new Date(now.getTime() - SSO_STATE_TTL_MS)));
  await db.insert(ssoLoginStates).values({
    state,
    browser: hash(browser),
    nonce,
    codeVerifier,
    returnTo: safeRedirect(returnTo),
    createdAt: now,
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(request),
    scope: scopes(),
    response_type: "code",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  });
  return {
    ok: true,
    url: url.href,
    setCookie: await browserCookie().serialize(browser),
  };
}

function scopes(): string {
  const words = new Set(env().OIDC_SCOPES.split(/\s+/).filter(Boolean));
  words.add("openid");
  return [...words].join(" ");
}

export type SsoFinish =
  | { ok: true; userId: string; returnTo: string; firstLink: boolean }
  | { ok: false; reason: SsoFailure; returnTo: string | null; shown?: string };

/**
 * Finishes a sign-in at the callback: consumes the sign-in's state (once), exchanges the code with the
 * PKCE verifier, checks the ID token (signature, issuer, audience, time, nonce) and finds the person.
 */
export async function finishSsoSignIn(request: Request, now = new Date()): Promise<SsoFinish> {
  const url = new URL(request.url);
  const state = url.searchParams.get("state");
  if (!state || state.length > 200) return { ok: false, reason: "stateMismatch", returnTo: null };
  const [pending] = await getDb().delete(ssoLoginStates).where(eq(ssoLoginStates.state, state)).returning();
  if (!pending || now.getTime() - pending.createdAt.getTime() > SSO_STATE_TTL_MS)
    return {
      ok: false,
      reason: "expired",
      returnTo: pending?.returnTo ?? null,
    };
  const browser = await browserValue(request);
  if (!browser || hash(browser) !== pending.browser) return { ok: false, reason: "stateMismatch", returnTo: pending.returnTo };
  const returnTo = pending.returnTo;

  let claims: Record<string, unknown>;
  let issuer: string;
  try {
    const config = await providerConfiguration();
    // The redirect URI is the one the sign-in started with (PUBLIC_URL behind a proxy), not the request's host.
    const current = new URL(redirectUri(request));
    current.search = url.search;
    const tokens = await oidc.authorizationCodeGrant(
      config,
      current,
      {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      },
      { redirect_uri: redirectUri(request) }
    );
    const idClaims = tokens.claims();
    if (!idClaims) return { ok: false, reason: "rejected", returnTo };
    claims = idClaims as Record<string, unknown>;
    issuer = config.serverMetadata().issuer;
    // Providers that follow the spec strictly put scope claims (email, …) only in the userinfo response.
    if (claims[env().OIDC_CLAIM] === undefined && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...claims };
    }
  } catch (error) {
    return { ok: false, reason: classifySsoError(error), returnTo };
  }
  const key = personKeyOf(claims, env().OIDC_CLAIM);
  const subject = typeof claims.sub === "string" ? claims.sub : "";
  const outcome = await linkPerson({ issuer, subject, key, now });
  if (!outcome.ok) return { ok: false, reason: outcome.reason, returnTo, shown: key?.value };
  return {
    ok: true,
    userId: outcome.userId,
    returnTo,
    firstLink: outcome.firstLink,
  };
}

type LinkOutcome = { ok: true; userId: string; firstLink: boolean } | { ok: false; reason: "unknownPerson" | "inactive" | "conflict" };

/**
 * The person behind an identity: by its (issuer, subject) link if it has one, else by the configured
 * claim, linking them on this first sign-in (audit-logged). Never creates a person.
 */
export async function linkPerson(input: { issuer: string; subject: string; key: PersonKey | null; now?: Date }): Promise<LinkOutcome> {
  const now = input.now ?? new Date();
  if (!input.subject) return { ok: false, reason: "unknownPerson" };
  return getDb().transaction(async (tx) => {
    const [linked] = await tx
      .select({ id: ssoIdentities.id, userId: users.id, active: users.active })
      .from(ssoIdentities)
      .innerJoin(users, eq(users.id, ssoIdentities.userId))
      .where(and(eq(ssoIdentities.issuer, input.issuer), eq(ssoIdentities.subject, input.subject)));
    if (linked) {
      if (!linked.active) return { ok: false, reason: "inactive" } as const;
      await tx.update(ssoIdentities).set({ lastSignInAt: now }).where(eq(ssoIdentities.id, linked.id));
      return { ok: true, userId: linked.userId, firstLink: false } as const;
    }
    if (!input.key) return { ok: false, reason: "unknownPerson" } as const;
    const person = await personByKey(tx, input.key);
    if (!person) return { ok: false, reason: "unknownPerson" } as const;
    if (!person.active) return { ok: false, reason: "inactive" } as const;
    const inserted = await tx
      .insert(ssoIdentities)
      .values({
        issuer: input.issuer,
        subject: input.subject,
        userId: person.id,
        linkedAt: now,
        lastSignInAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: ssoIdentities.id });
    if (!inserted.length) {
      // Either a parallel callback linked this very identity a moment ago, or the person is linked to another one.
      const [same] = await tx
        .select({ userId: ssoIdentities.userId })
        .from(ssoIdentities)
        .where(and(eq(ssoIdentities.issuer, input.issuer), eq(ssoIdentities.subject, input.subject)));
      return same?.userId === person.id
        ? ({ ok: true, userId: person.id, firstLink: false } as const)
        : ({ ok: false, reason: "conflict" } as const);
    }
    await tx.insert(auditLog).values({
      actorId: person.id,
      action: "sso.link",
      targetType: "user",
      targetId: person.id,
      details: {
        issuer: input.issuer,
        subject: input.subject,
        claim: input.key.kind,
        ...(input.key.kind === "email" ? { email: input.key.value } : { employeeNumber: input.key.value }),
      },
      createdAt: now,
    });
    return { ok: true, userId: person.id, firstLink: true } as const;
  });
}

async function personByKey(tx: Transaction, key: PersonKey) {
  const where = key.kind === "email" ? sql`lower(${users.email}) = ${key.value}` : eq(users.employeeNumber, key.value);
  const [person] = await tx.select({ id: users.id, active: users.active }).from(users).where(where).limit(1);
  return person ?? null;
}

/** Whether the person has signed in through the provider (so signing out may offer the provider's sign-out). */
export async function hasLinkedIdentity(userId: string): Promise<boolean> {
  const [row] = await getDb().select({ id: ssoIdentities.id }).from(ssoIdentities).where(eq(ssoIdentities.userId, userId)).limit(1);
  return Boolean(row);
}

/**
 * The provider's sign-out URL (RP-initiated logout), coming back to Manabi's sign-in page; null when
 * SSO is off, the provider publishes no end_session_endpoint, or it cannot be reached now.
 */
export async function endSessionUrl(request: Request): Promise<string | null> {
  if (!ssoEnabled()) return null;
  try {
    const config = await providerConfiguration();
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      client_id: env().OIDC_CLIENT_ID!,
      post_logout_redirect_uri: `${baseUrl(request)}/login?signedOut=1`,
    }).href;
  } catch {
    return null;
  }
}
