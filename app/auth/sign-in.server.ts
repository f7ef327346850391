import { and, eq, gt, or } from "drizzle-orm";
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

async function blockedUntil(email: string, ip: string, now: Date): Promise<Date | null> {
  const since = new Date(now.getTime() - Math.max(ACCOUNT_RULE.windowMs, IP_RULE.windowMs));
  const rows = await getDb()
    .select({ email: loginFailures.email, ip: loginFailures.ip, createdAt: loginFailures.createdAt })
    .from(loginFailures)
    .where(and(gt(loginFailures.createdAt, since), or(eq(loginFailures.email, email), eq(loginFailures.ip, ip))));
  const byAccount = rows.filter((r) => r.email === email).map((r) => new Date(r.createdAt));
  const byIp = rows.filter((r) => r.ip === ip).map((r) => new Date(r.createdAt));
  return laterOf(retryAfter(byAccount, ACCOUNT_RULE, now), retryAfter(byIp, IP_RULE, now));
}

/**
 * Checks an email and password, with failed attempts limited per account and per IP address.
 * While an account or address is blocked, even the right password is refused, so guessing cannot go on.
 */
export async function signIn(emailInput: string, password: string, ip: string, now = new Date()): Promise<SignInResult> {
  const email = normalizeEmail(emailInput);
  const blocked = await blockedUntil(email, ip, now);
  if (blocked) return { ok: false, reason: "rateLimited", retryAt: blocked };

  const [user] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const valid = await verifyPassword(user?.passwordHash, password);
  if (!user || !valid || !user.active) {
    await getDb().insert(loginFailures).values({ email, ip, createdAt: now });
    const after = await blockedUntil(email, ip, now);
    if (after) return { ok: false, reason: "rateLimited", retryAt: after };
    return { ok: false, reason: "invalid" };
  }
  await getDb().delete(loginFailures).where(eq(loginFailures.email, email));
  return { ok: true, userId: user.id };
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: "wrongCurrent" | "sameAsCurrent" };

export async function changePassword(userId: string, current: string, next: string): Promise<ChangePasswordResult> {
  const [user] = await getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, current))) return { ok: false, reason: "wrongCurrent" };
  if (current === next) return { ok: false, reason: "sameAsCurrent" };
  await getDb()
    .update(users)
    .set({ passwordHash: await hashPassword(next), updatedAt: new Date() })
    .where(eq(users.id, userId));
  return { ok: true };
}
