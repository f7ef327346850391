/**
 * A short-lived, bounded, in-process cache of computed figures ("as of 15:21"), as the HR dashboard
 * uses it (app/reports/dashboard-cache.server.ts). Pure: no database, and the clock is passed in.
 *
 * - An entry is fresh while it is younger than the max age (0 turns the cache off: every read computes).
 * - At most `maxEntries` keys are kept; the least recently used goes first.
 * - Concurrent misses of one key share one computation (single flight); a failed computation is not
 *   kept, and every caller waiting on it gets its error.
 * - `fresh` computes anew (never joins an earlier computation) and refills the entry.
 *
 * Exactness comes from the key: the caller puts a stamp of the changes that must show at once in it,
 * so a change means a new key, never a stale hit.
 */

export type DashboardKeyParts = {
  releaseNumber: number;
  departmentId: string | null;
  trackId: string | null;
  /** The newest audited change that moves the figures (null: none yet). */
  changeStamp: number | null;
};

/** The cache key of one dashboard: content release, department filter, track and change stamp. */
export function dashboardCacheKey(parts: DashboardKeyParts): string {
  return JSON.stringify([parts.releaseNumber, parts.departmentId, parts.trackId, parts.changeStamp]);
}

/**
 * Whether figures computed at `computedAt` may still be shown at `now`. Never when the cache is off, and
 * never when the clock went backwards (the age is unknown).
 */
export function isFresh(computedAt: Date, now: Date, maxAgeSeconds: number): boolean {
  if (maxAgeSeconds <= 0) return false;
  const age = now.getTime() - computedAt.getTime();
  return age >= 0 && age < maxAgeSeconds * 1000;
}

export type Cached<T> = { value: T; computedAt: Date; hit: boolean };

type Entry<T> = { value: T; computedAt: Date };

export type FiguresCacheOptions = { maxEntries: number; clock?: () => Date };

export class FiguresCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new Map<string, Promise<Entry<T>>>();
  private readonly maxEntries: number;
  private readonly clock: () => Date;

  constructor(options: FiguresCacheOptions) {
    this.maxEntries = Math.max(1, options.maxEntries);
    this.clock = options.clock ?? (() => new Date());
  }

  /** How many keys are kept now. */
  get size(): number {
    return this.entries.size;
  }

  /** The figures for `key`: kept ones while fresh, else computed (once for all callers at that moment). */
  async get(key: string, maxAgeSeconds: number, compute: (now: Date) => Promise<T>, options: { fresh?: boolean } = {}): Promise<Cached<T>> {
    if (maxAgeSeconds <= 0) {
      const now = this.clock();
      return { value: await compute(now), computedAt: now, hit: false };
    }
    if (!options.fresh) {
      const kept = this.entries.get(key);
      if (kept && isFresh(kept.computedAt, this.clock(), maxAgeSeconds)) {
        this.touch(key, kept);
        return { ...kept, hit: true };
      }
      const flight = this.flights.get(key);
      if (flight) return { ...(await flight), hit: false };
    }
    const now = this.clock();
    const flight = compute(now).then((value) => {
      const entry = { value, computedAt: now };
      const kept = this.entries.get(key);
      // A slower, older computation never replaces a newer one.
      if (!kept || kept.computedAt.getTime() <= now.getTime()) this.touch(key, entry);
      return entry;
    });
    // A refresh is also the computation that concurrent ordinary misses wait for.
    if (!this.flights.has(key)) {
      this.flights.set(key, flight);
      const done = () => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      };
      flight.then(done, done);
    }
    return { ...(await flight), hit: false };
  }

  /** Forgets every entry (computations under way still finish and are kept). */
  clear(): void {
    this.entries.clear();
  }

  private touch(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
