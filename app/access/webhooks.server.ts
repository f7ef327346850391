import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { accessEvents, auditLog, users, webhookDeliveries, webhooks } from "#db/schema";
import { eventColumns, eventView, type ApiEvent } from "./events.server";
import { checkWebhookUrl, signWebhook, SIGNATURE_HEADER } from "./webhook-signature";

/**
 * Webhooks: other systems receive the entitlement change feed by HTTP POST.
 *
 * Every event gets a delivery row per active webhook in the transaction that records it (the outbox,
 * entitlements.server.ts). A sender claims a webhook's oldest pending deliveries — at most
 * `MAX_EVENTS_PER_POST`, in feed order — by leasing them in a short transaction (`FOR UPDATE SKIP
 * LOCKED`, so two app processes never send the same rows at once), posts them as one signed JSON body
 * outside any transaction, then marks them delivered or schedules a retry with backoff. Nothing is kept
 * in memory: a receiver that is down, or an app restart, only delays delivery. A delivery answered with
 * a 2xx is never sent again; if the process dies between the receiver's answer and the mark, the
 * lease runs out and the events are sent once more, with the same cursors for the receiver to drop.
 */

export const MAX_EVENTS_PER_POST = 100;
const LEASE_SECONDS = 60;
const TIMEOUT_MS = 10_000;

export type CreateWebhookResult = { kind: "created"; id: string; secret: string } | { kind: "invalid-url"; reason: "invalid" | "scheme" | "credentials" };

export async function createWebhook(input: { url: string; description: string; actorId: string | null }): Promise<CreateWebhookResult> {
  const checked = checkWebhookUrl(input.url);
  if (!checked.ok) return { kind: "invalid-url", reason: checked.reason };
  const id = randomUUID();
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  await getDb().transaction(async (tx) => {
    await tx.insert(webhooks).values({ id, url: checked.url, description: input.description.trim(), secret, createdById: input.actorId });
    await tx.insert(auditLog).values({
      actorId: input.actorId,
      action: "webhook.create",
      targetType: "webhook",
      targetId: id,
      details: { url: checked.url, description: input.description.trim() },
    });
  });
  return { kind: "created", id, secret };
}

export async function disableWebhook(input: { id: string; actorId: string }): Promise<"disabled" | "not-found" | "already-disabled"> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx.select({ disabledAt: webhooks.disabledAt, url: webhooks.url }).from(webhooks).where(eq(webhooks.id, input.id)).for("update");
    if (!row) return "not-found";
    if (row.disabledAt) return "already-disabled";
    await tx.update(webhooks).set({ disabledAt: new Date(), disabledById: input.actorId }).where(eq(webhooks.id, input.id));
    await tx.insert(auditLog).values({ actorId: input.actorId, action: "webhook.disable", targetType: "webhook", targetId: input.id, details: { url: row.url } });
    return "disabled";
  });
}

export type WebhookSummary = {
  id: string;
  url: string;
  description: string;
  createdAt: string;
  createdBy: string | null;
  disabledAt: string | null;
  pending: number;
  delivered: number;
  lastDeliveredAt: string | null;
  /** The oldest pending delivery that failed: its tries, last answer and next try. */
  failing: { attempts: number; lastStatus: number | null; lastError: string | null; nextAttemptAt: string } | null;
};

export async function listWebhooks(): Promise<WebhookSummary[]> {
  const db = getDb();
  const rows = await db
    .select({
      id: webhooks.id,
      url: webhooks.url,
      description: webhooks.description,
      createdAt: webhooks.createdAt,
      disabledAt: webhooks.disabledAt,
      createdBy: users.email,
      pending: sql<number>`(select count(*) from ${webhookDeliveries} d where d.webhook_id = ${webhooks.id} and d.state = 'pending')`.mapWith(Number),
      delivered: sql<number>`(select count(*) from ${webhookDeliveries} d where d.webhook_id = ${webhooks.id} and d.state = 'delivered')`.mapWith(Number),
      lastDeliveredAt: sql<string | null>`(select max(d.delivered_at) from ${webhookDeliveries} d where d.webhook_id = ${webhooks.id})`,
    })
    .from(webhooks)
    .leftJoin(users, eq(users.id, webhooks.createdById))
    .orderBy(desc(webhooks.createdAt));
  const failing = rows.length
    ? await db
        .selectDistinctOn([webhookDeliveries.webhookId], {
          webhookId: webhookDeliveries.webhookId,
          attempts: webhookDeliveries.attempts,
          lastStatus: webhookDeliveries.lastStatus,
          lastError: webhookDeliveries.lastError,
          nextAttemptAt: webhookDeliveries.nextAttemptAt,
        })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.state, "pending"), sql`${webhookDeliveries.attempts} > 0`))
        .orderBy(webhookDeliveries.webhookId, asc(webhookDeliveries.eventSeq))
    : [];
  const failingBy = new Map(failing.map((f) => [f.webhookId, f]));
  const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);
  return rows.map((r) => {
    const f = failingBy.get(r.id);
    return {
      id: r.id,
      url: r.url,
      description: r.description,
      createdAt: iso(r.createdAt)!,
      createdBy: r.createdBy,
      disabledAt: iso(r.disabledAt),
      pending: r.pending,
      delivered: r.delivered,
      lastDeliveredAt: iso(r.lastDeliveredAt),
      failing: f ? { attempts: f.attempts, lastStatus: f.lastStatus, lastError: f.lastError, nextAttemptAt: iso(f.nextAttemptAt)! } : null,
    };
  });
}

