/**
 * A page of the team view, kept for a short while ("as of 15:21"), with the HR dashboard's rules
 * (app/reports/dashboard-cache.server.ts, docs/decisions/010-team-view-cache.md): ordering and counting a
 * division head's ~5,000 people costs about 150 ms of database time per view, and a manager reads the
 * page far more often than its figures move.
 *
 * - Kept per content release, manager, status and track filter, page and *change stamp* (the newest
 *   audited change HR makes that moves the figures: assignments, org imports — who reports to whom,
 *   who is active —, people created, certificates recorded or revoked, exemptions, releases), so HR's
 *   changes show at once, in every app process.
 * - Learners' own progress and passes, certificates ending with time and the day turning show within
 *   TEAM_VIEW_MAX_AGE_SECONDS (default 60; 0 turns the cache off). "Refresh now" (`fresh`) computes anew.
 * - Only the manager's own page is ever served to them: the manager is part of the key.
 * - Not kept: whom the manager has reminded today (read per request, so a Remind shows at once), the
 *   Remind itself (decided from the standing at that moment) and the CSV (always exact).
 */
import { FiguresCache } from "~/reports/figures-cache";
import { figureChangeStamp } from "~/reports/dashboard-cache.server";
import { env } from "~/env.server";
import type { LoadedRelease } from "~/content/release.server";
import { teamPage, type TeamFilter, type TeamPage } from "./team.server";

export const TEAM_CACHE_KEYS = 200;

export type TeamCache = FiguresCache<TeamPage>;

/** A cache of team pages; tests make their own with a clock they control. */
export function createTeamCache(options: { maxEntries?: number; clock?: () => Date } = {}): TeamCache {
  return new FiguresCache<TeamPage>({ maxEntries: options.maxEntries ?? TEAM_CACHE_KEYS, clock: options.clock });
}

// One per process (kept on globalThis so a reloaded module in development does not start another).
const key = Symbol.for("manabi.team-view-cache");
const g = globalThis as typeof globalThis & { [key]?: TeamCache };
const processCache = (): TeamCache => (g[key] ??= createTeamCache());

/** The cache key of one team page. */
export function teamCacheKey(parts: { releaseNumber: number | null; managerId: string; filter: TeamFilter; page: number; pageSize: number; changeStamp: number | null }): string {
  return JSON.stringify([parts.releaseNumber, parts.managerId, parts.filter.status, parts.filter.track, parts.page, parts.pageSize, parts.changeStamp]);
}

export type CachedTeamPage = { team: TeamPage; computedAt: Date; fromCache: boolean; maxAgeSeconds: number };

/** A page of the manager's team as they see it: kept while fresh and unchanged, else computed (and kept). */
export async function cachedTeamPage(
  input: { managerId: string; release: LoadedRelease | null; filter: TeamFilter; page: number; pageSize: number; fresh?: boolean },
  options: { cache?: TeamCache; maxAgeSeconds?: number } = {},
): Promise<CachedTeamPage> {
  const maxAgeSeconds = options.maxAgeSeconds ?? env().TEAM_VIEW_MAX_AGE_SECONDS;
  const cache = options.cache ?? processCache();
  const changeStamp = maxAgeSeconds > 0 ? await figureChangeStamp() : null;
  const cacheKey = teamCacheKey({ releaseNumber: input.release?.number ?? null, managerId: input.managerId, filter: input.filter, page: input.page, pageSize: input.pageSize, changeStamp });
  const got = await cache.get(cacheKey, maxAgeSeconds, (now) => teamPage(input.managerId, input.release, input.filter, input.page, input.pageSize, now), { fresh: input.fresh });
  return { team: got.value, computedAt: got.computedAt, fromCache: got.hit, maxAgeSeconds };
}
