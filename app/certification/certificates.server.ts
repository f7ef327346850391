import { randomUUID } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Transaction } from "#db/client.server";
import { markEntitlementsStale } from "~/access/entitlement-marks.server";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { auditLog, certificateNumberSeq, certificates, courseExemptions, users } from "#db/schema";
import type { Track } from "~/content/types";
import { certificateYear, formatCertificateNumber, generateVerificationCode, parseVerificationCode } from "./certificate-number";
import { awardValidity, certificateStatus, type CertificateStatus } from "./validity";

type Db = Transaction | ReturnType<typeof getDb>;

/** The person's certificate of a track that decides what comes next: the one valid longest, not revoked. */
export async function latestCertificate(db: Db, userId: string, trackId: string) {
  const [row] = await db
    .select({ id: certificates.id, validUntil: certificates.validUntil, revokedAt: certificates.revokedAt, passedAt: certificates.passedAt })
    .from(certificates)
    .where(and(eq(certificates.userId, userId), eq(certificates.trackId, trackId), isNull(certificates.revokedAt)))
    .orderBy(desc(certificates.validUntil))
    .limit(1);
  return row ? { ...row, validUntil: new Date(row.validUntil), revokedAt: row.revokedAt ? new Date(row.revokedAt) : null } : null;
}

async function nextNumber(tx: Db, at: Date): Promise<string> {
  const result = (await tx.execute(sql`select nextval(${`${certificateNumberSeq.seqName}`}::regclass) as n`)) as unknown;
  // postgres.js returns the rows as an array; PGlite as { rows }.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: string | number }[];
  return formatCertificateNumber(certificateYear(at), Number(rows[0]!.n));
}

/**
 * Awards the certificate for a passed attempt, inside the transaction that finishes the attempt (one
 * per attempt: a unique index on attempt_id). Passing while a certificate of the track is still valid
 * extends validity from its end date.
 */
export async function awardCertificate(
  tx: Transaction,
  input: { userId: string; track: Pick<Track, "id" | "title" | "validityMonths">; attemptId: string; passedAt: Date },
): Promise<{ id: string; number: string; validUntil: Date }> {
  return insertCertificate(tx, { ...input, source: "exam" });
}

/**
 * Writes a certificate: the next number, an unguessable verification code, and validity that extends
 * from the end of a certificate of the same track still valid when this one was passed.
 */
async function insertCertificate(
  tx: Transaction,
  input: {
    userId: string;
    track: Pick<Track, "id" | "title" | "validityMonths">;
    passedAt: Date;
    source: "exam" | "external";
    attemptId?: string;
    evidence?: string;
    recordedById?: string;
  },
): Promise<{ id: string; number: string; validUntil: Date }> {
  const previous = await latestCertificate(tx, input.userId, input.track.id);
  const award = awardValidity(input.passedAt, input.track.validityMonths, previous);
  const id = randomUUID();
  const number = await nextNumber(tx, input.passedAt);
  await tx.insert(certificates).values({
    id,
    number,
    userId: input.userId,
    trackId: input.track.id,
    source: input.source,
    attemptId: input.attemptId ?? null,
    passedAt: input.passedAt,
    validUntil: award.validUntil,
    verificationCode: generateVerificationCode(),
    trackTitle: input.track.title,
    evidence: input.evidence ?? null,
    recordedById: input.recordedById ?? null,
  });
  await markEntitlementsStale(tx, [input.userId]);
  return { id, number, validUntil: award.validUntil };
}

/** Whether HR has let the person take the track's exam without its courses. */
export async function hasCourseExemption(db: Db, userId: string, trackId: string): Promise<boolean> {
  const rows = await db
    .select({ id: courseExemptions.id })
    .from(courseExemptions)
    .where(and(eq(courseExemptions.userId, userId), eq(courseExemptions.trackId, trackId), isNull(courseExemptions.revokedAt)))
    .limit(1);
  return rows.length > 0;
}

export type CertificateRecord = {
  id: string;
  number: string;
  trackId: string;
  trackTitle: { en: string; ja: string };
  source: "exam" | "external";
  passedAt: Date;
  validUntil: Date;
  status: CertificateStatus;
  revokedAt: Date | null;
  revokedReason: string | null;
  verificationCode: string;
  holder: PersonNameFields & { id: string; email: string; displayName: string };
};

const recordColumns = {
  id: certificates.id,
  number: certificates.number,
  trackId: certificates.trackId,
  trackTitle: certificates.trackTitle,
  source: certificates.source,
  passedAt: certificates.passedAt,
  validUntil: certificates.validUntil,
  revokedAt: certificates.revokedAt,
  revokedReason: certificates.revokedReason,
  verificationCode: certificates.verificationCode,
  holderId: users.id,
  email: users.email,
  ...personNameColumns,
  displayName: users.displayName,
};

