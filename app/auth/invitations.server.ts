import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.server";
import { auditLog, invitations, sessions, users } from "#db/schema";
import { LANGUAGES, type Language } from "~/i18n/languages";
import { invitationDedupeKey } from "~/mail/kinds";
import { mailBaseUrl } from "~/mail/links.server";
import { enqueueMail } from "~/mail/outbox.server";
import { renderMail } from "~/mail/templates";
import { invitationResendAllowedAt } from "~/mail/throttle";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { invitationExpiry, invitationState, inviteeStatus, TOKEN_PATTERN, type InvitationState, type InviteeStatus } from "./invitation-rules";
import { hashPassword } from "./password.server";

/**
 * Invitations: imported people have no password; HR sends each a one-time link (an outbox mail in the
 * person's language) to set one. Only the SHA-256 of the token is stored. A new invitation ends the
 * person's earlier unused links. Sending to the same person again is throttled (throttle.ts), whether
 * HR or the person (from an expired or used link) asks; every invitation is audit-logged.
 */

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const CHUNK = 200;

export type Invitee = PersonNameFields & {
  id: string;
  email: string;
  employeeNumber: string | null;
  status: InviteeStatus;
  invitedAt: Date | null;
  expiresAt: Date | null;
};

/** Active people without a password, with their latest invitation; not invited first, then by name. */
export async function listInvitees(now = new Date()): Promise<Invitee[]> {
  const db = getDb();
  const people = await db
    .select({ id: users.id, email: users.email, employeeNumber: users.employeeNumber, ...personNameColumns })
    .from(users)
    .where(and(isNull(users.passwordHash), eq(users.active, true)))
    .orderBy(asc(users.familyNameKana), asc(users.familyName), asc(users.givenName), asc(users.email));
  const latest = new Map<string, { createdAt: Date; expiresAt: Date; usedAt: Date | null }>();
  for (let i = 0; i < people.length; i += 1000) {
    const rows = await db
      .selectDistinctOn([invitations.userId], { userId: invitations.userId, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt, usedAt: invitations.usedAt })
      .from(invitations)
      .where(inArray(invitations.userId, people.slice(i, i + 1000).map((p) => p.id)))
      .orderBy(invitations.userId, desc(invitations.createdAt));
    for (const r of rows) latest.set(r.userId, { createdAt: new Date(r.createdAt), expiresAt: new Date(r.expiresAt), usedAt: r.usedAt ? new Date(r.usedAt) : null });
  }
  const order: Record<InviteeStatus, number> = { "not-invited": 0, expired: 1, invited: 2 };
  return people
    .map((p) => {
      const inv = latest.get(p.id) ?? null;
      const status = inviteeStatus(inv, now);
      return { ...p, status, invitedAt: status === "not-invited" ? null : inv!.createdAt, expiresAt: status === "not-invited" ? null : inv!.expiresAt };
    })
    .sort((a, b) => order[a.status] - order[b.status]);
}

export type InviteResult = { sent: number; throttled: number; skipped: number };

async function inviteOne(
  tx: Transaction,
  person: { id: string; email: string; preferredLanguage: Language | null } & PersonNameFields,
  input: { actorId: string | null; baseUrl: string; now: Date },
): Promise<void> {
  const token = randomBytes(32).toString("base64url");
  const id = randomUUID();
  const expiresAt = invitationExpiry(input.now);
  // Earlier unused links end: only the newest one works.
  await tx
    .update(invitations)
    .set({ expiresAt: input.now })
    .where(and(eq(invitations.userId, person.id), isNull(invitations.usedAt), gt(invitations.expiresAt, input.now)));
  await tx.insert(invitations).values({ id, userId: person.id, tokenHash: hashToken(token), expiresAt, createdById: input.actorId, createdAt: input.now });
  const language: Language = person.preferredLanguage && LANGUAGES.includes(person.preferredLanguage) ? person.preferredLanguage : "ja";
  const rendered = renderMail({ kind: "invitation", person, link: `${input.baseUrl}/invite/${token}`, expiresAt }, language);
  await enqueueMail(tx, { userId: person.id, to: person.email, kind: "invitation", language, dedupeKey: invitationDedupeKey(id), ...rendered });
  await tx.insert(auditLog).values({
    actorId: input.actorId,
    action: "invitation.send",
    targetType: "user",
    targetId: person.id,
    details: { email: person.email, expiresAt: expiresAt.toISOString(), requestedBy: input.actorId ? "hr" : "self" },
  });
}

/** Locks the people and their last invitation time (so two senders cannot both pass the throttle). */
async function lockedPeople(tx: Transaction, ids: string[]) {
  const people = await tx
    .select({ id: users.id, email: users.email, preferredLanguage: users.preferredLanguage, active: users.active, passwordHash: users.passwordHash, ...personNameColumns })
    .from(users)
    .where(inArray(users.id, ids))
    .orderBy(asc(users.id))
    .for("update");
  const last = await tx
    .select({ userId: invitations.userId, createdAt: sql<string>`max(${invitations.createdAt})` })
    .from(invitations)
    .where(inArray(invitations.userId, ids))
    .groupBy(invitations.userId);
  const lastBy = new Map(last.map((l) => [l.userId, new Date(l.createdAt)]));
  return people.map((p) => ({ ...p, lastInvitedAt: lastBy.get(p.id) ?? null }));
}

