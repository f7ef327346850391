import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { auditLog, invitations, mailOutbox, users } from "#db/schema";
import { acceptInvitation } from "~/auth/invitations.server";
import { signIn } from "~/auth/sign-in.server";
import * as invitePage from "~/routes/invite.$token";
import * as hrInvitations from "~/routes/hr_.invitations";
import { readToast } from "~/ui/toast.server";
import { createUser, get, post, settle } from "../helpers/factories";

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });
const NEW_PASSWORD = "a long new password 1";

async function newPerson(language: "ja" | "en" | null = null) {
  return createUser({ passwordHash: null, preferredLanguage: language, email: `new-${randomUUID()}@example.com` });
}

/** The HR person's invitation of `userIds`, through the page's action, as the browser posts it. */
async function invite(hrId: string, userIds: string[]) {
  const request = await post("/hr/invitations", { intent: "sendSelected" }, { userId: hrId });
  // Several "id" fields: rebuild the body with them.
  const fields = new URLSearchParams(await request.text());
  for (const id of userIds) fields.append("id", id);
  return settle(() => hrInvitations.action(args(new Request(request.url, { method: "POST", body: fields, headers: request.headers }))));
}

async function invitationMails(userId: string) {
  return getDb().select().from(mailOutbox).where(and(eq(mailOutbox.userId, userId), eq(mailOutbox.kind, "invitation")));
}

const tokenIn = (text: string) => text.match(/\/invite\/([A-Za-z0-9_-]{43})/)![1]!;

