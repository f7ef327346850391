/**
 * Sliding-window limit on failed sign-ins. Pure: given the times of recent failures, says whether
 * another attempt is allowed now and, if not, when it will be.
 */
export type RateLimitRule = { maxFailures: number; windowMs: number };

export const ACCOUNT_RULE: RateLimitRule = { maxFailures: 5, windowMs: 15 * 60_000 };
export const IP_RULE: RateLimitRule = { maxFailures: 30, windowMs: 15 * 60_000 };

export function retryAfter(failures: readonly Date[], rule: RateLimitRule, now: Date): Date | null {
  const windowStart = now.getTime() - rule.windowMs;
  const recent = failures
    .map((d) => d.getTime())
    .filter((t) => t > windowStart)
    .sort((a, b) => b - a);
  if (recent.length < rule.maxFailures) return null;
  // Allowed again once the oldest failure that keeps us at the limit leaves the window.
  const blocking = recent[rule.maxFailures - 1]!;
  return new Date(blocking + rule.windowMs);
}

export function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
