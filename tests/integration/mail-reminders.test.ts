import { randomUUID } from "node:crypto";
import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { certificates, mailOutbox } from "#db/schema";
import { publishRelease } from "~/content/publish.server";
import { invalidateReleaseCache } from "~/content/release.server";
import { scheduleReminders } from "~/mail/reminders.server";
import type { AssignmentForReminder } from "~/mail/reminder-rules";
import * as adminMail from "~/routes/admin.mail";
import * as hrInvitations from "~/routes/hr_.invitations";
import * as hrReminders from "~/routes/hr_.reminders";
import { makeBundle, safeUseTrack } from "../helpers/content";
import { createUser, get, post, settle } from "../helpers/factories";

const DAY = 86_400_000;
const args = (request: Request) => ({ request, params: {}, context: {} });

beforeAll(async () => {
  // AI Safe Use: valid 12 months, recertification opens 60 days before the end.
  await publishRelease(makeBundle({ tracks: [safeUseTrack] }), { id: null, name: "test" });
  invalidateReleaseCache();
});

async function certificate(userId: string, validUntil: Date) {
  const id = `cert-${randomUUID()}`;
  await getDb()
    .insert(certificates)
    .values({
      id,
      number: `T-${randomUUID()}`,
      userId,
      trackId: safeUseTrack.id,
      source: "external",
      passedAt: new Date(validUntil.getTime() - 365 * DAY),
      validUntil,
      verificationCode: randomUUID(),
      trackTitle: safeUseTrack.title,
      evidence: "test",
    });
  return id;
}

const mailsOf = (userId: string) => getDb().select().from(mailOutbox).where(eq(mailOutbox.userId, userId));

describe("reminders", () => {
  it("enqueue 'certificate expiring' 30 days before the end and 'recertification open' when the window opens, each once", async () => {
    const now = new Date();
    const soon = await createUser({ preferredLanguage: "en" });
    const certSoon = await certificate(soon.id, new Date(now.getTime() + 20 * DAY));
    const windowOnly = await createUser();
    await certificate(windowOnly.id, new Date(now.getTime() + 45 * DAY));
    const later = await createUser();
    await certificate(later.id, new Date(now.getTime() + 200 * DAY));

    await scheduleReminders({ now });
    await scheduleReminders({ now });

    const soonMails = await mailsOf(soon.id);
    expect(soonMails.map((m) => m.kind).sort()).toEqual(["cert-expiring", "recert-open"]);
    const expiring = soonMails.find((m) => m.kind === "cert-expiring")!;
    expect(expiring.language).toBe("en");
    expect(expiring.subject).toContain('"AI Safe Use"');
    expect(expiring.dedupeKey).toContain(certSoon);
    expect((await mailsOf(windowOnly.id)).map((m) => m.kind)).toEqual(["recert-open"]);
    expect((await mailsOf(windowOnly.id))[0]!.subject).toContain("「AI安全利用 基礎」");
    expect(await mailsOf(later.id)).toEqual([]);
  });

  it("remind nobody who is inactive, and nobody whose certificate was renewed", async () => {
    const now = new Date();
    const inactive = await createUser({ active: false });
    await certificate(inactive.id, new Date(now.getTime() + 10 * DAY));
    const renewed = await createUser();
    await certificate(renewed.id, new Date(now.getTime() + 10 * DAY));
    await certificate(renewed.id, new Date(now.getTime() + 375 * DAY));
    await scheduleReminders({ now });
    expect(await mailsOf(inactive.id)).toEqual([]);
    expect(await mailsOf(renewed.id)).toEqual([]);
  });

  it("enqueue 'due soon' within 7 days of the due day and 'overdue' after it, once per due day, and nothing once certified", async () => {
    const now = new Date("2027-03-10T03:00:00Z"); // 12:00 in Tokyo
    const soon = await createUser();
    const overdue = await createUser({ preferredLanguage: "en" });
    const done = await createUser();
    const far = await createUser();
    const assignments: AssignmentForReminder[] = [
      { userId: soon.id, trackId: safeUseTrack.id, dueOn: "2027-03-15", status: "in-progress" },
      { userId: overdue.id, trackId: safeUseTrack.id, dueOn: "2027-03-09", status: "overdue" },
      { userId: done.id, trackId: safeUseTrack.id, dueOn: "2027-03-12", status: "certified" },
      { userId: far.id, trackId: safeUseTrack.id, dueOn: "2027-04-30", status: "not-started" },
    ];
    await scheduleReminders({ now, assignments: async () => assignments });
    await scheduleReminders({ now: new Date(now.getTime() + DAY), assignments: async () => assignments });
    const soonMails = await mailsOf(soon.id);
    expect(soonMails.map((m) => m.kind)).toEqual(["assignment-due-soon"]);
    expect(soonMails[0]!.subject).toBe("【Manabi】「AI安全利用 基礎」の期限が近づいています（2027年3月15日まで）");
    const overdueMails = await mailsOf(overdue.id);
    expect(overdueMails.map((m) => m.kind)).toEqual(["assignment-overdue"]);
    expect(overdueMails[0]!.subject).toBe('Manabi: "AI Safe Use" is overdue');
    expect(await mailsOf(done.id)).toEqual([]);
    expect(await mailsOf(far.id)).toEqual([]);
    expect(await getDb().select().from(mailOutbox).where(like(mailOutbox.dedupeKey, `assignment-due-soon:${soon.id}:%`))).toHaveLength(1);
  });
});

