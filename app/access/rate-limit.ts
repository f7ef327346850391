/**
 * A token bucket per API token, in the memory of one app process: each token may make RATE requests a
 * second on average and up to BURST at once. With N app processes behind a load balancer a token gets
 * up to N times that in total — the limit protects each process from one runaway client, it is not a
 * quota. Pure: the caller passes the clock.
 */

export const API_RATE_PER_SECOND = 50;
export const API_BURST = 100;

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

type Bucket = { tokens: number; at: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond = API_RATE_PER_SECOND,
    private readonly burst = API_BURST,
  ) {}

  /** Takes one request from `key`'s bucket at `nowMs`. */
  take(key: string, nowMs: number): RateDecision {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.ratePerSecond);
    bucket.at = Math.max(bucket.at, nowMs);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    // Whole seconds until one request's worth has refilled (Retry-After takes an integer).
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond)) };
  }

  /** Forgets buckets that have been full for a while, so the map does not grow with revoked tokens. */
  sweep(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if ((nowMs - bucket.at) / 1000 * this.ratePerSecond + bucket.tokens >= this.burst) this.buckets.delete(key);
    }
  }
}