/**
 * HR invites people (by id): active people without a password get a new link, unless one was sent to
 * them within the resend throttle; others are skipped. `origin` is the HR request's origin (used for
 * the link only when PUBLIC_URL is unset).
 */
export async function sendInvitations(input: { actorId: string; userIds: string[]; origin?: string; now?: Date }): Promise<InviteResult> {
  const now = input.now ?? new Date();
  const baseUrl = mailBaseUrl(input.origin);
  const result: InviteResult = { sent: 0, throttled: 0, skipped: 0 };
  const ids = [...new Set(input.userIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await getDb().transaction(async (tx) => {
      const people = await lockedPeople(tx, chunk);
      result.skipped += chunk.length - people.length;
      for (const person of people) {
        if (!person.active || person.passwordHash) {
          result.skipped++;
        } else if (invitationResendAllowedAt(person.lastInvitedAt, now)) {
          result.throttled++;
        } else {
          await inviteOne(tx, person, { actorId: input.actorId, baseUrl, now });
          result.sent++;
        }
      }
    });
  }
  return result;
}

/** The ids of active people without a password who were never invited ("invite all new people"). */
export async function uninvitedPeople(now = new Date()): Promise<string[]> {
  return (await listInvitees(now)).filter((p) => p.status === "not-invited").map((p) => p.id);
}

export type InvitationLookup =
  | { state: "unknown" }
  | { state: InvitationState; language: Language; person: PersonNameFields; email: string };

/** What a link is now, for its page. Unknown tokens (mistyped, made up) reveal nothing. */
export async function lookupInvitation(token: string, now = new Date()): Promise<InvitationLookup> {
  if (!TOKEN_PATTERN.test(token)) return { state: "unknown" };
  const [row] = await getDb()
    .select({ expiresAt: invitations.expiresAt, usedAt: invitations.usedAt, active: users.active, email: users.email, preferredLanguage: users.preferredLanguage, ...personNameColumns })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row || !row.active) return { state: "unknown" };
  const { expiresAt, usedAt, active: _active, email, preferredLanguage, ...person } = row;
  return {
    state: invitationState({ expiresAt: new Date(expiresAt), usedAt: usedAt ? new Date(usedAt) : null }, now),
    language: preferredLanguage ?? "ja",
    person,
    email,
  };
}

export type AcceptResult = { ok: true; userId: string } | { ok: false; state: "unknown" | "expired" | "used" };

/**
 * Sets the person's password from a valid link and uses the link up, in one transaction (two
 * submits of the same link: one wins, the other sees "used"). Every session the person had ends.
 */
export async function acceptInvitation(token: string, password: string, now = new Date()): Promise<AcceptResult> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, state: "unknown" };
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx): Promise<AcceptResult> => {
    const [row] = await tx
      .select({ id: invitations.id, userId: invitations.userId, expiresAt: invitations.expiresAt, usedAt: invitations.usedAt })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(token)))
      .for("update");
    if (!row) return { ok: false, state: "unknown" };
    const [person] = await tx.select({ active: users.active }).from(users).where(eq(users.id, row.userId));
    if (!person?.active) return { ok: false, state: "unknown" };
    const state = invitationState({ expiresAt: new Date(row.expiresAt), usedAt: row.usedAt ? new Date(row.usedAt) : null }, now);
    if (state !== "valid") return { ok: false, state };
    await tx.update(invitations).set({ usedAt: now }).where(eq(invitations.id, row.id));
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, row.userId));
    await tx.delete(sessions).where(eq(sessions.userId, row.userId));
    return { ok: true, userId: row.userId };
  });
}

export type ResendResult = { kind: "sent" } | { kind: "throttled"; retryAt: Date } | { kind: "unknown" };

/**
 * The person behind an expired or used link asks for a new one: sent to the address the link was for
 * (never elsewhere), throttled like HR's resends. A valid link needs none ("unknown" is returned).
 */
export async function requestNewInvitation(input: { token: string; origin?: string; now?: Date }): Promise<ResendResult> {
  const now = input.now ?? new Date();
  if (!TOKEN_PATTERN.test(input.token)) return { kind: "unknown" };
  const baseUrl = mailBaseUrl(input.origin);
  return getDb().transaction(async (tx): Promise<ResendResult> => {
    const [row] = await tx
      .select({ userId: invitations.userId, expiresAt: invitations.expiresAt, usedAt: invitations.usedAt })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(input.token)));
    if (!row) return { kind: "unknown" };
    if (invitationState({ expiresAt: new Date(row.expiresAt), usedAt: row.usedAt ? new Date(row.usedAt) : null }, now) === "valid") return { kind: "unknown" };
    const [person] = await lockedPeople(tx, [row.userId]);
    if (!person?.active) return { kind: "unknown" };
    const wait = invitationResendAllowedAt(person.lastInvitedAt, now);
    if (wait) return { kind: "throttled", retryAt: wait };
    await inviteOne(tx, person, { actorId: null, baseUrl, now });
    return { kind: "sent" };
  });
}
