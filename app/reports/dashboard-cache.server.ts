/**
 * The HR dashboard's figures, kept for a short while ("as of 15:21"): computing them for 50,000 people
 * takes a few hundred milliseconds, and a dashboard is read far more often than the figures move.
 *
 * - Kept per content release, department filter, track and *change stamp*: the id of the newest audit
 *   entry of the changes HR makes that move the figures (FIGURE_CHANGE_ACTIONS: assignments created or
 *   withdrawn, an org import applied, a person created, certificates revoked, recorded or exempted, a
 *   release published). It is read with one index-only look-up per request, so HR's own changes show
 *   at once, in every app process, whatever the max age.
 * - What the stamp does not see — learners' own progress and passes, certificates ending with time, the
 *   day turning — shows within HR_DASHBOARD_MAX_AGE_SECONDS (default 60; 0 turns the cache off).
 * - At most 200 keys per process (least recently used go first); concurrent misses of a key share one
 *   computation; a failure is not kept; `fresh` recomputes and refills.
 * Not cached: the lists of people (/hr/report) and the CSV exports, which are always exact.
 */
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "#db/client.server";
import { auditLog, figureChangeCondition } from "#db/schema";
import { env } from "~/env.server";
import { dashboardCacheKey, FiguresCache } from "./figures-cache";
import { hrDashboard, type Dashboard, type DashboardInput } from "./dashboard.server";

export const DASHBOARD_CACHE_KEYS = 200;

export type DashboardCache = FiguresCache<Dashboard>;

/** A cache of dashboards; tests make their own with a clock they control. */
export function createDashboardCache(options: { maxEntries?: number; clock?: () => Date } = {}): DashboardCache {
  return new FiguresCache<Dashboard>({ maxEntries: options.maxEntries ?? DASHBOARD_CACHE_KEYS, clock: options.clock });
}

// One per process (kept on globalThis so a reloaded module in development does not start another).
const key = Symbol.for("manabi.hr-dashboard-cache");
const g = globalThis as typeof globalThis & { [key]?: DashboardCache };
const processCache = (): DashboardCache => (g[key] ??= createDashboardCache());

/** The id of the newest audited change that moves the dashboard's figures (null when there is none). */
export async function figureChangeStamp(): Promise<number | null> {
  const result = await getDb().execute(sql`select max(${auditLog.id}) as stamp from ${auditLog} where ${figureChangeCondition}`);
  const stamp = rowsOf<{ stamp: number | string | null }>(result)[0]?.stamp ?? null;
  return stamp === null ? null : Number(stamp);
}

export type CachedDashboard = { dashboard: Dashboard; computedAt: Date; fromCache: boolean; maxAgeSeconds: number };

/** The dashboard as HR sees it: kept figures while fresh and unchanged, else computed (and kept). */
export async function cachedHrDashboard(
  input: Omit<DashboardInput, "now"> & { fresh?: boolean },
  options: { cache?: DashboardCache; maxAgeSeconds?: number } = {},
): Promise<CachedDashboard> {
  const maxAgeSeconds = options.maxAgeSeconds ?? env().HR_DASHBOARD_MAX_AGE_SECONDS;
  const cache = options.cache ?? processCache();
  const trackId = input.trackId && input.release.tracks.has(input.trackId) ? input.trackId : null;
  const changeStamp = maxAgeSeconds > 0 ? await figureChangeStamp() : null;
  const cacheKey = dashboardCacheKey({ releaseNumber: input.release.number, departmentId: input.departmentId, trackId, changeStamp });
  const got = await cache.get(cacheKey, maxAgeSeconds, (now) => hrDashboard({ release: input.release, trackId, departmentId: input.departmentId, now }), {
    fresh: input.fresh,
  });
  return { dashboard: got.value, computedAt: got.computedAt, fromCache: got.hit, maxAgeSeconds };
}
