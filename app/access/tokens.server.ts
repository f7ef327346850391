import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { and, count, desc, eq, inArray, isNull, like } from "drizzle-orm";
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
 * Authentication keeps verified tokens in memory (by the token's hash), so a gateway's request costs
 * no token query. A revocation counts at once in the process that made it and within a second in every
 * other process: before answering from memory, a process asks the database at most once a second
 * whether the set of revoked tokens changed (`revocationMark`), and forgets every cached token if so.
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
  const result = await getDb().transaction(async (tx): Promise<RevokeResult> => {
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
  if (result.kind === "revoked") forgetVerifiedTokens();
  return result;
}

/** A verified token in this process's memory, with the last use as this process last knew it. */
type VerifiedToken = { principal: ApiPrincipal; lastUsedAt: Date | null };

/** How long a process answers from its cached tokens before asking whether any token was revoked. */
export const TOKEN_RECHECK_MS = 1000;
const MAX_CACHED_TOKENS = 10_000;

type TokenCache = { byHash: Map<string, VerifiedToken>; mark: string | null; checkedAt: number; pending: Promise<void> | null };
const cacheKey = Symbol.for("manabi.api-token-cache");
const tokenCache = ((globalThis as typeof globalThis & { [cacheKey]?: TokenCache })[cacheKey] ??= {
  byHash: new Map(),
  mark: null,
  checkedAt: 0,
  pending: null,
});

/** Forgets every verified token of this process (after a revocation here, or one seen in the database). */
export function forgetVerifiedTokens(): void {
  tokenCache.byHash.clear();
}

/**
 * What changes whenever a token is revoked (or removed) in any process: the number of tokens and of
 * revoked ones. Revocation is for good, so the pair never comes back to an earlier value.
 */
async function revocationMark(): Promise<string> {
  const [row] = await getDb().select({ all: count(), revoked: count(apiTokens.revokedAt) }).from(apiTokens);
  return `${row?.all ?? 0}:${row?.revoked ?? 0}`;
}

/** At most once per TOKEN_RECHECK_MS (concurrent requests share one query): forget the cache if a token was revoked meanwhile. */
async function ensureFreshTokenCache(): Promise<void> {
  if (Date.now() - tokenCache.checkedAt < TOKEN_RECHECK_MS) return;
  tokenCache.pending ??= (async () => {
    const checkedAt = Date.now();
    const mark = await revocationMark();
    if (mark !== tokenCache.mark) forgetVerifiedTokens();
    tokenCache.mark = mark;
    tokenCache.checkedAt = checkedAt;
  })().finally(() => {
    tokenCache.pending = null;
  });
  return tokenCache.pending;
}

/**
 * The token of an `Authorization: Bearer …` header, when it is a live Manabi token; null otherwise
 * (absent, malformed, unknown, revoked). The hash is compared in constant time. Records the use.
 */
export async function authenticateBearer(authorization: string | null, now = new Date()): Promise<ApiPrincipal | null> {
  const token = bearerToken(authorization);
  const parsed = token ? parseToken(token) : null;
  if (!token || !parsed) return null;
  const hash = sha256(token);
  await ensureFreshTokenCache();
  let verified = tokenCache.byHash.get(hash);
  if (!verified) {
    const found = await verifyInDatabase(parsed.prefix, hash);
    if (!found) return null;
    verified = found;
    if (tokenCache.byHash.size >= MAX_CACHED_TOKENS) forgetVerifiedTokens();
    tokenCache.byHash.set(hash, verified);
  }
  const previous = verified.lastUsedAt;
  if (usageWrites(previous, now).touch) {
    // Other requests of this process meanwhile see the new last use and write nothing.
    verified.lastUsedAt = now;
    verified.lastUsedAt = await recordTokenUse(verified.principal.id, previous, now);
  }
  return verified.principal;
}

async function verifyInDatabase(prefix: string, hash: string): Promise<VerifiedToken | null> {
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
    .where(and(eq(apiTokens.prefix, prefix), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  const expected = Buffer.from(row.tokenHash, "hex");
  const given = Buffer.from(hash, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { principal: { id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes }, lastUsedAt: row.lastUsedAt };
}

/**
 * Writes the last use (at most once a minute) and, on the token's first use of a Tokyo day, the audit
 * entry "token.use". The update is a compare-and-set on the last use read, so of several app processes
 * seeing the same old value only one writes — and only one logs the day. Returns the last use now
 * recorded: `now`, or, when another process wrote first, the value it wrote.
 */
export async function recordTokenUse(tokenId: string, lastUsedAt: Date | null, now: Date): Promise<Date | null> {
  const writes = usageWrites(lastUsedAt, now);
  if (!writes.touch) return lastUsedAt;
  return getDb().transaction(async (tx) => {
    const updated = await tx
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(apiTokens.id, tokenId), lastUsedAt ? eq(apiTokens.lastUsedAt, lastUsedAt) : isNull(apiTokens.lastUsedAt)))
      .returning({ id: apiTokens.id });
    if (updated.length === 0) {
      const [row] = await tx.select({ lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, tokenId));
      return row?.lastUsedAt ?? null;
    }
    if (writes.firstOfDay) {
      await tx.insert(auditLog).values({
        actorId: null,
        action: "token.use",
        targetType: "api_token",
        targetId: tokenId,
        details: { day: tokyoDay(now) },
      });
    }
    return now;
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
