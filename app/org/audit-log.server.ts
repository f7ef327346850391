import { and, desc, eq, gte, ilike, inArray, like, lt, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { apiTokens, auditLog, users } from "#db/schema";
import { AUDIT_ACTIONS, AUDIT_PAGE_SIZE, auditTimeRange, type AuditFilter } from "./audit-filter";
import { personNameColumns, type PersonNameFields } from "./person-name-columns.server";

/** One audit entry as the admin's page shows it: names resolved, only the details worth showing. */
export type AuditEntryView = {
  id: number;
  action: string;
  createdAt: Date;
  actor: PersonNameFields | null;
  /** Who acted when no person did: the publishing CLI's name, "cli", an API token's first use. */
  actorLabel: string | null;
  target: PersonNameFields | null;
  details: {
    role: string | null;
    /** A content release's or a certificate's number. */
    number: string | null;
    tokenName: string | null;
    prefix: string | null;
    email: string | null;
    trackId: string | null;
    /** A webhook's address; a tool's id for a tool roster export. */
    url: string | null;
    toolId: string | null;
    /** Rows in an export. */
    rows: string | null;
  };
};

const text = (value: unknown) => (typeof value === "string" || typeof value === "number" ? String(value) : null);

/** People whose name (written, kana or romanised, either order) or email contains the search. */
async function matchingPeople(search: string): Promise<string[]> {
  const pattern = `%${search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const rows = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(
      or(
        ilike(users.email, pattern),
        ilike(users.familyName, pattern),
        ilike(users.givenName, pattern),
        ilike(users.familyNameKana, pattern),
        ilike(users.givenNameKana, pattern),
        ilike(users.familyNameLatin, pattern),
        ilike(users.givenNameLatin, pattern),
        ilike(sql`${users.familyName} || ${users.givenName}`, pattern),
        ilike(sql`${users.givenName} || ' ' || ${users.familyName}`, pattern),
      ),
    )
    .limit(500);
  return rows.map((r) => r.id);
}

/**
 * A page of the audit log, newest first, filtered by kind, person (as actor or as the person acted
 * on) and days. `hasNext` says whether an older page exists.
 */
export async function listAuditEntries(filter: AuditFilter, pageSize = AUDIT_PAGE_SIZE): Promise<{ entries: AuditEntryView[]; hasNext: boolean }> {
  const conditions: SQL[] = [];
  if (filter.kind) {
    const { actions, prefix } = AUDIT_ACTIONS[filter.kind];
    const byKind = [...(actions.length ? [inArray(auditLog.action, [...actions])] : []), ...(prefix ? [like(auditLog.action, `${prefix}%`)] : [])];
    conditions.push(byKind.length === 1 ? byKind[0]! : or(...byKind)!);
  }
  if (filter.person) {
    const ids = await matchingPeople(filter.person);
    if (ids.length === 0) return { entries: [], hasNext: false };
    conditions.push(or(inArray(auditLog.actorId, ids), and(eq(auditLog.targetType, "user"), inArray(auditLog.targetId, ids)))!);
  }
  const { since, before } = auditTimeRange(filter);
  if (since) conditions.push(gte(auditLog.createdAt, since));
  if (before) conditions.push(lt(auditLog.createdAt, before));

  const rows = await getDb()
    .select({
      id: auditLog.id,
      action: auditLog.action,
      createdAt: auditLog.createdAt,
      actorId: auditLog.actorId,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(pageSize + 1)
    .offset((filter.page - 1) * pageSize);
  const page = rows.slice(0, pageSize);

  const personIds = new Set<string>();
  for (const r of page) {
    if (r.actorId) personIds.add(r.actorId);
    if (r.targetType === "user" && r.targetId) personIds.add(r.targetId);
  }
  const people = personIds.size
    ? await getDb()
        .select({ id: users.id, ...personNameColumns })
        .from(users)
        .where(inArray(users.id, [...personIds]))
    : [];
  const byId = new Map(people.map(({ id, ...name }) => [id, name]));
  // A token's first use of a day records only the token's id: name it from the token list.
  const tokenIds = [...new Set(page.filter((r) => r.targetType === "api_token" && r.targetId && !text(r.details?.name)).map((r) => r.targetId!))];
  const tokens = tokenIds.length
    ? await getDb().select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix }).from(apiTokens).where(inArray(apiTokens.id, tokenIds))
    : [];
  const tokenById = new Map(tokens.map((t) => [t.id, t]));

  const entries = page.map((r): AuditEntryView => {
    const d = r.details ?? {};
    return {
      id: r.id,
      action: r.action,
      createdAt: r.createdAt,
      actor: r.actorId ? (byId.get(r.actorId) ?? null) : null,
      actorLabel: r.actorId ? null : (text(d.publisher) ?? text(d.via)),
      target: r.targetType === "user" && r.targetId ? (byId.get(r.targetId) ?? null) : null,
      details: {
        role: text(d.role),
        number: r.action === "content.publish" ? text(r.targetId) : text(d.number),
        tokenName: text(d.name) ?? (r.targetId ? (tokenById.get(r.targetId)?.name ?? null) : null),
        prefix: text(d.prefix) ?? (r.targetId ? (tokenById.get(r.targetId)?.prefix ?? null) : null),
        email: text(d.email),
        trackId: text(d.trackId),
        url: text(d.url),
        toolId: r.targetType === "tool" ? text(r.targetId) : null,
        rows: text(d.rows),
      },
    };
  });
  return { entries, hasNext: rows.length > pageSize };
}
