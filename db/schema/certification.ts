import { sql } from "drizzle-orm";
import { check, index, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { examAttempts } from "./assessment";
import { users } from "./org";

/** Certificate numbers (MNB-<year>-<sequence>) count up across all tracks and years without gaps in use. */
export const certificateNumberSeq = pgSequence("certificate_number_seq", { startWith: 1 });

export const CERTIFICATE_SOURCES = ["exam", "external"] as const;

/**
 * A certificate: awarded by passing a track's exam, or recorded by HR for an external pass (e.g. JDLA's
 * G検定). Validity is a property of its dates: nothing needs to run for it to expire.
 */
export const certificates = pgTable(
  "certificates",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    trackId: text("track_id").notNull(),
    source: text("source", { enum: CERTIFICATE_SOURCES }).notNull(),
    attemptId: text("attempt_id").references(() => examAttempts.id, { onDelete: "set null" }),
    passedAt: timestamp("passed_at", { withTimezone: true }).notNull(),
    validUntil: timestamp("valid_until", { withTimezone: true }).notNull(),
    /** Unguessable code of the public verification page (/verify/<code>). */
    verificationCode: text("verification_code").notNull(),
    /** The track's title when awarded, in both languages (the track may be renamed or removed later). */
    trackTitle: jsonb("track_title").$type<{ en: string; ja: string }>().notNull(),
    /** For a recorded external certificate: what it is and the evidence HR saw. */
    evidence: text("evidence"),
    recordedById: text("recorded_by_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
    revokedById: text("revoked_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("certificates_number_key").on(t.number),
    uniqueIndex("certificates_verification_code_key").on(t.verificationCode),
    // One certificate per passed attempt: grading twice can never award twice.
    uniqueIndex("certificates_attempt_key").on(t.attemptId),
    index("certificates_user_track_idx").on(t.userId, t.trackId, t.validUntil),
    check("certificates_source_check", sql`${t.source} in ('exam', 'external')`),
    check("certificates_dates_check", sql`${t.validUntil} > ${t.passedAt}`),
    check("certificates_revocation_check", sql`(${t.revokedAt} is null) = (${t.revokedReason} is null)`),
  ],
);

/** The platform's key pairs for signing Open Badges credentials; the public halves are published as JWKS. */
export const signingKeys = pgTable("signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>().notNull(),
  privateJwk: jsonb("private_jwk").$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp("retired_at", { withTimezone: true }),
});

export type Certificate = typeof certificates.$inferSelect;
