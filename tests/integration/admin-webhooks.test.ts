import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { accessEvents, auditLog, webhookDeliveries, webhooks } from "#db/schema";
import { processEntitlementChanges } from "~/access/entitlements.server";
import { verifyWebhook } from "~/access/webhook-signature";
import { deliverWebhooks, disableWebhook } from "~/access/webhooks.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { invalidateReleaseCache } from "~/content/release.server";
import type { Track } from "~/content/types";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";
import * as page from "~/routes/admin.webhooks";
import { readToast } from "~/ui/toast.server";
import { makeBundle } from "../helpers/content";
import { createUser, get, post, settle } from "../helpers/factories";

type Reply = {
  type: string;
  data: { result: { error?: Record<string, string[]> }; created: { id: string; description: string; secret: string } | null };
  init: ResponseInit | null;
};
type Loaded = Awaited<ReturnType<typeof page.loader>>;

const load = (request: Request) => settle(() => page.loader({ request, params: {}, context: {} }));
const act = (request: Request) => settle(() => page.action({ request, params: {}, context: {} }));

/** The toast a redirect carries, as the next page would show it. */
async function toastOf(response: Response) {
  const cookie = response.headers.get("Set-Cookie")!.split(";")[0]!;
  return (await readToast(new Request("http://localhost/", { headers: { Cookie: cookie } }))).toast;
}

/** A i18n key's text in both languages (so a test fails when a message is missing in either). */
function texts(key: string): [string, string] {
  const at = (tree: unknown) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
  return [at(en) as string, at(ja) as string];
}

async function create(adminId: string, url: string, description: string) {
  const { value } = await act(await post("/admin/webhooks", { intent: "create", url, description }, { userId: adminId }));
  return value as Reply;
}