describe("mail pages check their permission", () => {
  const pages = [
    { name: "/hr/invitations", loader: hrInvitations.loader, allowed: ["hr"] },
    { name: "/hr/reminders", loader: hrReminders.loader, allowed: ["hr"] },
    { name: "/admin/mail", loader: adminMail.loader, allowed: ["admin"] },
  ] as const;

  it("refuses learners, managers and the other roles with 403, and opens to their own role", async () => {
    const learner = await createUser();
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const who = { learner, manager, hr: await createUser({ roles: ["hr"] }), author: await createUser({ roles: ["author"] }), admin: await createUser({ roles: ["admin"] }) };
    for (const page of pages) {
      for (const [role, user] of Object.entries(who)) {
        const { thrown, value } = await settle(async () => page.loader(args(await get(page.name, user.id))));
        if ((page.allowed as readonly string[]).includes(role)) expect(thrown, `${role} on ${page.name}`).toBe(false);
        else expect((value as Response).status, `${role} on ${page.name}`).toBe(403);
      }
    }
  });

  it("refuses a learner and a manager sending invitations", async () => {
    const learner = await createUser();
    const manager = await createUser();
    await createUser({ managerId: manager.id });
    const target = await createUser({ passwordHash: null });
    for (const user of [learner, manager]) {
      const { value } = await settle(async () => hrInvitations.action(args(await post("/hr/invitations", { intent: "sendSelected", id: target.id }, { userId: user.id }))));
      expect((value as Response).status).toBe(403);
    }
    expect(await mailsOf(target.id)).toEqual([]);
  });

  it("the admin's outbox lists a message and shows it", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const person = await createUser();
    await certificate(person.id, new Date(Date.now() + 5 * DAY));
    await scheduleReminders();
    const [mail] = await mailsOf(person.id);
    const list = (await adminMail.loader(args(await get("/admin/mail", admin.id)))) as Awaited<ReturnType<typeof adminMail.loader>>;
    expect(list.list!.entries.some((e) => e.id === mail!.id)).toBe(true);
    const one = (await adminMail.loader(args(await get(`/admin/mail?id=${mail!.id}`, admin.id)))) as Awaited<ReturnType<typeof adminMail.loader>>;
    expect(one.message!.textBody).toBe(mail!.textBody);
    const missing = await settle(async () => adminMail.loader(args(await get("/admin/mail?id=999999", admin.id))));
    expect((missing.value as Response).status).toBe(404);
  });
});
