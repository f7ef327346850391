import { describe, expect, it } from "vitest";
import { dashboardCacheKey, FiguresCache, isFresh } from "~/reports/figures-cache";

const at = (seconds: number) => new Date(Date.UTC(2027, 0, 15, 6, 0, seconds));

/** A clock the test moves by hand. */
function manualClock(start = at(0)) {
  let now = start;
  return { clock: () => now, advance: (seconds: number) => (now = new Date(now.getTime() + seconds * 1000)) };
}

/** A computation the test finishes (or fails) when it chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("the dashboard cache key", () => {
  it("tells releases, departments, tracks and change stamps apart", () => {
    const base = { releaseNumber: 3, departmentId: null, trackId: null, changeStamp: 10 };
    const keys = [
      base,
      { ...base, releaseNumber: 4 },
      { ...base, departmentId: "d1" },
      { ...base, trackId: "t1" },
      { ...base, changeStamp: 11 },
      { ...base, changeStamp: null },
      // A department id that looks like a track id does not collide with the track.
      { ...base, departmentId: "t1" },
    ].map(dashboardCacheKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(dashboardCacheKey({ ...base })).toBe(keys[0]);
  });
});

describe("freshness", () => {
  it("is younger than the max age; 0 is never fresh; a clock gone backwards is not trusted", () => {
    expect(isFresh(at(0), at(59), 60)).toBe(true);
    expect(isFresh(at(0), at(60), 60)).toBe(false);
    expect(isFresh(at(0), at(0), 0)).toBe(false);
    expect(isFresh(at(10), at(5), 60)).toBe(false);
  });
});

describe("the figures cache", () => {
  it("keeps a computation while fresh and computes again once it is not", async () => {
    const { clock, advance } = manualClock();
    const cache = new FiguresCache<number>({ maxEntries: 10, clock });
    let runs = 0;
    const compute = async () => ++runs;
    const first = await cache.get("k", 60, compute);
    expect(first).toEqual({ value: 1, computedAt: at(0), hit: false });
    advance(30);
    expect(await cache.get("k", 60, compute)).toEqual({ value: 1, computedAt: at(0), hit: true });
    advance(30);
    expect(await cache.get("k", 60, compute)).toEqual({ value: 2, computedAt: at(60), hit: false });
  });

  it("computes every time when the max age is 0, and keeps nothing", async () => {
    const cache = new FiguresCache<number>({ maxEntries: 10, clock: manualClock().clock });
    let runs = 0;
    await cache.get("k", 0, async () => ++runs);
    await cache.get("k", 0, async () => ++runs);
    expect(runs).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("recomputes and refills on fresh, even while the kept figures are fresh", async () => {
    const { clock, advance } = manualClock();
    const cache = new FiguresCache<number>({ maxEntries: 10, clock });
    let runs = 0;
    await cache.get("k", 60, async () => ++runs);
    advance(5);
    expect(await cache.get("k", 60, async () => ++runs, { fresh: true })).toEqual({ value: 2, computedAt: at(5), hit: false });
    advance(5);
    expect(await cache.get("k", 60, async () => ++runs)).toEqual({ value: 2, computedAt: at(5), hit: true });
  });

  it("shares one computation among concurrent misses of a key, not among keys", async () => {
    const cache = new FiguresCache<string>({ maxEntries: 10, clock: manualClock().clock });
    const pending = deferred<string>();
    let runs = 0;
    const slow = () => {
      runs++;
      return pending.promise;
    };
    const waiting = [cache.get("k", 60, slow), cache.get("k", 60, slow), cache.get("k", 60, slow)];
    const other = cache.get("other", 60, async () => {
      runs++;
      return "other";
    });
    pending.resolve("figures");
    const got = await Promise.all(waiting);
    expect(got.map((g) => g.value)).toEqual(["figures", "figures", "figures"]);
    expect((await other).value).toBe("other");
    expect(runs).toBe(2);
  });

  it("keeps no failed computation: every waiter gets the error and the next read computes again", async () => {
    const cache = new FiguresCache<string>({ maxEntries: 10, clock: manualClock().clock });
    const pending = deferred<string>();
    const a = cache.get("k", 60, () => pending.promise);
    const b = cache.get("k", 60, () => Promise.resolve("never asked"));
    pending.reject(new Error("database gone"));
    await expect(a).rejects.toThrow("database gone");
    await expect(b).rejects.toThrow("database gone");
    expect(cache.size).toBe(0);
    expect(await cache.get("k", 60, async () => "recovered")).toMatchObject({ value: "recovered", hit: false });
  });

  it("holds at most maxEntries keys, dropping the least recently used", async () => {
    const cache = new FiguresCache<string>({ maxEntries: 3, clock: manualClock().clock });
    let runs = 0;
    const compute = (v: string) => async () => {
      runs++;
      return v;
    };
    for (const k of ["a", "b", "c"]) await cache.get(k, 60, compute(k));
    await cache.get("a", 60, compute("a")); // a is now the most recently used
    await cache.get("d", 60, compute("d")); // b goes
    expect(cache.size).toBe(3);
    expect(runs).toBe(4);
    expect((await cache.get("a", 60, compute("a"))).hit).toBe(true);
    expect((await cache.get("c", 60, compute("c"))).hit).toBe(true);
    expect((await cache.get("b", 60, compute("b"))).hit).toBe(false);
  });

  it("never lets an older, slower computation replace a newer one", async () => {
    const { clock, advance } = manualClock();
    const cache = new FiguresCache<string>({ maxEntries: 10, clock });
    const slow = deferred<string>();
    const older = cache.get("k", 60, () => slow.promise);
    advance(1);
    await cache.get("k", 60, async () => "newer", { fresh: true });
    slow.resolve("older");
    await older;
    expect(await cache.get("k", 60, async () => "unused")).toEqual({ value: "newer", computedAt: at(1), hit: true });
  });
});
