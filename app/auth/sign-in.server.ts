import { and, eq, gt, lte, or, sql } from "drizzle-orm";
import { getDb, type Database, type Transaction } from "#db/client.server";
import { loginFailures, users } from "#db/schema";
import { hashPassword, verifyPassword } from "./password.server";
import { ACCOUNT_RULE, IP_RULE, laterOf, retryAfter } from "./rate-limit";

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rateLimited"; retryAt: Date };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const LONGEST_WINDOW_MS = Math.max(ACCOUNT_RULE.windowMs, IP_RULE.windowMs);

type Guesser = { email: string; ip: string };

/** When the account or address may try again, judging by its recorded failures; null if it may now. */
async function blockedUntil(db: Database | Transaction, who: Guesser, now: Date): Promise<Date | null> {
  const since = new Date(now.getTime() - LONGEST_WINDOW_MS);
  const rows = await db
    .select({ email: loginFailures.email, ip: loginFailures.ip, createdAt: loginFailures.createdAt })
    .from(loginFailures)
    // No upper bound: a parallel guess stamped a moment later still counts.
    .where(and(gt(loginFailures.createdAt, since), or(eq(loginFailures.email, who.email), eq(loginFailures.ip, who.ip))));
  const byAccount = rows.filter((r) => r.email === who.email).map((r) => new Date(r.createdAt));
  const byIp = rows.filter((r) => r.ip === who.ip).map((r) => new Date(r.createdAt));
  return laterOf(retryAfter(byAccount, ACCOUNT_RULE, now), retryAfter(byIp, IP_RULE, now));
}

/**
 * Reserves one password guess for the account and the address, atomically under any burst: under a
 * transaction-scoped advisory lock per account and per address (taken in a fixed order, held for the
 * count and the insert only, not while the password is hashed), the failures are counted and the
 * guess is recorded as a failure before the password is checked. N parallel guesses therefore get at
 * most the allowed number of checks. A right password removes the record again (forgetFailures).
 */
async function reserveGuess(email: string, ip: string, now: Date): Promise<{ retryAt: Date } | null> {
  return getDb().transaction(async (tx) => {
    for (const key of [`manabi-login-account:${email}`, `manabi-login-ip:${ip}`].sort()) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    }
    const blocked = await blockedUntil(tx, { email, ip }, now);
    if (blocked) return { retryAt: blocked };
    await tx.insert(loginFailures).values({ email, ip, createdAt: now });
    return null;
  });
}

/** A right password: the account's failures (and this reservation) are forgotten. */
async function forgetFailures(email: string): Promise<void> {
  await getDb().delete(loginFailures).where(eq(loginFailures.email, email));
}

/**
 * Checks an email and password, with failed attempts limited per account and per IP address.
 * While an account or address is blocked, even the right password is refused, so guessing cannot go on.
 */
export async function signIn(emailInput: string, password: string, ip: string, now = new Date()): Promise<SignInResult> {
  const email = normalizeEmail(emailInput);
  const refused = await reserveGuess(email, ip, now);
  if (refused) return { ok: false, reason: "rateLimited", retryAt: refused.retryAt };

  const [user] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid || !user.active) {
    // The reservation stays as the failure.
    const after = await blockedUntil(getDb(), { email, ip }, now);
    if (after) return { ok: false, reason: "rateLimited", retryAt: after };
    return { ok: false, reason: "invalid" };
  }
  await forgetFailures(email);
  return { ok: true, userId: user.id };
}

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; reason: "wrongCurrent" | "sameAsCurrent" }
  | { ok: false; reason: "rateLimited"; retryAt: Date };

/**
 * Changes a password given the current one. Wrong current passwords count against the same limit as
 * failed sign-ins of the account (a stolen session must not become an unlimited guessing oracle).
 */
export async function changePassword(
  userId: string,
  current: string,
  next: string,
  ip: string,
  now = new Date(),
): Promise<ChangePasswordResult> {
  const [user] = await getDb().select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user) return { ok: false, reason: "wrongCurrent" };
  const email = normalizeEmail(user.email);
  const refused = await reserveGuess(email, ip, now);
  if (refused) return { ok: false, reason: "rateLimited", retryAt: refused.retryAt };
  if (!(await verifyPassword(user.passwordHash, current))) {
    const after = await blockedUntil(getDb(), { email, ip }, now);
    if (after) return { ok: false, reason: "rateLimited", retryAt: after };
    return { ok: false, reason: "wrongCurrent" };
  }
  await forgetFailures(email);
  if (current === next) return { ok: false, reason: "sameAsCurrent" };
  await getDb()
    .update(users)
    .set({ passwordHash: await hashPassword(next), updatedAt: new Date() })
    .where(eq(users.id, userId));
  return { ok: true };
}

/** Deletes failures too old to count for any limit; returns how many. */
export async function purgeOldFailures(now = new Date()): Promise<number> {
  const old = await getDb()
    .delete(loginFailures)
    .where(lte(loginFailures.createdAt, new Date(now.getTime() - LONGEST_WINDOW_MS)))
    .returning({ id: loginFailures.id });
  return old.length;
}

