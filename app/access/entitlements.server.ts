import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { getDb, rowsOf, type Transaction } from "#db/client.server";
import { accessEventCounter, accessEvents, certificates, entitlementChecks, entitlements, users, webhookDeliveries, webhooks } from "#db/schema";
import { getCurrentRelease, type LoadedRelease } from "~/content/release.server";
import { decideAccess, type CertificateInput } from "./decision";
import { entitlementChange, withdrawnToolChange, type EntitlementEvent, type StoredEntitlement } from "./entitlement-changes";

/**
 * The entitlement change feed's writer. Decisions are made on demand (decisions.server.ts); this
 * module remembers the last decision per (person, tool) and records every change as an event:
 *
 * - a certificate awarded, recorded or revoked, or a person's status changed, marks the person in
 *   `entitlement_checks` in the same transaction (`markEntitlementsStale`), so no change is lost even
 *   if the process stops right after;
 * - a new content release makes every person due once (`access_event_counter.reconciled_release`);
 * - the passing of time (an expiry, a recertification window opening) is found by index on the
 *   remembered states.
 *
 * `processEntitlementChanges` works all three; the access worker runs it every few seconds in every
 * app process, and the feed runs it before answering, so a consumer that polls sees every change that
 * happened before its poll. People are locked (FOR NO KEY UPDATE) while decided, so two processes
 * never record the same change twice; events take their `seq` under the counter's row lock, held to
 * commit, so the feed's order is commit order.
 */

const BATCH = 500;

export { markEntitlementsStale } from "./entitlement-marks.server";

type Person = { active: boolean; certificatesByTrack: Map<string, CertificateInput[]> };

async function loadPeople(tx: Transaction, userIds: readonly string[]): Promise<Map<string, Person>> {
  const people = new Map<string, Person>();
  const rows = await tx.select({ id: users.id, active: users.active }).from(users).where(inArray(users.id, [...userIds]));
  for (const r of rows) people.set(r.id, { active: r.active, certificatesByTrack: new Map() });
  const certs = await tx
    .select({ userId: certificates.userId, id: certificates.id, number: certificates.number, trackId: certificates.trackId, validUntil: certificates.validUntil, revokedAt: certificates.revokedAt })
    .from(certificates)
    .where(inArray(certificates.userId, [...userIds]));
  for (const c of certs) {
    const person = people.get(c.userId);
    if (!person) continue;
    const list = person.certificatesByTrack.get(c.trackId) ?? [];
    list.push({ id: c.id, number: c.number, validUntil: new Date(c.validUntil), revokedAt: c.revokedAt ? new Date(c.revokedAt) : null });
    person.certificatesByTrack.set(c.trackId, list);
  }
  return people;
}

type PendingEvent = EntitlementEvent & { userId: string; toolId: string; release: number };

/** Records events in order, numbered from the counter (locked until commit), with a delivery per active webhook. */
async function recordEvents(tx: Transaction, events: readonly PendingEvent[]): Promise<void> {
  if (events.length === 0) return;
  const [counter] = await tx.select({ last: accessEventCounter.last }).from(accessEventCounter).where(eq(accessEventCounter.id, 1)).for("update");
  const first = (counter?.last ?? 0) + 1;
  const rows = events.map((e, i) => ({
    seq: first + i,
    kind: e.kind,
    userId: e.userId,
    toolId: e.toolId,
    release: e.release,
    occurredAt: e.occurredAt,
    allowed: e.allowed,
    validUntil: e.validUntil,
    details: e.details as Record<string, unknown>,
  }));
  for (let i = 0; i < rows.length; i += BATCH) await tx.insert(accessEvents).values(rows.slice(i, i + BATCH));
  const last = first + events.length - 1;
  await tx
    .insert(accessEventCounter)
    .values({ id: 1, last })
    .onConflictDoUpdate({ target: accessEventCounter.id, set: { last } });
  await tx.execute(sql`
    insert into ${webhookDeliveries} (webhook_id, event_seq)
    select ${webhooks.id}, ${accessEvents.seq} from ${webhooks} cross join ${accessEvents}
    where ${webhooks.disabledAt} is null and ${accessEvents.seq} between ${first} and ${last}
    on conflict do nothing`);
}

const toStored = (row: typeof entitlements.$inferSelect): StoredEntitlement => ({
  allowed: row.allowed,
  validUntil: row.validUntil ? new Date(row.validUntil) : null,
  expiringFrom: row.expiringFrom ? new Date(row.expiringFrom) : null,
  expiringNoticeFor: row.expiringNoticeFor ? new Date(row.expiringNoticeFor) : null,
  release: row.release,
  requiredTracks: row.requiredTracks,
});

/**
 * Decides these people's entitlements under `release` at `now`, records what changed and remembers
 * the new states. Returns the number of events recorded.
 */
