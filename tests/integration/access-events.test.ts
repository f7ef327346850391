import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { accessEvents, users, webhookDeliveries } from "#db/schema";
import { markEntitlementsStale, processEntitlementChanges } from "~/access/entitlements.server";
import { readEvents, type ApiEvent } from "~/access/events.server";
import { createApiToken } from "~/access/tokens.server";
import { verifyWebhook } from "~/access/webhook-signature";
import { createWebhook, deliverWebhooks, disableWebhook, listWebhooks, type WebhookBody } from "~/access/webhooks.server";
import { recordExternalCertificate, revokeCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { getCurrentRelease, invalidateReleaseCache } from "~/content/release.server";
import type { ContentBundle } from "~/content/types";
import * as eventsRoute from "~/routes/api.v1.events";
import { catalogTool, makeBundle, practitionerTrack, safeUseTrack } from "../helpers/content";
import { createUser } from "../helpers/factories";

const DAY = 24 * 60 * 60 * 1000;
const safeUse = safeUseTrack;
const practitioner = practitionerTrack;
const tool = catalogTool;
const bundle = (chat: string[]): ContentBundle => makeBundle({ tracks: [safeUse, practitioner], tools: [tool("chat", chat), tool("code", ["t-safe", "t-prac"])] });

let hr: Awaited<ReturnType<typeof createUser>>;
let cursor = 0;

async function publish(chat: string[]) {
  await publishRelease(bundle(chat), { id: null, name: "test" });
  invalidateReleaseCache();
  return (await getCurrentRelease())!.number;
}

/** Reads the feed from the last cursor on, as a consumer polls, and moves the cursor on. */
async function poll(now?: Date): Promise<ApiEvent[]> {
  const out: ApiEvent[] = [];
  for (;;) {
    const page = await readEvents({ after: cursor, limit: 50, now });
    out.push(...page.events);
    cursor = Number(page.nextCursor);
    if (!page.hasMore) return out;
  }
}
const of = (events: ApiEvent[], userId: string) => events.filter((e) => e.user.id === userId).map((e) => `${e.kind}:${e.tool}`);

beforeAll(async () => {
  await publish(["t-safe"]);
  hr = await createUser({ roles: ["hr"] });
  await poll(); // the first release: everyone decided once
});

describe("the entitlement change feed", () => {
  it("shows a grant once, with its certificate and release; the next poll from its cursor is empty", async () => {
    const learner = await createUser();
    const cert = await recordExternalCertificate({ userId: learner.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    const events = await poll();
    expect(of(events, learner.id)).toEqual(["granted:chat"]);
    const grant = events.find((e) => e.user.id === learner.id)!;
    expect(grant).toMatchObject({
      allowed: true,
      validUntil: cert.validUntil.toISOString(),
      release: (await getCurrentRelease())!.number,
      cause: "certified",
      user: { email: learner.email },
      certificates: [{ trackId: "t-safe", certificateId: cert.id, number: cert.number, validUntil: cert.validUntil.toISOString() }],
    });
    expect(of(await poll(), learner.id)).toEqual([]);
  });

  it("sees an expiry that happened by the passing of time between two polls, dated when it happened", async () => {
    const learner = await createUser();
    // Passed a year ago less five days: expiring soon now, expired in six days.
    const cert = await recordExternalCertificate({
      userId: learner.id,
      track: safeUse,
      passedAt: new Date(Date.now() - 360 * DAY),
      evidence: "G検定",
      actorId: hr.id,
    });
    expect(of(await poll(), learner.id)).toEqual(["granted:chat", "expiring-soon:chat"]);
    expect(of(await poll(), learner.id)).toEqual([]);
    const later = new Date(cert.validUntil.getTime() + 3 * DAY);
    const events = await poll(later);
    expect(of(events, learner.id)).toEqual(["expired:chat"]);
    const expired = events.find((e) => e.user.id === learner.id)!;
    expect(expired).toMatchObject({ allowed: false, validUntil: null, occurredAt: cert.validUntil.toISOString(), previousValidUntil: cert.validUntil.toISOString() });
    expect(expired.missingTracks).toEqual([{ trackId: "t-safe", reason: "certificate-expired" }]);
    expect(of(await poll(later), learner.id)).toEqual([]);
  });

  it("shows a revocation", async () => {
    const learner = await createUser();
    const cert = await recordExternalCertificate({ userId: learner.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    await poll();
    await revokeCertificate({ certificateId: cert.id, reason: "Cheating", actorId: hr.id });
    const events = await poll();
    expect(of(events, learner.id)).toEqual(["revoked:chat"]);
    expect(events.find((e) => e.user.id === learner.id)!.cause).toBe("certificate-revoked");
  });

  it("shows a deactivated person as revoked once their status change is marked", async () => {
    const learner = await createUser();
    await recordExternalCertificate({ userId: learner.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    await poll();
    await getDb().transaction(async (tx) => {
      await tx.update(users).set({ active: false }).where(eq(users.id, learner.id));
      await markEntitlementsStale(tx, [learner.id]);
    });
    const events = await poll();
    expect(events.filter((e) => e.user.id === learner.id).map((e) => [e.kind, e.cause])).toEqual([["revoked", "inactive"]]);
  });

  it("a release that raises a tool's requirement takes access away with requirement-changed and the release as its cause", async () => {
    const holder = await createUser();
    await recordExternalCertificate({ userId: holder.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    await poll();
    const raised = await publish(["t-safe", "t-prac"]);
    const events = (await poll()).filter((e) => e.user.id === holder.id);
    expect(events.map((e) => e.kind)).toEqual(["requirement-changed"]);
    expect(events[0]).toMatchObject({ tool: "chat", allowed: false, release: raised, requiredTracks: ["t-safe", "t-prac"], previousRequiredTracks: ["t-safe"] });
    // Lowered again: granted back, saying why.
    await publish(["t-safe"]);
    expect((await poll()).filter((e) => e.user.id === holder.id).map((e) => [e.kind, e.cause])).toEqual([["granted", "requirements-lowered"]]);
  });

  it("numbers events without gaps or repeats when several workers record at once", async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => createUser()));
    const before = cursor;
    await Promise.all(
      people.map((p) => recordExternalCertificate({ userId: p.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id })),
    );
    await Promise.all([processEntitlementChanges(), processEntitlementChanges(), processEntitlementChanges()]);
    const events = await poll();
    expect(events.map((e) => Number(e.cursor))).toEqual(events.map((_, i) => before + i + 1));
    for (const p of people) expect(of(events, p.id)).toEqual(["granted:chat"]);
  });
});

describe("GET /api/v1/events", () => {
  let feedToken: string;
  let accessOnly: string;
  beforeAll(async () => {
    feedToken = (await createApiToken({ name: "feed", scopes: ["events:read"] }, { id: null, via: "command-line" })).secret;
    accessOnly = (await createApiToken({ name: "gate", scopes: ["access:read"] }, { id: null, via: "command-line" })).secret;
  });
  const call = async (query: string, token: string | null) => {
    try {
      return await eventsRoute.loader({
        request: new Request(`http://localhost/api/v1/events${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} }),
        params: {},
        context: {},
      } as LoaderFunctionArgs);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };

  it("answers pages in order with a cursor that continues exactly where the last page ended", async () => {
    const first = await call("?limit=2", feedToken);
    expect(first.status).toBe(200);
    const a = (await first.json()) as { events: ApiEvent[]; nextCursor: string; hasMore: boolean };
    expect(a.events).toHaveLength(2);
    expect(a.hasMore).toBe(true);
    const b = (await (await call(`?after=${a.nextCursor}&limit=2`, feedToken)).json()) as { events: ApiEvent[] };
    expect(Number(b.events[0]!.cursor)).toBe(Number(a.nextCursor) + 1);
    const all = (await (await call("?limit=1000", feedToken)).json()) as { events: ApiEvent[] };
    expect(all.events.slice(0, 4).map((e) => e.cursor)).toEqual([...a.events, ...b.events].map((e) => e.cursor));
  });

  it("gives back the same cursor when nothing is new, so a poller can keep asking", async () => {
    const { nextCursor } = (await (await call("?limit=1000", feedToken)).json()) as { nextCursor: string };
    const again = (await (await call(`?after=${nextCursor}`, feedToken)).json()) as { events: ApiEvent[]; nextCursor: string; hasMore: boolean };
    expect(again).toEqual({ events: [], nextCursor, hasMore: false });
  });

  it("refuses without a token (401), with a token lacking events:read (403), and bad parameters (400)", async () => {
    expect((await call("", null)).status).toBe(401);
    const forbidden = await call("", accessOnly);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    for (const q of ["?after=abc", "?after=-1", "?limit=0", "?limit=1001", "?limit=x", "?after=1&after=2"]) {
      const response = await call(q, feedToken);
      expect(response.status, q).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe("invalid-parameters");
    }
  });
});

// ── Webhooks: a real HTTP receiver that can be down ──────────────────────────────────────────────────

type Received = { body: string; signature: string | null };
let receiver: Server;
let receiverUrl: string;
let up = false;
const received: Received[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    if (!up) {
      res.writeHead(503).end("down for maintenance");
      return;
    }
    received.push({ body, signature: (req.headers["manabi-signature"] as string | undefined) ?? null });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/manabi`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe("webhooks", () => {
  it("refuses addresses that are not http(s) or carry credentials", async () => {
    expect(await createWebhook({ url: "ftp://example.com/x", description: "x", actorId: null })).toEqual({ kind: "invalid-url", reason: "scheme" });
    expect(await createWebhook({ url: "https://u:p@example.com/x", description: "x", actorId: null })).toEqual({ kind: "invalid-url", reason: "credentials" });
    expect(await createWebhook({ url: "not a url", description: "x", actorId: null })).toEqual({ kind: "invalid-url", reason: "invalid" });
  });

  it("loses nothing while the receiver is down, retries with backoff, delivers once in order, signed", async () => {
    const created = await createWebhook({ url: receiverUrl, description: "LLM gateway", actorId: hr.id });
    if (created.kind !== "created") throw new Error(created.kind);
    const learners = await Promise.all([createUser(), createUser()]);
    for (const l of learners) {
      await recordExternalCertificate({ userId: l.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    }
    await processEntitlementChanges();

    up = false;
    const t0 = new Date();
    const down = await deliverWebhooks({ now: () => t0 });
    expect(down).toMatchObject({ posts: 1, delivered: 0 });
    expect(down.failed).toBeGreaterThanOrEqual(2);
    const [summary] = (await listWebhooks()).filter((w) => w.id === created.id);
    expect(summary!.failing).toMatchObject({ attempts: 1, lastStatus: 503 });
    // Before the retry is due nothing is sent, even with the receiver back.
    up = true;
    expect(await deliverWebhooks({ now: () => new Date(t0.getTime() + 5_000) })).toMatchObject({ posts: 0 });
    // "Restart": nothing in memory matters; a later round (another process) sends what is due.
    const sent = await deliverWebhooks({ now: () => new Date(t0.getTime() + 11_000) });
    expect(sent.posts).toBe(1);
    expect(sent.delivered).toBe(down.failed);
    expect(received).toHaveLength(1);
    const { body, signature } = received[0]!;
    expect(verifyWebhook(created.secret, body, signature, new Date(t0.getTime() + 11_000))).toBe(true);
    expect(verifyWebhook("whsec_wrong", body, signature, new Date(t0.getTime() + 11_000))).toBe(false);
    const payload = JSON.parse(body) as WebhookBody;
    expect(payload.webhook).toBe(created.id);
    const cursors = payload.events.map((e) => Number(e.cursor));
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    for (const l of learners) expect(of(payload.events, l.id)).toEqual(["granted:chat"]);
    // Never twice.
    expect(await deliverWebhooks({ now: () => new Date(t0.getTime() + 3_600_000) })).toMatchObject({ posts: 0 });
    expect(received).toHaveLength(1);
  });

  it("a sender that dies after claiming leaves the events to the next one once its lease ends", async () => {
    received.length = 0;
    const learner = await createUser();
    await recordExternalCertificate({ userId: learner.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    await processEntitlementChanges();
    const t0 = new Date();
    // The dying sender: claims, then never answers (its post never resolves within the test).
    const stuck = deliverWebhooks({ now: () => t0, post: () => new Promise(() => {}) });
    await expect.poll(async () => (await getDb().select().from(webhookDeliveries).where(sql`${webhookDeliveries.leaseUntil} is not null`)).length).toBeGreaterThan(0);
    expect(await deliverWebhooks({ now: () => new Date(t0.getTime() + 30_000) })).toMatchObject({ posts: 0 });
    const later = await deliverWebhooks({ now: () => new Date(t0.getTime() + 61_000) });
    expect(later.posts).toBe(1);
    expect(received.flatMap((r) => of((JSON.parse(r.body) as WebhookBody).events, learner.id))).toEqual(["granted:chat"]);
    void stuck;
  });

  it("a disabled webhook gets nothing new", async () => {
    const [hook] = await listWebhooks();
    expect(await disableWebhook({ id: hook!.id, actorId: hr.id })).toBe("disabled");
    const before = (await getDb().select().from(webhookDeliveries)).length;
    const learner = await createUser();
    await recordExternalCertificate({ userId: learner.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "G検定", actorId: hr.id });
    await processEntitlementChanges();
    expect((await getDb().select().from(accessEvents).where(eq(accessEvents.userId, learner.id))).length).toBe(1);
    expect((await getDb().select().from(webhookDeliveries)).length).toBe(before);
  });
});
