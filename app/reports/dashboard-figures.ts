/**
 * The HR dashboard's arithmetic, pure (no database, no framework): status counts and shares, the
 * days of the completion-over-time series, and the geometry of the server-rendered SVG charts.
 * `dashboard.server.ts` gets the counts from SQL aggregates; the charts draw what these return.
 */
import { addDaysTo, tokyoDay, type AssignmentStatus } from "~/assignments/assignment-status";

/** Bar segments from left to right: done, on the way, not begun, late. */
export const CHART_STATUSES: readonly AssignmentStatus[] = ["certified", "in-progress", "not-started", "overdue"];

export type StatusCounts = Record<AssignmentStatus, number>;

export const emptyCounts = (): StatusCounts => ({ certified: 0, "in-progress": 0, "not-started": 0, overdue: 0 });

export const totalOf = (counts: StatusCounts): number => CHART_STATUSES.reduce((sum, s) => sum + counts[s], 0);

/** Each status's share of the total (0 when nobody is counted), as fractions of 1. */
export function sharesOf(counts: StatusCounts): StatusCounts {
  const total = totalOf(counts);
  const out = emptyCounts();
  if (total === 0) return out;
  for (const s of CHART_STATUSES) out[s] = counts[s] / total;
  return out;
}

/** Adds a count to a status; unknown statuses are ignored (a status only SQL knows would be a bug). */
export function addCount(counts: StatusCounts, status: string, n: number): void {
  if ((CHART_STATUSES as readonly string[]).includes(status)) counts[status as AssignmentStatus] += n;
}

/** A linear map from a domain to a range (like d3-scale's scaleLinear), clamped to the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value) => {
    const t = span === 0 ? 0 : Math.min(1, Math.max(0, (value - d0) / span));
    return r0 + t * (r1 - r0);
  };
}

/** How many weeks back the completion-over-time series goes. */
export const SERIES_WEEKS = 12;

export type SeriesPoint = {
  /** The Tokyo calendar day the point stands for. */
  day: string;
  /** The instant measured: the end of that day in Tokyo, or now for today. */
  at: Date;
};

/**
 * The points of the completion-over-time series: today (measured now) and the same weekday in each
 * of the `weeks` weeks before, each measured at the end of that day in Tokyo. Oldest first.
 */
export function weeklyPoints(now: Date, weeks: number): SeriesPoint[] {
  const today = tokyoDay(now);
  const points: SeriesPoint[] = [];
  for (let k = weeks; k >= 1; k--) {
    const day = addDaysTo(today, -7 * k);
    // Midnight after the day, Tokyo time (UTC+9 all year).
    points.push({ day, at: new Date(Date.parse(`${addDaysTo(day, 1)}T00:00:00+09:00`)) });
  }
  points.push({ day: today, at: now });
  return points;
}

export type Segment = { status: AssignmentStatus; x: number; width: number; count: number; share: number };

/** A 100% stacked bar: each non-empty status's segment across `width`, left to right. */
export function stackSegments(counts: StatusCounts, width: number): Segment[] {
  const shares = sharesOf(counts);
  const segments: Segment[] = [];
  let x = 0;
  for (const status of CHART_STATUSES) {
    if (counts[status] === 0) continue;
    const w = shares[status] * width;
    segments.push({ status, x, width: w, count: counts[status], share: shares[status] });
    x += w;
  }
  return segments;
}

/** An SVG path through points (`M x y L x y …`), coordinates rounded to 0.1. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${r(p.x)} ${r(p.y)}`).join(" ");
}

/** A share as a fraction of 1, or null when there is nobody to share among. */
export const shareOf = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Expiry windows (days) the dashboard counts, cumulative: within 30 includes those within 30 of 60. */
export const EXPIRY_WINDOWS = [30, 60, 90] as const;
export type ExpiryWindow = (typeof EXPIRY_WINDOWS)[number];