export async function reconcileEntitlements(tx: Transaction, release: LoadedRelease, userIds: readonly string[], now: Date): Promise<number> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return 0;
  // One decider per person at a time, in id order (no deadlock between two batches).
  const locked = await tx.select({ id: users.id }).from(users).where(inArray(users.id, ids)).orderBy(asc(users.id)).for("no key update");
  const lockedIds = locked.map((r) => r.id);
  if (lockedIds.length === 0) return 0;
  const people = await loadPeople(tx, lockedIds);
  const stored = await tx.select().from(entitlements).where(inArray(entitlements.userId, lockedIds));
  const previous = new Map(stored.map((row) => [`${row.userId}\n${row.toolId}`, toStored(row)]));

  const events: PendingEvent[] = [];
  const states: (typeof entitlements.$inferInsert)[] = [];
  const remember = (userId: string, toolId: string, state: StoredEntitlement) =>
    states.push({ userId, toolId, ...state, requiredTracks: [...state.requiredTracks], updatedAt: now });

  for (const userId of lockedIds) {
    const person = people.get(userId)!;
    for (const tool of release.bundle.tools) {
      const decision = decideAccess({ person: { active: person.active }, tool, certificatesByTrack: person.certificatesByTrack, release, now });
      const before = previous.get(`${userId}\n${tool.id}`) ?? null;
      const change = entitlementChange(before, decision, tool, now);
      for (const e of change.events) events.push({ ...e, userId, toolId: tool.id, release: release.number });
      remember(userId, tool.id, change.state);
    }
    for (const row of stored) {
      if (row.userId !== userId || release.tools.has(row.toolId) || !row.allowed) continue;
      const change = withdrawnToolChange(toStored(row), release.number, now);
      for (const e of change.events) events.push({ ...e, userId, toolId: row.toolId, release: release.number });
      remember(userId, row.toolId, change.state);
    }
  }

  for (let i = 0; i < states.length; i += BATCH) {
    await tx
      .insert(entitlements)
      .values(states.slice(i, i + BATCH))
      .onConflictDoUpdate({
        target: [entitlements.userId, entitlements.toolId],
        set: {
          allowed: sql`excluded.allowed`,
          validUntil: sql`excluded.valid_until`,
          expiringFrom: sql`excluded.expiring_from`,
          expiringNoticeFor: sql`excluded.expiring_notice_for`,
          release: sql`excluded.release`,
          requiredTracks: sql`excluded.required_tracks`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
  await recordEvents(tx, events);
  return events.length;
}

export type ProcessResult = { people: number; events: number };

/**
 * Works every pending change: marked people, a new release (everyone, once), and the states time has
 * changed (an expiry, a recertification window opening) up to `now`. Each batch is its own short
 * transaction. `maxBatches` bounds the work of one call (the worker comes back for the rest).
 */
export async function processEntitlementChanges(options: { now?: Date; maxBatches?: number } = {}): Promise<ProcessResult> {
  const release = await getCurrentRelease();
  if (!release) return { people: 0, events: 0 };
  const db = getDb();
  const total: ProcessResult = { people: 0, events: 0 };
  let budget = options.maxBatches ?? 200;
  const now = () => options.now ?? new Date();

  const run = async (pick: (tx: Transaction) => Promise<string[]>): Promise<{ count: number; events: number }> => {
    const at = now();
    const done = await db.transaction(async (tx) => {
      const ids = await pick(tx);
      return { count: ids.length, events: ids.length ? await reconcileEntitlements(tx, release, ids, at) : 0 };
    });
    total.people += done.count;
    total.events += done.events;
    budget--;
    return done;
  };

  // 1. People marked by a change to their certificates or status.
  while (budget > 0) {
    const { count: n } = await run(async (tx) => {
      const claimed = await tx.execute(sql`
        delete from ${entitlementChecks} where ${entitlementChecks.userId} in (
          select ${entitlementChecks.userId} from ${entitlementChecks} order by ${entitlementChecks.createdAt} limit ${BATCH} for update skip locked)
        returning ${entitlementChecks.userId} as user_id`);
      return rowsOf<{ user_id: string }>(claimed).map((r) => r.user_id);
    });
    if (n < BATCH) break;
  }

  // 2. A release everyone has not been decided under yet.
  const [counter] = await db.select({ reconciledRelease: accessEventCounter.reconciledRelease }).from(accessEventCounter).where(eq(accessEventCounter.id, 1));
  if ((counter?.reconciledRelease ?? 0) < release.number) {
    let after = "";
    let complete = false;
    while (budget > 0) {
      let lastId = after;
      const { count: n } = await run(async (tx) => {
        const rows = await tx.select({ id: users.id }).from(users).where(gt(users.id, after)).orderBy(asc(users.id)).limit(BATCH);
        lastId = rows.at(-1)?.id ?? after;
        return rows.map((r) => r.id);
      });
      after = lastId;
      if (n < BATCH) {
        complete = true;
        break;
      }
    }
    if (complete) {
      await db
        .update(accessEventCounter)
        .set({ reconciledRelease: release.number })
        .where(and(eq(accessEventCounter.id, 1), sql`${accessEventCounter.reconciledRelease} < ${release.number}`));
    }
  }

  // 3. States the passing of time has changed.
  while (budget > 0) {
    const at = now();
    const { count: n, events } = await run(async (tx) => {
      const rows = await tx
        .selectDistinct({ userId: entitlements.userId })
        .from(entitlements)
        .where(
          and(
            eq(entitlements.allowed, true),
            or(
              // Access holds at the very moment of validUntil and ends just after it.
              lt(entitlements.validUntil, at),
              and(lte(entitlements.expiringFrom, at), or(isNull(entitlements.expiringNoticeFor), sql`${entitlements.expiringNoticeFor} <> ${entitlements.validUntil}`)),
            ),
          ),
        )
        .limit(BATCH);
      return rows.map((r) => r.userId);
    });
    // A full batch that changed nothing would come back the same: stop rather than spin.
    if (n < BATCH || events === 0) break;
  }
  return total;
}
