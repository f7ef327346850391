import { asc, eq, gt } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { accessEvents, users, type AccessEventKind } from "#db/schema";
import { processEntitlementChanges } from "./entitlements.server";

/** One entry of the feed as the API answers it. */
export type ApiEvent = {
  /** The event's cursor: pass it as `after` to read what follows. */
  cursor: string;
  kind: AccessEventKind;
  occurredAt: string;
  recordedAt: string;
  user: { id: string; email: string; employeeNumber: string | null };
  tool: string;
  /** The entitlement after the change. */
  allowed: boolean;
  validUntil: string | null;
  release: number;
  cause: string;
  certificates: { trackId: string; certificateId: string; number: string; validUntil: string }[];
  previousValidUntil?: string | null;
  missingTracks?: { trackId: string; reason: string }[];
  requiredTracks?: string[];
  previousRequiredTracks?: string[];
};

export type EventPage = { events: ApiEvent[]; nextCursor: string; hasMore: boolean };

type Details = {
  cause?: string;
  certificates?: ApiEvent["certificates"];
  previousValidUntil?: string | null;
  missing?: { trackId: string; reason: string }[];
  requiredTracks?: string[];
  previousRequiredTracks?: string[];
};

export function eventView(row: {
  seq: number;
  kind: AccessEventKind;
  occurredAt: Date | string;
  recordedAt: Date | string;
  userId: string;
  email: string;
  employeeNumber: string | null;
  toolId: string;
  allowed: boolean;
  validUntil: Date | string | null;
  release: number;
  details: Record<string, unknown>;
}): ApiEvent {
  const d = row.details as Details;
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    cursor: String(row.seq),
    kind: row.kind,
    occurredAt: iso(row.occurredAt),
    recordedAt: iso(row.recordedAt),
    user: { id: row.userId, email: row.email, employeeNumber: row.employeeNumber },
    tool: row.toolId,
    allowed: row.allowed,
    validUntil: row.validUntil ? iso(row.validUntil) : null,
    release: row.release,
    cause: d.cause ?? "",
    certificates: d.certificates ?? [],
    ...(d.previousValidUntil !== undefined ? { previousValidUntil: d.previousValidUntil } : {}),
    ...(d.missing ? { missingTracks: d.missing } : {}),
    ...(d.requiredTracks ? { requiredTracks: d.requiredTracks, previousRequiredTracks: d.previousRequiredTracks ?? [] } : {}),
  };
}

/** The selection every reader of events uses. */
export const eventColumns = {
  seq: accessEvents.seq,
  kind: accessEvents.kind,
  occurredAt: accessEvents.occurredAt,
  recordedAt: accessEvents.recordedAt,
  userId: accessEvents.userId,
  email: users.email,
  employeeNumber: users.employeeNumber,
  toolId: accessEvents.toolId,
  allowed: accessEvents.allowed,
  validUntil: accessEvents.validUntil,
  release: accessEvents.release,
  details: accessEvents.details,
};

/**
 * The events after `after`, oldest first. Pending changes (marked people, a new release, expiries
 * that the passing of time brought) are recorded first, so the answer holds every change made before
 * the request. The next cursor is the last event's, or `after` again when there is nothing new.
 */
export async function readEvents(input: { after: number; limit: number; now?: Date }): Promise<EventPage> {
  await processEntitlementChanges({ now: input.now, maxBatches: 20 });
  const rows = await getDb()
    .select(eventColumns)
    .from(accessEvents)
    .innerJoin(users, eq(users.id, accessEvents.userId))
    .where(gt(accessEvents.seq, input.after))
    .orderBy(asc(accessEvents.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit).map(eventView);
  return { events: page, nextCursor: page.at(-1)?.cursor ?? String(input.after), hasMore: rows.length > input.limit };
}