function toRecord(row: { [K in keyof typeof recordColumns]: unknown }, now: Date): CertificateRecord {
  const r = row as {
    id: string;
    number: string;
    trackId: string;
    trackTitle: { en: string; ja: string };
    source: "exam" | "external";
    passedAt: Date | string;
    validUntil: Date | string;
    revokedAt: Date | string | null;
    revokedReason: string | null;
    verificationCode: string;
    holderId: string;
    email: string;
    familyName: string;
    givenName: string;
    familyNameKana: string | null;
    givenNameKana: string | null;
    familyNameLatin: string | null;
    givenNameLatin: string | null;
    displayName: string;
  };
  const dates = { validUntil: new Date(r.validUntil), revokedAt: r.revokedAt ? new Date(r.revokedAt) : null };
  return {
    id: r.id,
    number: r.number,
    trackId: r.trackId,
    trackTitle: r.trackTitle,
    source: r.source,
    passedAt: new Date(r.passedAt),
    validUntil: dates.validUntil,
    revokedAt: dates.revokedAt,
    revokedReason: r.revokedReason,
    status: certificateStatus(dates, now),
    verificationCode: r.verificationCode,
    holder: {
      id: r.holderId,
      email: r.email,
      familyName: r.familyName,
      givenName: r.givenName,
      familyNameKana: r.familyNameKana,
      givenNameKana: r.givenNameKana,
      familyNameLatin: r.familyNameLatin,
      givenNameLatin: r.givenNameLatin,
      displayName: r.displayName,
    },
  };
}

/** A certificate for its holder only (null for anyone else: the page answers 404, revealing nothing). */
export async function certificateOfHolder(userId: string, certificateId: string, now = new Date()): Promise<CertificateRecord | null> {
  if (!/^[0-9a-f-]{36}$/.test(certificateId)) return null;
  const [row] = await getDb()
    .select(recordColumns)
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.userId))
    .where(and(eq(certificates.id, certificateId), eq(certificates.userId, userId)));
  return row ? toRecord(row, now) : null;
}

/** A person's certificates, newest first. */
export async function certificatesOf(userId: string, now = new Date()): Promise<CertificateRecord[]> {
  const rows = await getDb()
    .select(recordColumns)
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.userId))
    .where(eq(certificates.userId, userId))
    .orderBy(desc(certificates.passedAt));
  return rows.map((r) => toRecord(r, now));
}

/** The public verification look-up: a malformed code never reaches the database. */
export async function certificateByCode(code: string, now = new Date()): Promise<CertificateRecord | null> {
  const parsed = parseVerificationCode(code);
  if (!parsed.ok) return null;
  const [row] = await getDb()
    .select(recordColumns)
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.userId))
    .where(eq(certificates.verificationCode, parsed.code));
  return row ? toRecord(row, now) : null;
}

export type RevokeResult = { kind: "revoked" } | { kind: "not-found" } | { kind: "already-revoked" };

/** HR revokes a certificate with a reason; audit-logged in the same transaction. */
export async function revokeCertificate(input: { certificateId: string; reason: string; actorId: string; now?: Date }): Promise<RevokeResult> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select({ id: certificates.id, revokedAt: certificates.revokedAt, userId: certificates.userId, number: certificates.number })
      .from(certificates)
      .where(eq(certificates.id, input.certificateId))
      .for("update");
    if (!row) return { kind: "not-found" } as const;
    if (row.revokedAt) return { kind: "already-revoked" } as const;
    await tx
      .update(certificates)
      .set({ revokedAt: now, revokedReason: input.reason, revokedById: input.actorId })
      .where(eq(certificates.id, row.id));
    await markEntitlementsStale(tx, [row.userId]);
    await tx.insert(auditLog).values({
      actorId: input.actorId,
      action: "certificate.revoke",
      targetType: "certificate",
      targetId: row.id,
      details: { number: row.number, userId: row.userId, reason: input.reason },
    });
    return { kind: "revoked" } as const;
  });
}

/** HR records a certificate earned elsewhere (e.g. JDLA's G検定) as satisfying a track. */
export async function recordExternalCertificate(input: {
  userId: string;
  track: Pick<Track, "id" | "title" | "validityMonths">;
  passedAt: Date;
  evidence: string;
  actorId: string;
}): Promise<{ id: string; number: string; validUntil: Date }> {
  return getDb().transaction(async (tx) => {
    const { id, number, validUntil } = await insertCertificate(tx, {
      userId: input.userId,
      track: input.track,
      passedAt: input.passedAt,
      source: "external",
      evidence: input.evidence,
      recordedById: input.actorId,
    });
    await tx.insert(auditLog).values({
      actorId: input.actorId,
      action: "certificate.record-external",
      targetType: "certificate",
      targetId: id,
      details: { number, userId: input.userId, trackId: input.track.id, passedAt: input.passedAt.toISOString(), evidence: input.evidence },
    });
    return { id, number, validUntil };
  });
}

/** HR lets a person take a track's exam without completing its courses; audit-logged. */
export async function grantCourseExemption(input: { userId: string; trackId: string; reason: string; actorId: string }): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .insert(courseExemptions)
      .values({ userId: input.userId, trackId: input.trackId, reason: input.reason, createdById: input.actorId })
      .returning({ id: courseExemptions.id });
    await tx.insert(auditLog).values({
      actorId: input.actorId,
      action: "exemption.grant",
      targetType: "user",
      targetId: input.userId,
      details: { exemptionId: row!.id, trackId: input.trackId, reason: input.reason },
    });
  });
}
