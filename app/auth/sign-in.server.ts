import { and, eq, gt, lte, or } from "drizzle-orm";
import { getDb } from "#db/client.server";
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

type Attempt = { id: number; email: string; ip: string };

/** When the account or address may try again, judging by the given failures; null if it may now. */
async function blockedUntil(attempt: Attempt, now: Date, excludeOwn: boolean): Promise<Date | null> {
  const since = new Date(now.getTime() - LONGEST_WINDOW_MS);
  const rows = await getDb()
    .select({ id: loginFailures.id, email: loginFailures.email, ip: loginFailures.ip, createdAt: loginFailures.createdAt })
    .from(loginFailures)
    .where(
      // No upper bound: a parallel guess that started a moment later still counts.
      and(gt(loginFailures.createdAt, since), or(eq(loginFailures.email, attempt.email), eq(loginFailures.ip, attempt.ip))),
    );
  const counted = excludeOwn ? rows.filter((r) => r.id !== attempt.id) : rows;
  const byAccount = counted.filter((r) => r.email === attempt.email).map((r) => new Date(r.createdAt));
  const byIp = counted.filter((r) => r.ip === attempt.ip).map((r) => new Date(r.createdAt));
  return laterOf(retryAfter(byAccount, ACCOUNT_RULE, now), retryAfter(byIp, IP_RULE, now));
}

/**
 * Reserves one password guess for the account and the address, atomically under any burst: the guess
 * is written as a failure first, then the failures are counted. Each of N parallel guesses sees its
 * own row and every row written before it, so at most the allowed number find themselves under the
 * limit, whatever the interleaving. A refused guess takes its row back (it checked nothing).
 * Returns the reservation, or when the next guess will be allowed.
 */
async function reserveGuess(email: string, ip: string, now: Date): Promise<{ attempt: Attempt } | { retryAt: Date }> {
  const [row] = await getDb().insert(loginFailures).values({ email, ip, createdAt: now }).returning({ id: loginFailures.id });
  const attempt = { id: row!.id, email, ip };
  const blocked = await blockedUntil(attempt, now, true);
  if (!blocked) return { attempt };
  await getDb().delete(loginFailures).where(eq(loginFailures.id, attempt.id));
  return { retryAt: blocked };
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
  const reservation = await reserveGuess(email, ip, now);
  if ("retryAt" in reservation) return { ok: false, reason: "rateLimited", retryAt: reservation.retryAt };

  const [user] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid || !user.active) {
    // The reservation stays as the failure.
    const after = await blockedUntil(reservation.attempt, now, false);
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
  const reservation = await reserveGuess(email, ip, now);
  if ("retryAt" in reservation) return { ok: false, reason: "rateLimited", retryAt: reservation.retryAt };
  if (!(await verifyPassword(user.passwordHash, current))) {
    const after = await blockedUntil(reservation.attempt, now, false);
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