// A real receiver: answers 503 while "down", records signed requests while up.
type Received = { body: string; signature: string | null };
let receiver: Server;
let receiverUrl: string;
let up = true;
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
      res.writeHead(503).end("down");
      return;
    }
    received.push({ body, signature: (req.headers["manabi-signature"] as string | undefined) ?? null });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/manabi`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe("/admin/webhooks", () => {
  it("is refused to every role but admin, for reading and for changes", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const made = await create(admin.id, "https://example.com/hook", "Refusal target");
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const roles = { learner: await createUser(), manager, hr: await createUser({ roles: ["hr"] }), author: await createUser({ roles: ["author"] }) };
    for (const [role, user] of Object.entries(roles)) {
      const read = await load(await get("/admin/webhooks", user.id));
      expect(read.thrown, role).toBe(true);
      expect((read.value as Response).status, role).toBe(403);
      const attempts: Record<string, string>[] = [
        { intent: "create", url: "https://example.com/other", description: "x" },
        { intent: "disable", webhookId: made.data.created!.id },
        { intent: "ping", webhookId: made.data.created!.id },
      ];
      for (const fields of attempts) {
        const write = await act(await post("/admin/webhooks", fields, { userId: user.id }));
        expect(write.thrown, `${role} ${fields.intent}`).toBe(true);
        expect((write.value as Response).status, `${role} ${fields.intent}`).toBe(403);
      }
    }
    const anonymous = await load(new Request("http://localhost/admin/webhooks"));
    expect((anonymous.value as Response).status).toBe(302);
    expect(await getDb().select().from(webhooks).where(eq(webhooks.description, "x"))).toEqual([]);
    const [row] = await getDb().select().from(webhooks).where(eq(webhooks.id, made.data.created!.id));
    expect(row!.disabledAt).toBeNull();
  });

  it("adds a webhook, shows its secret in that answer only, and logs who added it", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const reply = await create(admin.id, "  https://gateway.example.co.jp/hooks/manabi#frag ", "LLM gateway");
    expect(reply.init?.status ?? 200).toBe(200);
    expect(new Headers(reply.init?.headers).get("Cache-Control")).toBe("no-store");
    const created = reply.data.created!;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const [row] = await getDb().select().from(webhooks).where(eq(webhooks.id, created.id));
    expect(row).toMatchObject({ url: "https://gateway.example.co.jp/hooks/manabi", description: "LLM gateway", secret: created.secret, createdById: admin.id });

    const listed = (await load(await get("/admin/webhooks", admin.id))).value as Loaded;
    const mine = listed.webhooks.find((w) => w.id === created.id)!;
    expect(mine).toMatchObject({ description: "LLM gateway", disabledAt: null, pending: 0, delivered: 0, failing: null });
    expect(mine.creator).toMatchObject({ familyName: admin.familyName, givenName: admin.givenName });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(JSON.stringify(listed)).not.toContain("whsec_");

    const entries = await getDb().select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([["webhook.create", admin.id]]);
  });

  it("refuses a bad address or a missing description with the reason beside the field, in both languages", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const before = (await getDb().select().from(webhooks)).length;
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [{ url: "ftp://example.com/hook", description: "FTP" }, { url: ["webhooks.errors.urlScheme"] }],
      [{ url: "https://user:secret@example.com/hook", description: "Creds" }, { url: ["webhooks.errors.urlCredentials"] }],
      [{ url: "example.com/hook", description: "No scheme" }, { url: ["webhooks.errors.urlInvalid"] }],
      [{ url: "https://", description: "Empty host" }, { url: ["webhooks.errors.urlInvalid"] }],
      [{ url: `https://example.com/${"a".repeat(2001)}`, description: "Long" }, { url: ["webhooks.errors.urlTooLong"] }],
      [{ url: "", description: " " }, { url: ["webhooks.errors.urlRequired"], description: ["webhooks.errors.descriptionRequired"] }],
      [{ url: "https://example.com/hook", description: "d".repeat(101) }, { description: ["webhooks.errors.descriptionTooLong"] }],
    ];
    for (const [fields, errors] of cases) {
      const { value } = await act(await post("/admin/webhooks", { intent: "create", ...fields }, { userId: admin.id }));
      const reply = value as Reply;
      expect(reply.init?.status, fields.url).toBe(400);
      expect(reply.data.created, fields.url).toBeNull();
      expect(reply.data.result.error, fields.url).toEqual(errors);
      for (const key of Object.values(errors).flat()) {
        const [english, japanese] = texts(key);
        expect(english, key).toMatch(/\w/);
        expect(japanese, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      }
    }
    expect((await getDb().select().from(webhooks)).length).toBe(before);
  });

  it("asks before disabling (without JavaScript); disables once, and a second submission is harmless", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const { id } = (await create(admin.id, "https://example.com/to-disable", "To disable")).data.created!;

    // The confirmation is a page state: loading it changes nothing.
    const confirm = (await load(await get(`/admin/webhooks?disable=${id}`, admin.id))).value as Loaded;
    expect(confirm.disable?.id).toBe(id);
    expect((await getDb().select().from(webhooks).where(eq(webhooks.id, id)))[0]!.disabledAt).toBeNull();

    const first = (await act(await post("/admin/webhooks", { intent: "disable", webhookId: id }, { userId: admin.id }))).value as Response;
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe("/admin/webhooks");
    expect(await toastOf(first)).toMatchObject({ key: "webhooks.toast.disabled", values: { name: "To disable" }, kind: "success" });
    const [row] = await getDb().select().from(webhooks).where(eq(webhooks.id, id));
    expect(row!.disabledAt).not.toBeNull();
    expect(row!.disabledById).toBe(admin.id);

    // Submitted again (a double click, the back button): told it is already disabled, nothing changes.
    const second = (await act(await post("/admin/webhooks", { intent: "disable", webhookId: id }, { userId: admin.id }))).value as Response;
    expect(second.status).toBe(302);
    expect(await toastOf(second)).toMatchObject({ key: "webhooks.toast.alreadyDisabled", kind: "error" });
    expect((await getDb().select().from(webhooks).where(eq(webhooks.id, id)))[0]!.disabledAt).toEqual(row!.disabledAt);
    const entries = await getDb().select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(entries.map((e) => [e.action, e.actorId])).toEqual([
      ["webhook.create", admin.id],
      ["webhook.disable", admin.id],
    ]);

    // A disabled webhook is listed as such and offers no confirmation any more.
    const after = (await load(await get(`/admin/webhooks?disable=${id}`, admin.id))).value as Loaded;
    expect(after.disable).toBeNull();
    expect(after.webhooks.find((w) => w.id === id)?.disabledAt).not.toBeNull();

    const unknown = await act(await post("/admin/webhooks", { intent: "disable", webhookId: "wh-none" }, { userId: admin.id }));
    expect((unknown.value as Response).status).toBe(404);
    const bad = await act(await post("/admin/webhooks", { intent: "delete", webhookId: id }, { userId: admin.id }));
    expect((bad.value as Response).status).toBe(400);
  });

  it("sends a signed test request that enters neither the feed nor the outbox, and says how it was answered", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const { id, secret } = (await create(admin.id, receiverUrl, "Ping receiver")).data.created!;
    const events = (await getDb().select().from(accessEvents)).length;
    const deliveries = (await getDb().select().from(webhookDeliveries)).length;
    received.length = 0;
    up = true;
    const ok = (await act(await post("/admin/webhooks", { intent: "ping", webhookId: id }, { userId: admin.id }))).value as Response;
    expect(await toastOf(ok)).toMatchObject({ key: "webhooks.toast.pingOk", values: { name: "Ping receiver", status: 204 }, kind: "success" });
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toEqual({ webhook: id, events: [], test: true });
    expect(verifyWebhook(secret, received[0]!.body, received[0]!.signature, new Date())).toBe(true);

    up = false;
    const failed = (await act(await post("/admin/webhooks", { intent: "ping", webhookId: id }, { userId: admin.id }))).value as Response;
    expect(await toastOf(failed)).toMatchObject({ key: "webhooks.toast.pingFailed", values: { status: 503 }, kind: "error" });
    up = true;

    expect((await getDb().select().from(accessEvents)).length).toBe(events);
    expect((await getDb().select().from(webhookDeliveries)).length).toBe(deliveries);
  });

  it("lists deliveries with their state, tries, last answer and next try, filtered by webhook and state", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const track: Track = {
      id: "t-safe",
      title: { en: "AI Safe Use", ja: "AI安全利用 基礎" },
      summary: { en: "Safe use.", ja: "安全な利用です。" },
      courses: ["c1"],
      exam: { timeLimitMinutes: 20, passPercent: 80, minimums: [], attempts: 3, retakeWaitHours: 24, blueprint: [{ domain: "d1", count: 1 }] },
      validityMonths: 12,
      recertificationWindowDays: 60,
    };
    const chat = {
      id: "chat",
      name: { en: "Chat assistant", ja: "チャットアシスタント" },
      vendor: { en: "In-house", ja: "自社運用" },
      description: { en: "A tool.", ja: "ツールです。" },
      dataClass: "internal" as const,
      requiredTracks: ["t-safe"],
      guidance: null,
    };
    await publishRelease(makeBundle({ tracks: [track], tools: [chat] }), { id: null, name: "test" });
    invalidateReleaseCache();
    await processEntitlementChanges();
    // Only this test's webhook is active, so nothing is sent anywhere but the local receiver.
    for (const w of await getDb().select().from(webhooks).where(isNull(webhooks.disabledAt))) await disableWebhook({ id: w.id, actorId: admin.id });
    const { id } = (await create(admin.id, receiverUrl, "Feed receiver")).data.created!;

    const learner = await createUser();
    await recordExternalCertificate({ userId: learner.id, track, passedAt: new Date(Date.now() - 86_400_000), evidence: "G検定", actorId: admin.id });
    await processEntitlementChanges();
    const [event] = await getDb().select().from(accessEvents).where(eq(accessEvents.userId, learner.id));
    expect(event).toMatchObject({ kind: "granted", toolId: "chat" });

    // The receiver is down: the delivery fails and waits for its retry.
    up = false;
    const t0 = new Date();
    expect(await deliverWebhooks({ now: () => t0 })).toMatchObject({ delivered: 0 });
    let loaded = (await load(await get(`/admin/webhooks?webhook=${id}`, admin.id))).value as Loaded;
    expect(loaded.webhooks.find((w) => w.id === id)).toMatchObject({ pending: 1, delivered: 0, failing: { attempts: 1, lastStatus: 503 } });
    expect(loaded.deliveries).toHaveLength(1);
    expect(loaded.deliveries[0]).toMatchObject({ webhookId: id, eventSeq: event!.seq, kind: "granted", toolId: "chat", state: "pending", attempts: 1, lastStatus: 503 });
    expect(new Date(loaded.deliveries[0]!.nextAttemptAt).getTime()).toBe(t0.getTime() + 10_000);
    expect(loaded.toolNames.chat).toEqual(chat.name);
    loaded = (await load(await get(`/admin/webhooks?webhook=${id}&state=retrying`, admin.id))).value as Loaded;
    expect(loaded.deliveries.map((d) => d.eventSeq)).toEqual([event!.seq]);
    loaded = (await load(await get(`/admin/webhooks?webhook=${id}&state=delivered`, admin.id))).value as Loaded;
    expect(loaded.deliveries).toEqual([]);

    // Back up and due: delivered once, shown as delivered.
    up = true;
    received.length = 0;
    expect(await deliverWebhooks({ now: () => new Date(t0.getTime() + 11_000) })).toMatchObject({ delivered: 1 });
    loaded = (await load(await get(`/admin/webhooks?webhook=${id}&state=delivered`, admin.id))).value as Loaded;
    expect(loaded.deliveries).toHaveLength(1);
    expect(loaded.deliveries[0]).toMatchObject({ state: "delivered", attempts: 2, lastStatus: 204, lastError: null });
    expect(loaded.deliveries[0]!.deliveredAt).not.toBeNull();
    expect(loaded.webhooks.find((w) => w.id === id)).toMatchObject({ pending: 0, delivered: 1, failing: null });
    expect(((await load(await get(`/admin/webhooks?webhook=${id}&state=retrying`, admin.id))).value as Loaded).deliveries).toEqual([]);
    // A filter it cannot read falls back to everything rather than failing.
    const odd = (await load(await get(`/admin/webhooks?state=nonsense&page=-3`, admin.id))).value as Loaded;
    expect(odd.filter).toEqual({ webhook: null, state: "all", page: 1 });
    expect(odd.deliveries.some((d) => d.webhookId === id)).toBe(true);
  });

  it("refuses a change without the CSRF token", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const { value } = await act(await post("/admin/webhooks", { intent: "create", url: "https://example.com/csrf", description: "csrf" }, { userId: admin.id, csrf: false }));
    expect((value as Response).status).toBe(403);
    expect(await getDb().select().from(webhooks).where(eq(webhooks.description, "csrf"))).toEqual([]);
  });
});
