import { describe, expect, it } from "vitest";
import { API_BURST, API_RATE_PER_SECOND, RateLimiter } from "~/access/rate-limit";

describe("API rate limit per token", () => {
  it("allows a burst, then refuses with the seconds to wait", () => {
    const limiter = new RateLimiter(50, 100);
    for (let i = 0; i < 100; i++) expect(limiter.take("t", 0)).toEqual({ ok: true });
    expect(limiter.take("t", 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it("refills at the rate: 50 a second after a second's wait", () => {
    const limiter = new RateLimiter(50, 100);
    for (let i = 0; i < 100; i++) limiter.take("t", 0);
    let allowed = 0;
    while (limiter.take("t", 1000).ok) allowed++;
    expect(allowed).toBe(50);
  });

  it("keeps tokens apart", () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take("a", 0).ok).toBe(true);
    expect(limiter.take("a", 0).ok).toBe(false);
    expect(limiter.take("b", 0).ok).toBe(true);
  });

  it("asks a slow-rate client to wait long enough for one request", () => {
    const limiter = new RateLimiter(0.25, 1);
    limiter.take("t", 0);
    expect(limiter.take("t", 0)).toEqual({ ok: false, retryAfterSeconds: 4 });
  });

  it("is 50 a second with bursts of 100 by default (as the README says)", () => {
    expect([API_RATE_PER_SECOND, API_BURST]).toEqual([50, 100]);
  });

  it("forgets full buckets only", () => {
    const limiter = new RateLimiter(10, 10);
    limiter.take("idle", 0);
    for (let i = 0; i < 10; i++) limiter.take("busy", 900);
    limiter.sweep(1000);
    // "busy" still has an empty bucket: a sweep must not hand it a fresh burst.
    expect(limiter.take("busy", 1000).ok).toBe(true);
    expect(limiter.take("busy", 1000).ok).toBe(false);
  });
});
