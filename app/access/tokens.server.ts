import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { and, desc, eq, inArray, isNull, like } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { apiTokens, auditLog, users, type ApiScope } from "#db/schema";
import { RateLimiter, type RateDecision } from "./rate-limit";
import {
  PREFIX_ALPHABET,
  PREFIX_RANDOM_LENGTH,
  bearerToken,
  formatToken,
  parseToken,
  tokyoDay,
  usageWrites,
  type NewToken,
} from "./token-rules";

/**
 * API tokens: made by an admin (or `npm run token:create`), shown once, stored as a SHA-256 hash,
 * revoked by an admin. Creation and revocation are audit-logged in the same transaction as the change;
 * use is audit-logged once per token per Tokyo day, and the last use is written at most once a minute.
 *
 * Authentication reads the token's row on every request (one lookup by the unique prefix), so a
 * revocation counts in every app process on the next request.
 */

export type TokenActor = { id: string | null; via: "admin" | "command-line" };

/** What a request authenticated by a token knows about it. */
export type ApiPrincipal = { id: string; name: string; prefix: string; scopes: readonly ApiScope[] };

export type TokenListRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: { familyName: string; givenName: string } | null;
};

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function randomPrefix(): string {
  let out = "";
  for (let i = 0; i < PREFIX_RANDOM_LENGTH; i++) out += PREFIX_ALPHABET[randomInt(PREFIX_ALPHABET.length)];
  return out;
}

/** Makes a token; the secret is in the result and nowhere else. */
export async function createApiToken(
  input: NewToken,
  actor: TokenActor,
): Promise<{ id: string; name: string; prefix: string; scopes: ApiScope[]; secret: string }> {
  // A prefix collision (1 in 36^8 per pair of tokens) only costs a retry.
  for (let attempt = 0; ; attempt++) {
    const secret = formatToken(randomPrefix(), randomBytes(32).toString("base64url"));
    const { prefix } = parseToken(secret)!;
    const id = `tok-${randomUUID()}`;
    const created = await getDb().transaction(async (tx) => {
      const inserted = await tx
        .insert(apiTokens)
        .values({ id, name: input.name, prefix, tokenHash: sha256(secret), scopes: input.scopes, createdById: actor.id })
        .onConflictDoNothing()
        .returning({ id: apiTokens.id });
      if (inserted.length === 0) return false;
      await tx.insert(auditLog).values({
        actorId: actor.id,
        action: "token.create",
        targetType: "api_token",
        targetId: id,
        details: { name: input.name, prefix, scopes: input.scopes, via: actor.via },
      });
      return true;
    });
    if (created) return { id, name: input.name, prefix, scopes: [...input.scopes], secret };
    if (attempt >= 4) throw new Error("Could not find a free token prefix");
  }
}

/** Every token, newest first, without hashes. */
export async function listApiTokens(): Promise<TokenListRow[]> {
  const rows = await getDb()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      creatorFamilyName: users.familyName,
      creatorGivenName: users.givenName,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdById))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(({ creatorFamilyName, creatorGivenName, ...row }) => ({
    ...row,
    createdBy: creatorFamilyName !== null && creatorGivenName !== null ? { familyName: creatorFamilyName, givenName: creatorGivenName } : null,
  }));
}

export type RevokeResult = { kind: "revoked"; name: string } | { kind: "already-revoked"; name: string } | { kind: "not-found" };

/** Revokes a token for good, with the audit entry in the same transaction. */
export async function revokeApiToken(tokenId: string, actor: TokenActor, now = new Date()): Promise<RevokeResult> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select({ name: apiTokens.name, prefix: apiTokens.prefix, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.id, tokenId))
      .for("update");
    if (!row) return { kind: "not-found" } as const;
    if (row.revokedAt) return { kind: "already-revoked", name: row.name } as const;
    await tx.update(apiTokens).set({ revokedAt: now, revokedById: actor.id }).where(eq(apiTokens.id, tokenId));
    await tx.insert(auditLog).values({
      actorId: actor.id,
      action: "token.revoke",
      targetType: "api_token",
      targetId: tokenId,
      details: { name: row.name, prefix: row.prefix, via: actor.via },
    });
    return { kind: "revoked", name: row.name } as const;
  });
}

