/**
 * The audit log page's filter: which kinds of entry, whose, between which days, which page. Parsed from
 * the query string once; pure (no database, no framework), so it is tested directly.
 */

/** Kinds an admin filters by; each stands for the audit actions listed here. */
export const AUDIT_KINDS = ["publish", "roles", "tokens", "accounts", "certificates", "exports"] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The actions of each kind: exact names, or a prefix for families that grow (exports). */
export const AUDIT_ACTIONS: Record<AuditKind, { actions: readonly string[]; prefix?: string }> = {
  publish: { actions: ["content.publish"] },
  roles: { actions: ["role.grant", "role.remove"] },
  tokens: { actions: ["token.create", "token.revoke", "token.use"], prefix: "webhook." },
  accounts: { actions: ["user.create", "org.import", "invitation.send", "sso.link"] },
  certificates: { actions: ["certificate.revoke", "certificate.record-external", "exemption.grant"] },
  exports: { actions: [], prefix: "export." },
};

/** Entries per page. */
export const AUDIT_PAGE_SIZE = 50;
const MAX_PAGE = 10_000;
const MAX_PERSON_CHARS = 100;

export type AuditFilter = {
  kind: AuditKind | null;
  /** Part of a name or email address: entries done by or to a matching person. */
  person: string | null;
  /** Days as written (YYYY-MM-DD, company time zone), both included. */
  from: string | null;
  to: string | null;
  page: number;
};

/** Field → i18n key of what is wrong with it. */
export type AuditFilterErrors = Partial<Record<"from" | "to", string>>;

/** The company's time zone (Asia/Tokyo) has no daylight saving time: a day starts at 00:00 +09:00. */
const DAY_START_OFFSET = "+09:00";

function parseDay(value: string | null): { day: string | null; ok: boolean } {
  const v = value?.trim() ?? "";
  if (!v) return { day: null, ok: true };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return { day: null, ok: false };
  const date = new Date(`${v}T00:00:00Z`);
  // Reject days that do not exist (2026-02-30 would roll over to March).
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== v) return { day: null, ok: false };
  return { day: v, ok: true };
}

/** Reads the filter from a query string; what is unusable is dropped and reported, never thrown. */
export function parseAuditFilter(params: URLSearchParams): { filter: AuditFilter; errors: AuditFilterErrors } {
  const errors: AuditFilterErrors = {};
  const kindValue = params.get("kind");
  const kind = (AUDIT_KINDS as readonly string[]).includes(kindValue ?? "") ? (kindValue as AuditKind) : null;
  const person = params.get("person")?.trim().slice(0, MAX_PERSON_CHARS) || null;
  const from = parseDay(params.get("from"));
  const to = parseDay(params.get("to"));
  if (!from.ok) errors.from = "admin.auditLog.filter.invalidDate";
  if (!to.ok) errors.to = "admin.auditLog.filter.invalidDate";
  let fromDay = from.day;
  let toDay = to.day;
  if (fromDay && toDay && fromDay > toDay) {
    errors.to = "admin.auditLog.filter.dateOrder";
    toDay = null;
  }
  if (!from.ok) fromDay = null;
  const pageValue = Number(params.get("page") ?? "1");
  const page = Number.isInteger(pageValue) && pageValue >= 1 ? Math.min(pageValue, MAX_PAGE) : 1;
  return { filter: { kind, person, from: fromDay, to: toDay, page }, errors };
}

/** The instants the day filter covers: from the start of `from` to before the start of the day after `to`. */
export function auditTimeRange(filter: Pick<AuditFilter, "from" | "to">): { since: Date | null; before: Date | null } {
  const since = filter.from ? new Date(`${filter.from}T00:00:00${DAY_START_OFFSET}`) : null;
  let before: Date | null = null;
  if (filter.to) {
    before = new Date(`${filter.to}T00:00:00${DAY_START_OFFSET}`);
    before.setUTCDate(before.getUTCDate() + 1);
  }
  return { since, before };
}

/** The query string of the same filter on another page (for the pager's links). */
export function auditFilterSearch(filter: AuditFilter, page: number): string {
  const params = new URLSearchParams();
  if (filter.kind) params.set("kind", filter.kind);
  if (filter.person) params.set("person", filter.person);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** The kind an action belongs to, or null for actions no kind lists. */
export function auditKindOf(action: string): AuditKind | null {
  for (const kind of AUDIT_KINDS) {
    const { actions, prefix } = AUDIT_ACTIONS[kind];
    if (actions.includes(action) || (prefix && action.startsWith(prefix))) return kind;
  }
  return null;
}
