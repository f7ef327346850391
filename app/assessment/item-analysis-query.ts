/**
 * The item-analysis table's view as URL search params (sort column and direction, course, domain,
 * flagged only, question versions), shared by the page and its CSV so both show the same rows.
 * Unknown or malformed values fall back to the defaults rather than failing: a stale bookmark still opens.
 */
import { z } from "zod";
import { SORT_KEYS, type SortDirection, type SortKey } from "./item-analysis";

const VERSIONS = ["current", "all"] as const;

const schema = z.object({
  sort: z.enum(SORT_KEYS).catch("id"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  course: z.string().max(100).catch(""),
  domain: z.string().max(100).catch(""),
  flagged: z
    .string()
    .transform((v) => v === "1" || v === "on" || v === "true")
    .catch(false),
  versions: z.enum(VERSIONS).catch("current"),
});

export type ItemAnalysisQuery = {
  sort: SortKey;
  dir: SortDirection;
  course: string;
  domain: string;
  flagged: boolean;
  versions: (typeof VERSIONS)[number];
};

export const DEFAULT_QUERY: ItemAnalysisQuery = { sort: "id", dir: "asc", course: "", domain: "", flagged: false, versions: "current" };

export function parseItemAnalysisQuery(params: URLSearchParams): ItemAnalysisQuery {
  const raw = Object.fromEntries([...params].filter(([k]) => k in schema.shape));
  const parsed = schema.safeParse({ sort: "id", dir: "asc", course: "", domain: "", flagged: "", versions: "current", ...raw });
  return parsed.success ? parsed.data : DEFAULT_QUERY;
}

/** The search string of a view (defaults left out), e.g. for a sort link or the CSV link. */
export function itemAnalysisSearch(query: ItemAnalysisQuery, change: Partial<ItemAnalysisQuery> = {}): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.course) params.set("course", q.course);
  if (q.domain) params.set("domain", q.domain);
  if (q.flagged) params.set("flagged", "1");
  if (q.versions !== DEFAULT_QUERY.versions) params.set("versions", q.versions);
  if (q.sort !== DEFAULT_QUERY.sort || q.dir !== DEFAULT_QUERY.dir) {
    params.set("sort", q.sort);
    params.set("dir", q.dir);
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/**
 * The direction a click on a column header asks for: the other way when already sorted by it; otherwise
 * where problems show first — most answers, flags and language gaps first, lowest facility and
 * discrimination first.
 */
export function nextDirection(query: ItemAnalysisQuery, key: SortKey): SortDirection {
  if (query.sort === key) return query.dir === "asc" ? "desc" : "asc";
  return key === "attempts" || key === "flags" || key === "gap" ? "desc" : "asc";
}
