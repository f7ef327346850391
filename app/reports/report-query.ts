/**
 * The query strings of the HR dashboard (/hr) and of the people behind its numbers (/hr/report and
 * /hr/report.csv): parsed once with zod (anything odd is dropped, never an error page), and written back
 * as links. Pure.
 */
import { z } from "zod";
import type { AssignmentStatus } from "~/assignments/assignment-status";
import { EXPIRY_WINDOWS, type ExpiryWindow } from "./dashboard-figures";

const STATUSES = ["certified", "in-progress", "not-started", "overdue"] as const satisfies readonly AssignmentStatus[];

const id = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\u0000-\u001f\u007f]+$/u);

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional()).catch(undefined);

export const dashboardSearchSchema = z.object({
  track: optional(id),
  department: optional(id),
  /** "Refresh now": compute the figures anew instead of showing kept ones. */
  fresh: optional(z.literal("1")),
});

export const reportSearchSchema = z.object({
  track: optional(id),
  department: optional(id),
  direct: optional(z.literal("1")),
  status: optional(z.enum(STATUSES)),
  expiring: optional(z.enum(EXPIRY_WINDOWS.map(String) as ["30", "60", "90"])),
  page: optional(z.coerce.number().int().min(1).max(100_000)),
});

const fromUrl = (url: URL) => Object.fromEntries([...url.searchParams].map(([k, v]) => [k, v]));

export function parseDashboardSearch(url: URL): { trackId: string | null; departmentId: string | null; fresh: boolean } {
  const parsed = dashboardSearchSchema.parse(fromUrl(url));
  return { trackId: parsed.track ?? null, departmentId: parsed.department ?? null, fresh: parsed.fresh === "1" };
}

/** The dashboard's own address with its filters (`?track=…&department=…`), optionally with `fresh=1`. */
export function dashboardSearchString(s: { trackId: string | null; departmentId: string | null; fresh?: boolean }): string {
  const params = new URLSearchParams();
  if (s.trackId) params.set("track", s.trackId);
  if (s.departmentId) params.set("department", s.departmentId);
  if (s.fresh) params.set("fresh", "1");
  const text = params.toString();
  return text ? `?${text}` : "";
}

export type ReportSearch = {
  trackId: string | null;
  departmentId: string | null;
  direct: boolean;
  status: AssignmentStatus | null;
  expiring: ExpiryWindow | null;
  page: number;
};

export function parseReportSearch(url: URL): ReportSearch {
  const parsed = reportSearchSchema.parse(fromUrl(url));
  return {
    trackId: parsed.track ?? null,
    departmentId: parsed.department ?? null,
    direct: parsed.direct === "1",
    status: parsed.status ?? null,
    expiring: parsed.expiring ? (Number(parsed.expiring) as ExpiryWindow) : null,
    page: parsed.page ?? 1,
  };
}

/** The query string of a list of people (`?track=…&department=…`), leaving out what is not set. */
export function reportSearchString(s: Partial<ReportSearch>): string {
  const params = new URLSearchParams();
  if (s.trackId) params.set("track", s.trackId);
  if (s.departmentId) params.set("department", s.departmentId);
  if (s.direct) params.set("direct", "1");
  if (s.status) params.set("status", s.status);
  if (s.expiring) params.set("expiring", String(s.expiring));
  if (s.page && s.page > 1) params.set("page", String(s.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}
