import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { mailOutbox, users } from "#db/schema";
import { claimDueMail, deliverMail, enqueueMail, LEASE_SECONDS, markMailSent, sendClaimedMail, type NewMail } from "~/mail/outbox.server";
import { REMINDER_DAILY_LIMIT } from "~/mail/throttle";
import { emlPath, fileTransport, type MailTransport } from "~/mail/transport.server";
import { createUser } from "../helpers/factories";

const dirs: string[] = [];
function mailDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-mail-test-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

let counter = 0;
function mail(userId: string, overrides: Partial<NewMail> = {}): NewMail {
  counter++;
  return {
    userId,
    to: `${userId}@test.example.com`,
    kind: "cert-expiring",
    language: "ja",
    dedupeKey: `test:${userId}:${counter}`,
    subject: `件名 ${counter}`,
    text: "本文",
    html: "<p>本文</p>",
    ...overrides,
  };
}

const rowOf = async (id: number) => (await getDb().select().from(mailOutbox).where(eq(mailOutbox.id, id)))[0]!;
// Messages enqueued "now" by the database clock; tests run the worker a little later.
const later = (seconds = 1) => new Date(Date.now() + seconds * 1000);

describe("the mail outbox", () => {
  // Each test starts with nothing due from the tests before it (one database per file).
  beforeEach(async () => {
    await getDb().update(mailOutbox).set({ status: "skipped", lastError: "test cleanup" }).where(eq(mailOutbox.status, "pending"));
  });

  it("enqueues a dedupe key once, however often it is enqueued", async () => {
    const person = await createUser();
    const first = mail(person.id, { dedupeKey: `cert-expiring:c-${person.id}:2027-01-01T14:59:59.999Z` });
    const id = await enqueueMail(getDb(), first);
    const again = await enqueueMail(getDb(), { ...first, subject: "another subject" });
    expect(id).not.toBeNull();
    expect(again).toBeNull();
    const rows = await getDb().select().from(mailOutbox).where(eq(mailOutbox.dedupeKey, first.dedupeKey));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).toBe(first.subject);
  });

  it("sends a message once across a crash between sending and marking it: one .eml file, the row marked sent", async () => {
    const person = await createUser();
    const dir = mailDir();
    const transport = fileTransport(dir, "Manabi <manabi@example.com>");
    const id = (await enqueueMail(getDb(), mail(person.id)))!;
    const { messageId } = await rowOf(id);

    // Process A claims the message and sends it (the file is written), then dies before marking it.
    const t0 = later();
    const claimed = (await claimDueMail(t0)).filter((m) => m.id === id);
    expect(claimed).toHaveLength(1);
    await transport.send({ messageId, to: person.email, subject: claimed[0]!.subject, text: claimed[0]!.textBody, html: claimed[0]!.htmlBody, date: claimed[0]!.createdAt, language: "ja" });
    expect(fs.readdirSync(dir)).toEqual([path.basename(emlPath(dir, messageId))]);

    // While A's lease lasts, no other process takes it.
    const during = await deliverMail({ transport, now: () => new Date(t0.getTime() + 1000) });
    expect(during.sent).toBe(0);
    expect((await rowOf(id)).status).toBe("pending");

    // After a restart, once the lease has run out, it is sent again — the same file — and marked.
    const after = await deliverMail({ transport, now: () => new Date(t0.getTime() + (LEASE_SECONDS + 1) * 1000) });
    expect(after.sent).toBe(1);
    const files = fs.readdirSync(dir);
    expect(files).toEqual([path.basename(emlPath(dir, messageId))]);
    const eml = fs.readFileSync(path.join(dir, files[0]!), "utf8");
    expect(eml).toContain(`Message-ID: <${messageId}>`);
    const row = await rowOf(id);
    expect(row.status).toBe("sent");
    expect(row.sentAt).not.toBeNull();
    expect(row.leaseUntil).toBeNull();

    // And never again.
    const more = await deliverMail({ transport, now: () => new Date(t0.getTime() + 3600_000) });
    expect(more.sent).toBe(0);
    expect(fs.readdirSync(dir)).toHaveLength(1);
  });

  it("a stale mark after another process re-sent and marked the message changes nothing", async () => {
    const person = await createUser();
    const id = (await enqueueMail(getDb(), mail(person.id)))!;
    const [claimed] = (await claimDueMail(later())).filter((m) => m.id === id);
    expect(await markMailSent(claimed!, person.email, new Date())).toBe(true);
    expect(await markMailSent(claimed!, person.email, new Date())).toBe(false);
  });

  it("sends nothing to an inactive person, even when they were deactivated after the mail was enqueued", async () => {
    const person = await createUser();
    const dir = mailDir();
    const id = (await enqueueMail(getDb(), mail(person.id)))!;
    await getDb().update(users).set({ active: false }).where(eq(users.id, person.id));
    const result = await deliverMail({ transport: fileTransport(dir), now: () => later() });
    expect(result["skipped-inactive"]).toBeGreaterThanOrEqual(1);
    expect((await rowOf(id)).status).toBe("skipped");
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  });

  it(`sends at most ${REMINDER_DAILY_LIMIT} reminders to a person in 24 hours and holds the rest until they fit; invitations are not held`, async () => {
    const person = await createUser();
    const dir = mailDir();
    const ids: number[] = [];
    for (let i = 0; i < REMINDER_DAILY_LIMIT + 2; i++) ids.push((await enqueueMail(getDb(), mail(person.id)))!);
    const invitation = (await enqueueMail(getDb(), mail(person.id, { kind: "invitation" })))!;
    const t0 = later();
    await deliverMail({ transport: fileTransport(dir), now: () => t0 });
    const rows = await Promise.all(ids.map(rowOf));
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(REMINDER_DAILY_LIMIT);
    const held = rows.filter((r) => r.status === "pending");
    expect(held).toHaveLength(2);
    for (const r of held) expect(new Date(r.nextAttemptAt).getTime()).toBeGreaterThanOrEqual(t0.getTime() + 24 * 3600_000);
    expect((await rowOf(invitation)).status).toBe("sent");

    // A day later the held ones go.
    await deliverMail({ transport: fileTransport(dir), now: () => new Date(t0.getTime() + 24 * 3600_000 + 1000) });
    expect((await Promise.all(ids.map(rowOf))).every((r) => r.status === "sent")).toBe(true);
  });

  it("retries a failed send later with backoff, keeping the message", async () => {
    const person = await createUser();
    const id = (await enqueueMail(getDb(), mail(person.id, { kind: "invitation" })))!;
    const failing: MailTransport = { kind: "smtp", send: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:25")) };
    const t0 = later();
    const [claimed] = (await claimDueMail(t0)).filter((m) => m.id === id);
    expect(await sendClaimedMail(claimed!, failing, t0)).toBe("retry");
    const row = await rowOf(id);
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("ECONNREFUSED");
    expect(new Date(row.nextAttemptAt).getTime()).toBe(t0.getTime() + 30_000);
  });
});