describe("invitations", () => {
  it("HR sees people without a password as not invited, invites them, and each gets a mail in their language with a one-time link", async () => {
    const hr = await createUser({ roles: ["hr"] });
    const ja = await newPerson(null);
    const en = await newPerson("en");
    const listed = (await hrInvitations.loader(args(await get("/hr/invitations", hr.id)))) as Awaited<ReturnType<typeof hrInvitations.loader>>;
    expect(listed.invitees.find((p) => p.id === ja.id)?.status).toBe("not-invited");

    const { value } = await invite(hr.id, [ja.id, en.id]);
    const response = value as Response;
    expect(response.status).toBe(302);
    const toast = await readToast(new Request("http://localhost/", { headers: { Cookie: response.headers.get("Set-Cookie")!.split(";")[0]! } }));
    expect(toast.toast).toMatchObject({ key: "invitations.toast.sent", values: { sent: 2, throttled: 0 } });

    const [jaMail] = await invitationMails(ja.id);
    const [enMail] = await invitationMails(en.id);
    expect(jaMail!.language).toBe("ja");
    expect(jaMail!.subject).toContain("パスワードを設定");
    expect(jaMail!.textBody).toContain("試験 太郎 様");
    expect(enMail!.language).toBe("en");
    expect(enMail!.subject).toBe("Manabi: set your password to start learning");
    // Only the token's hash is stored.
    const token = tokenIn(jaMail!.textBody);
    const stored = await getDb().select().from(invitations).where(eq(invitations.userId, ja.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(token);
    expect(stored[0]!.createdById).toBe(hr.id);
    expect(new Date(stored[0]!.expiresAt).getTime() - new Date(stored[0]!.createdAt).getTime()).toBe(7 * 86_400_000);
    const audited = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "invitation.send"), eq(auditLog.targetId, ja.id)));
    expect(audited).toHaveLength(1);

    const after = (await hrInvitations.loader(args(await get("/hr/invitations", hr.id)))) as Awaited<ReturnType<typeof hrInvitations.loader>>;
    expect(after.invitees.find((p) => p.id === ja.id)?.status).toBe("invited");
  });

  it("does not send the same person another invitation within 10 minutes, and says so", async () => {
    const hr = await createUser({ roles: ["hr"] });
    const person = await newPerson();
    await invite(hr.id, [person.id]);
    const confirm = (await hrInvitations.loader(args(await get(`/hr/invitations?confirm=selected&id=${person.id}`, hr.id)))) as Awaited<ReturnType<typeof hrInvitations.loader>>;
    expect(confirm.confirm).toMatchObject({ sendNow: 0, throttled: 1 });
    const { value } = await invite(hr.id, [person.id]);
    const toast = await readToast(new Request("http://localhost/", { headers: { Cookie: (value as Response).headers.get("Set-Cookie")!.split(";")[0]! } }));
    expect(toast.toast).toMatchObject({ key: "invitations.toast.sentSomeThrottled", values: { sent: 0, throttled: 1 } });
    expect(await invitationMails(person.id)).toHaveLength(1);
  });

  it("a valid link sets the password, signs the person in and works only once", async () => {
    const hr = await createUser({ roles: ["hr"] });
    const person = await newPerson("en");
    await invite(hr.id, [person.id]);
    const token = tokenIn((await invitationMails(person.id))[0]!.textBody);

    const page = (await invitePage.loader(args(new Request(`http://localhost/invite/${token}`), { token }))) as { state: string; person: { familyName: string } | null };
    expect(page.state).toBe("valid");
    expect(page.person?.familyName).toBe(person.familyName);

    const tooShort = await settle(async () => invitePage.action(args(await post(`/invite/${token}`, { intent: "setPassword", next: "short", confirm: "short" }), { token })));
    expect((tooShort.value as { init: ResponseInit }).init.status).toBe(400);

    const { value } = await settle(async () => invitePage.action(args(await post(`/invite/${token}`, { intent: "setPassword", next: NEW_PASSWORD, confirm: NEW_PASSWORD }), { token })));
    const response = value as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toMatch(/session/i);
    expect((await signIn(person.email, NEW_PASSWORD, "10.0.0.1")).ok).toBe(true);

    const again = (await invitePage.loader(args(new Request(`http://localhost/invite/${token}`), { token }))) as { state: string; person: unknown };
    expect(again).toEqual({ state: "used", person: null });
    expect(await acceptInvitation(token, "yet another password")).toEqual({ ok: false, state: "used" });
  });

  it("an expired link says so and sends a new one on request, throttled, to the same person only", async () => {
    const hr = await createUser({ roles: ["hr"] });
    const person = await newPerson("ja");
    await invite(hr.id, [person.id]);
    const token = tokenIn((await invitationMails(person.id))[0]!.textBody);
    await getDb().update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.userId, person.id));

    const page = (await invitePage.loader(args(new Request(`http://localhost/invite/${token}`), { token }))) as { state: string; person: unknown };
    expect(page).toEqual({ state: "expired", person: null });
    expect(await acceptInvitation(token, NEW_PASSWORD)).toEqual({ ok: false, state: "expired" });

    // Just invited: asking again within 10 minutes is refused.
    const throttled = await settle(async () => invitePage.action(args(await post(`/invite/${token}`, { intent: "resend" }), { token })));
    expect((throttled.value as { data: { resend: string }; init: ResponseInit }).data.resend).toBe("throttled");
    expect((throttled.value as { init: ResponseInit }).init.status).toBe(429);

    await getDb().update(invitations).set({ createdAt: new Date(Date.now() - 11 * 60_000) }).where(eq(invitations.userId, person.id));
    const sent = await settle(async () => invitePage.action(args(await post(`/invite/${token}`, { intent: "resend" }), { token })));
    expect((sent.value as { data: { resend: string } }).data.resend).toBe("sent");
    const mails = await invitationMails(person.id);
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.userId))).toEqual(new Set([person.id]));
    const newToken = tokenIn(mails.find((m) => !m.textBody.includes(token))!.textBody);
    expect(await acceptInvitation(newToken, NEW_PASSWORD)).toMatchObject({ ok: true, userId: person.id });
  });

  it("a made-up link is not found and reveals nothing", async () => {
    const token = "A".repeat(43);
    const { value } = await settle(() => invitePage.loader(args(new Request(`http://localhost/invite/${token}`), { token })));
    expect((value as { init: ResponseInit }).init.status).toBe(404);
    expect((value as { data: unknown }).data).toEqual({ state: "unknown", person: null });
    const resend = await settle(async () => invitePage.action(args(await post(`/invite/${token}`, { intent: "resend" }), { token })));
    expect((resend.value as Response).status).toBe(404);
  });

  it("an inactive person's link does not work", async () => {
    const hr = await createUser({ roles: ["hr"] });
    const person = await newPerson();
    await invite(hr.id, [person.id]);
    const token = tokenIn((await invitationMails(person.id))[0]!.textBody);
    await getDb().update(users).set({ active: false }).where(eq(users.id, person.id));
    expect(await acceptInvitation(token, NEW_PASSWORD)).toEqual({ ok: false, state: "unknown" });
  });
});