/**
 * The token of an `Authorization: Bearer …` header, when it is a live Manabi token; null otherwise
 * (absent, malformed, unknown, revoked). The hash is compared in constant time. Records the use.
 */
export async function authenticateBearer(authorization: string | null, now = new Date()): Promise<ApiPrincipal | null> {
  const token = bearerToken(authorization);
  const parsed = token ? parseToken(token) : null;
  if (!token || !parsed) return null;
  const [row] = await getDb()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      tokenHash: apiTokens.tokenHash,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.prefix, parsed.prefix), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  const expected = Buffer.from(row.tokenHash, "hex");
  const given = Buffer.from(sha256(token), "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  await recordTokenUse(row.id, row.lastUsedAt, now);
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes };
}

/**
 * Writes the last use (at most once a minute) and, on the token's first use of a Tokyo day, the audit
 * entry "token.use". The update is a compare-and-set on the last use read, so of several app processes
 * seeing the same old value only one writes — and only one logs the day.
 */
export async function recordTokenUse(tokenId: string, lastUsedAt: Date | null, now: Date): Promise<void> {
  const writes = usageWrites(lastUsedAt, now);
  if (!writes.touch) return;
  await getDb().transaction(async (tx) => {
    const updated = await tx
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, tokenId), lastUsedAt ? eq(apiTokens.lastUsedAt, lastUsedAt) : isNull(apiTokens.lastUsedAt)))
      .returning({ id: apiTokens.id });
    if (updated.length === 0 || !writes.firstOfDay) return;
    await tx.insert(auditLog).values({
      actorId: null,
      action: "token.use",
      targetType: "api_token",
      targetId: tokenId,
      details: { day: tokyoDay(now) },
    });
  });
}

const limiter = new RateLimiter();
let lastSweep = 0;

/** This process's rate limit for the token (see rate-limit.ts). */
export function takeRate(tokenId: string, nowMs = Date.now()): RateDecision {
  if (nowMs - lastSweep > 60_000) {
    limiter.sweep(nowMs);
    lastSweep = nowMs;
  }
  return limiter.take(tokenId, nowMs);
}

export type TokenActivity = {
  id: number;
  action: "token.create" | "token.revoke" | "token.use";
  createdAt: Date;
  tokenName: string | null;
  prefix: string | null;
  actor: { familyName: string; givenName: string } | null;
  via: string | null;
  day: string | null;
};

/** The latest token entries of the audit log (made, revoked, used on a day), newest first. */
export async function recentTokenActivity(limit = 20): Promise<TokenActivity[]> {
  const rows = await getDb()
    .select({
      id: auditLog.id,
      action: auditLog.action,
      createdAt: auditLog.createdAt,
      targetId: auditLog.targetId,
      details: auditLog.details,
      familyName: users.familyName,
      givenName: users.givenName,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(like(auditLog.action, "token.%"))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
  const ids = [...new Set(rows.map((r) => r.targetId).filter((x): x is string => Boolean(x)))];
  const tokens = ids.length
    ? await getDb().select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix }).from(apiTokens).where(inArray(apiTokens.id, ids))
    : [];
  const byId = new Map(tokens.map((t) => [t.id, t]));
  return rows
    .filter((r): r is typeof r & { action: TokenActivity["action"] } => ["token.create", "token.revoke", "token.use"].includes(r.action))
    .map((r) => {
      const token = r.targetId ? byId.get(r.targetId) : undefined;
      return {
        id: r.id,
        action: r.action,
        createdAt: r.createdAt,
        tokenName: token?.name ?? (typeof r.details.name === "string" ? r.details.name : null),
        prefix: token?.prefix ?? null,
        actor: r.familyName !== null && r.givenName !== null ? { familyName: r.familyName, givenName: r.givenName } : null,
        via: typeof r.details.via === "string" ? r.details.via : null,
        day: typeof r.details.day === "string" ? r.details.day : null,
      };
    });
}
