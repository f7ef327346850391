import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { accessEvents, users, webhookDeliveries, webhooks } from "#db/schema";
import { personNameOf, type PersonName } from "~/i18n/format";
import { DELIVERIES_PAGE_SIZE, type DeliveryFilter } from "./webhook-admin";
import { signWebhook, SIGNATURE_HEADER } from "./webhook-signature";
import { listWebhooks, type WebhookSummary } from "./webhooks.server";

/** What the admin page adds to the webhook list: who made each one, by name. */
export type AdminWebhook = WebhookSummary & { creator: Required<PersonName> | null };

export async function listWebhooksForAdmin(): Promise<AdminWebhook[]> {
  const [hooks, creators] = await Promise.all([
    listWebhooks(),
    getDb()
      .select({
        id: webhooks.id,
        familyName: users.familyName,
        givenName: users.givenName,
        familyNameKana: users.familyNameKana,
        givenNameKana: users.givenNameKana,
        familyNameLatin: users.familyNameLatin,
        givenNameLatin: users.givenNameLatin,
      })
      .from(webhooks)
      .innerJoin(users, eq(users.id, webhooks.createdById)),
  ]);
  const byId = new Map(creators.map((c) => [c.id, personNameOf(c)]));
  return hooks.map((h) => ({ ...h, creator: byId.get(h.id) ?? null }));
}

export type AdminDelivery = {
  id: number;
  webhookId: string;
  url: string;
  description: string;
  webhookDisabled: boolean;
  eventSeq: number;
  kind: string;
  toolId: string;
  occurredAt: string;
  state: "pending" | "delivered";
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  deliveredAt: string | null;
};

/** One page of deliveries, newest event first, filtered by webhook and state. */
export async function listDeliveries(filter: DeliveryFilter): Promise<{ deliveries: AdminDelivery[]; hasNext: boolean }> {
  const where: SQL[] = [];
  if (filter.webhook) where.push(eq(webhookDeliveries.webhookId, filter.webhook));
  if (filter.state === "pending") where.push(eq(webhookDeliveries.state, "pending"));
  if (filter.state === "delivered") where.push(eq(webhookDeliveries.state, "delivered"));
  if (filter.state === "retrying") where.push(eq(webhookDeliveries.state, "pending"), sql`${webhookDeliveries.attempts} > 0`);
  const rows = await getDb()
    .select({
      id: webhookDeliveries.id,
      webhookId: webhookDeliveries.webhookId,
      url: webhooks.url,
      description: webhooks.description,
      disabledAt: webhooks.disabledAt,
      eventSeq: webhookDeliveries.eventSeq,
      kind: accessEvents.kind,
      toolId: accessEvents.toolId,
      occurredAt: accessEvents.occurredAt,
      state: webhookDeliveries.state,
      attempts: webhookDeliveries.attempts,
      lastStatus: webhookDeliveries.lastStatus,
      lastError: webhookDeliveries.lastError,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .innerJoin(accessEvents, eq(accessEvents.seq, webhookDeliveries.eventSeq))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(webhookDeliveries.eventSeq), asc(webhookDeliveries.webhookId))
    .limit(DELIVERIES_PAGE_SIZE + 1)
    .offset((filter.page - 1) * DELIVERIES_PAGE_SIZE);
  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    hasNext: rows.length > DELIVERIES_PAGE_SIZE,
    deliveries: rows.slice(0, DELIVERIES_PAGE_SIZE).map(({ disabledAt, ...r }) => ({
      ...r,
      webhookDisabled: disabledAt !== null,
      occurredAt: iso(r.occurredAt),
      nextAttemptAt: iso(r.nextAttemptAt),
      deliveredAt: r.deliveredAt ? iso(r.deliveredAt) : null,
    })),
  };
}

/** The body of a test request: signed like a delivery, with no events, so a receiver's handler has nothing to apply. */
export type WebhookPingBody = { webhook: string; events: []; test: true };
export type PingResult =
  | { kind: "answered"; ok: boolean; status: number }
  | { kind: "unreachable"; error: string }
  | { kind: "not-found" }
  | { kind: "disabled" };
type Poster = (url: string, init: { method: "POST"; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

const PING_TIMEOUT_MS = 10_000;

/**
 * Sends one signed request with no events to an active webhook, so an admin can check the receiver
 * and its signature check. Nothing enters the change feed or the outbox; the answer is only shown.
 */
export async function sendTestPing(webhookId: string, options: { now?: Date; post?: Poster } = {}): Promise<PingResult> {
  const [hook] = await getDb()
    .select({ url: webhooks.url, secret: webhooks.secret, disabledAt: webhooks.disabledAt })
    .from(webhooks)
    .where(eq(webhooks.id, webhookId));
  if (!hook) return { kind: "not-found" };
  if (hook.disabledAt) return { kind: "disabled" };
  const post: Poster = options.post ?? ((url, init) => fetch(url, { ...init, redirect: "manual" }));
  const body = JSON.stringify({ webhook: webhookId, events: [], test: true } satisfies WebhookPingBody);
  try {
    const response = await post(hook.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Manabi-Webhooks/1",
        [SIGNATURE_HEADER]: signWebhook(hook.secret, body, options.now ?? new Date()),
        "Manabi-Webhook-Id": webhookId,
      },
      body,
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
    return { kind: "answered", ok: response.status >= 200 && response.status <= 299, status: response.status };
  } catch (e) {
    const error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    return { kind: "unreachable", error: error.slice(0, 200) };
  }
}
