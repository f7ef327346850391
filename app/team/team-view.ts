/**
 * The manager's view of their team, pure rules (no database, no framework): which of a person's
 * assignments need attention, in what order people are listed ("who needs attention first"), the
 * summary line, and the filters. `team.server.ts` orders and counts the same way in SQL (for a large
 * reporting line); an integration test checks the two agree.
 *
 * Days are Tokyo calendar days written `YYYY-MM-DD`, as assignments store them.
 */
import { byUrgency, daysBetween, addDaysTo, type AssignmentStatus } from "~/assignments/assignment-status";

/** "Due soon": an open assignment due within this many days (today included). */
export const DUE_SOON_DAYS = 14;

/** People per page of the team view (the summary and the CSV cover everyone). */
export const TEAM_PAGE_SIZE = 50;

/** What the status filter can ask for: a standing, or one of the attention kinds. */
export const TEAM_STATUS_FILTERS = ["overdue", "due-soon", "expiring", "not-started", "in-progress", "certified"] as const;
export type TeamStatusFilter = (typeof TEAM_STATUS_FILTERS)[number];

export type TeamCell = {
  trackId: string;
  status: AssignmentStatus;
  /** YYYY-MM-DD (Tokyo). */
  dueOn: string;
  /** ISO instant: the end of the person's valid certificate for the track, when they hold one. */
  certifiedUntil: string | null;
  /** Certified, and the certificate is in its track's recertification window. */
  expiringSoon: boolean;
};

export type AttentionItem =
  | { kind: "overdue"; trackId: string; dueOn: string; daysLate: number }
  | { kind: "due-soon"; trackId: string; dueOn: string; daysLeft: number }
  | { kind: "expiring"; trackId: string; validUntil: string };

const isOpen = (c: TeamCell) => c.status === "not-started" || c.status === "in-progress";

/** Open and due within DUE_SOON_DAYS of today (not overdue: that is its own kind). */
export function isDueSoon(cell: TeamCell, today: string): boolean {
  return isOpen(cell) && cell.dueOn >= today && cell.dueOn <= addDaysTo(today, DUE_SOON_DAYS);
}

/** Whether a cell answers a status filter. */
export function cellMatches(cell: TeamCell, filter: TeamStatusFilter, today: string): boolean {
  switch (filter) {
    case "due-soon":
      return isDueSoon(cell, today);
    case "expiring":
      return cell.expiringSoon;
    default:
      return cell.status === filter;
  }
}

/** What needs attention for one person: overdue (longest late first), then due soon, then expiring certificates. */
export function attentionItems(cells: readonly TeamCell[], today: string): AttentionItem[] {
  const open = cells.filter((c) => c.status === "overdue" || isDueSoon(c, today)).sort(byUrgency);
  const items: AttentionItem[] = open.map((c) =>
    c.status === "overdue"
      ? { kind: "overdue", trackId: c.trackId, dueOn: c.dueOn, daysLate: daysBetween(c.dueOn, today) }
      : { kind: "due-soon", trackId: c.trackId, dueOn: c.dueOn, daysLeft: daysBetween(today, c.dueOn) },
  );
  const expiring = cells
    .filter((c) => c.expiringSoon && c.certifiedUntil)
    .sort((a, b) => Date.parse(a.certifiedUntil!) - Date.parse(b.certifiedUntil!));
  for (const c of expiring) items.push({ kind: "expiring", trackId: c.trackId, validUntil: c.certifiedUntil! });
  return items;
}

/**
 * Where a person stands in "who needs attention first":
 * group 0 — something overdue (the earliest due day first: longest late);
 * group 1 — something still to do (the earliest due day first);
 * group 2 — everything certified, a certificate expiring (the earliest end first);
 * group 3 — nothing to do.
 */
export type AttentionRank = { group: 0 | 1 | 2 | 3; key: string };

export function attentionRank(cells: readonly TeamCell[]): AttentionRank {
  const min = (xs: string[]) => xs.reduce((a, b) => (b < a ? b : a));
  const overdue = cells.filter((c) => c.status === "overdue").map((c) => c.dueOn);
  if (overdue.length) return { group: 0, key: min(overdue) };
  const open = cells.filter(isOpen).map((c) => c.dueOn);
  if (open.length) return { group: 1, key: min(open) };
  const expiring = cells.filter((c) => c.expiringSoon && c.certifiedUntil).map((c) => new Date(c.certifiedUntil!).toISOString());
  if (expiring.length) return { group: 2, key: min(expiring) };
  return { group: 3, key: "" };
}

export type RankedPerson = {
  id: string;
  email: string;
  familyNameKana: string | null;
  givenNameKana: string | null;
  cells: readonly TeamCell[];
};

const kana = (s: string | null) => s ?? "\uffff";
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Who needs attention first; ties by kana reading, then email (as the SQL orders them). */
export function compareAttention(a: RankedPerson, b: RankedPerson): number {
  const ra = attentionRank(a.cells);
  const rb = attentionRank(b.cells);
  return (
    ra.group - rb.group ||
    compareText(ra.key, rb.key) ||
    compareText(kana(a.familyNameKana), kana(b.familyNameKana)) ||
    compareText(kana(a.givenNameKana), kana(b.givenNameKana)) ||
    compareText(a.email, b.email) ||
    compareText(a.id, b.id)
  );
}

export type TeamSummary = {
  /** Active people in the reporting line. */
  people: number;
  /** People with at least one overdue assignment. */
  overdue: number;
  /** People with an open assignment due within DUE_SOON_DAYS. */
  dueSoon: number;
  /** People with a certificate in its recertification window. */
  expiring: number;
};

/** The summary line over everyone (people without assignments count only as people). */
export function summarize(people: readonly { cells: readonly TeamCell[] }[], today: string): TeamSummary {
  const summary: TeamSummary = { people: people.length, overdue: 0, dueSoon: 0, expiring: 0 };
  for (const p of people) {
    if (p.cells.some((c) => c.status === "overdue")) summary.overdue++;
    if (p.cells.some((c) => isDueSoon(c, today))) summary.dueSoon++;
    if (p.cells.some((c) => c.expiringSoon)) summary.expiring++;
  }
  return summary;
}

/** The open assignment a reminder is about: the most urgent one not certified, or null. */
export function reminderTarget<T extends TeamCell | { trackId: string; status: AssignmentStatus; dueOn: string }>(cells: readonly T[]): T | null {
  const open = cells.filter((c) => c.status !== "certified");
  return open.length ? [...open].sort(byUrgency)[0]! : null;
}

/** The filters of the page's GET form, read leniently: anything unknown means "no filter". */
export function parseTeamQuery(params: URLSearchParams, trackIds: readonly string[]): { status: TeamStatusFilter | null; track: string | null; page: number } {
  const status = params.get("status");
  const track = params.get("track");
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    status: (TEAM_STATUS_FILTERS as readonly string[]).includes(status ?? "") ? (status as TeamStatusFilter) : null,
    track: track && trackIds.includes(track) ? track : null,
    page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}