export type WebhookBody = { webhook: string; events: ApiEvent[] };
export type DeliverResult = { posts: number; delivered: number; failed: number };
type Poster = (url: string, init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

/** Leases the webhook's oldest pending deliveries if the oldest is due; returns their event seqs. */
async function claim(webhookId: string, now: Date): Promise<{ ids: number[]; seqs: number[] }> {
  return getDb().transaction(async (tx) => {
    const rows = await tx
      .select({ id: webhookDeliveries.id, seq: webhookDeliveries.eventSeq, nextAttemptAt: webhookDeliveries.nextAttemptAt, leaseUntil: webhookDeliveries.leaseUntil })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.state, "pending")))
      .orderBy(asc(webhookDeliveries.eventSeq))
      .limit(MAX_EVENTS_PER_POST)
      .for("update", { skipLocked: true });
    const first = rows[0];
    // In feed order: while the oldest waits for its retry (or another sender holds it), nothing newer goes.
    if (!first || new Date(first.nextAttemptAt) > now || (first.leaseUntil && new Date(first.leaseUntil) > now)) return { ids: [], seqs: [] };
    const free = rows.filter((r) => !r.leaseUntil || new Date(r.leaseUntil) <= now);
    const ids = free.map((r) => r.id);
    await tx
      .update(webhookDeliveries)
      .set({ leaseUntil: new Date(now.getTime() + LEASE_SECONDS * 1000) })
      .where(inArray(webhookDeliveries.id, ids));
    return { ids, seqs: free.map((r) => r.seq) };
  });
}

/**
 * Sends every due delivery of every active webhook (one POST per webhook per round, up to
 * `maxRounds` rounds). `post` is `fetch` in the app; tests pass it too, with a real HTTP receiver.
 */
export async function deliverWebhooks(options: { now?: () => Date; post?: Poster; maxRounds?: number } = {}): Promise<DeliverResult> {
  const now = options.now ?? (() => new Date());
  const post: Poster = options.post ?? ((url, init) => fetch(url, { ...init, redirect: "manual" }));
  const db = getDb();
  const result: DeliverResult = { posts: 0, delivered: 0, failed: 0 };
  const active = await db
    .select({ id: webhooks.id, url: webhooks.url, secret: webhooks.secret })
    .from(webhooks)
    .where(and(isNull(webhooks.disabledAt), sql`exists (select 1 from ${webhookDeliveries} d where d.webhook_id = ${webhooks.id} and d.state = 'pending')`));
  for (const hook of active) {
    for (let round = 0; round < (options.maxRounds ?? 10); round++) {
      const { ids, seqs } = await claim(hook.id, now());
      if (ids.length === 0) break;
      const rows = await db
        .select(eventColumns)
        .from(accessEvents)
        .innerJoin(users, eq(users.id, accessEvents.userId))
        .where(inArray(accessEvents.seq, seqs))
        .orderBy(asc(accessEvents.seq));
      const body = JSON.stringify({ webhook: hook.id, events: rows.map(eventView) } satisfies WebhookBody);
      const sentAt = now();
      let status: number | null = null;
      let error: string | null = null;
      try {
        const response = await post(hook.url, {
          method: "POST",
          headers: {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Manabi-Webhooks/1",
            [SIGNATURE_HEADER]: signWebhook(hook.secret, body, sentAt),
            "Manabi-Webhook-Id": hook.id,
          },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = response.status;
        if (status < 200 || status > 299) error = `HTTP ${status}`;
      } catch (e) {
        error = (e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)).slice(0, 500);
      }
      result.posts++;
      const done = now();
      if (!error) {
        await db
          .update(webhookDeliveries)
          .set({ state: "delivered", deliveredAt: done, lastStatus: status, lastError: null, leaseUntil: null, attempts: sql`${webhookDeliveries.attempts} + 1` })
          .where(inArray(webhookDeliveries.id, ids));
        result.delivered += ids.length;
      } else {
        await db
          .update(webhookDeliveries)
          .set({
            lastStatus: status,
            lastError: error,
            leaseUntil: null,
            attempts: sql`${webhookDeliveries.attempts} + 1`,
            nextAttemptAt: sql`${done.toISOString()}::timestamptz + make_interval(secs => least(3600, 10 * power(2, ${webhookDeliveries.attempts}))  /* retryDelaySeconds(attempts + 1) */)`,
          })
          .where(inArray(webhookDeliveries.id, ids));
        result.failed += ids.length;
        break;
      }
    }
  }
  return result;
}
