/**
 * The platform's Open Badges signing keys, kept in the `signing_keys` table.
 *
 * - The row's `kid` is the key's RFC 7638 thumbprint. The `kid` a credential carries is a URL
 *   (`<origin>/issuer/keys/<thumbprint>`, see `keyUrl`) built per request from the site's origin, so
 *   a key made while the site answered on one host still verifies when it answers on another.
 * - The active key is the oldest one not retired. It is created on first use, under a transaction-level
 *   advisory lock, so two processes starting at once agree on one key (the loser of the race finds the
 *   winner's row after the lock is released and creates none).
 * - Each process keeps the active key in memory after the first look-up.
 * - The JWKS lists every key not retired, so credentials signed with any of them verify.
 */
import { asc, isNull, sql } from "drizzle-orm";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { getDb } from "#db/client.server";
import { signingKeys } from "#db/schema";
import { buildJwks, keyUrl, OPEN_BADGES_JWT_ALG, toPublicJwk, type PublicJwk, type SigningKey } from "./open-badges-signing.server";

/** A stored key, independent of the host it is published under. */
export type StoredKey = { thumbprint: string; publicJwk: JWK; privateJwk: JWK };

/** A 64-bit number no other advisory lock in the app uses: "MNB-SIGN" in ASCII. */
const ADVISORY_LOCK = sql.raw("select pg_advisory_xact_lock(5570462551542155086)"); // 0x4d4e422d5349474e

const rsaPublic = (jwk: JWK): JWK => ({ kty: "RSA", n: jwk.n, e: jwk.e });

async function newKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(OPEN_BADGES_JWT_ALG, { modulusLength: 2048, extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const thumbprint = await calculateJwkThumbprint(rsaPublic(privateJwk));
  return { thumbprint, publicJwk: rsaPublic(privateJwk), privateJwk };
}

const columns = { kid: signingKeys.kid, publicJwk: signingKeys.publicJwk, privateJwk: signingKeys.privateJwk };
const toStored = (row: { kid: string; publicJwk: Record<string, unknown>; privateJwk: Record<string, unknown> }): StoredKey => ({
  thumbprint: row.kid,
  publicJwk: row.publicJwk as JWK,
  privateJwk: row.privateJwk as JWK,
});

/** Reads the active key, creating it when there is none; safe when several processes race. */
export async function loadOrCreateActiveKey(): Promise<StoredKey> {
  const db = getDb();
  const active = () =>
    db.select(columns).from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(asc(signingKeys.createdAt), asc(signingKeys.kid)).limit(1);
  const [existing] = await active();
  if (existing) return toStored(existing);
  // Generate outside the lock (RSA key generation takes ~100 ms); discarded if another process wins.
  const candidate = await newKey();
  return db.transaction(async (tx) => {
    await tx.execute(ADVISORY_LOCK);
    const [winner] = await tx
      .select(columns)
      .from(signingKeys)
      .where(isNull(signingKeys.retiredAt))
      .orderBy(asc(signingKeys.createdAt), asc(signingKeys.kid))
      .limit(1);
    if (winner) return toStored(winner);
    await tx
      .insert(signingKeys)
      .values({ kid: candidate.thumbprint, alg: OPEN_BADGES_JWT_ALG, publicJwk: candidate.publicJwk, privateJwk: candidate.privateJwk })
      .onConflictDoNothing();
    return candidate;
  });
}

const cacheKey = Symbol.for("manabi.active-signing-key");
const g = globalThis as typeof globalThis & { [cacheKey]?: Promise<StoredKey> | null };

/** The active key of this process (read or created once, then kept in memory). */
export function activeKey(): Promise<StoredKey> {
  let pending = g[cacheKey];
  if (!pending) {
    pending = loadOrCreateActiveKey();
    pending.catch(() => {
      if (g[cacheKey] === pending) g[cacheKey] = null;
    });
    g[cacheKey] = pending;
  }
  return pending;
}

/** Forgets the cached key (tests, or after retiring a key). */
export function forgetActiveKey(): void {
  g[cacheKey] = null;
}

/** A stored key as published under `baseUrl`: its `kid` is the URL that serves its public JWK. */
export function publishedKey(key: StoredKey, baseUrl: string): SigningKey {
  const kid = keyUrl(baseUrl, key.thumbprint);
  return { kid, privateJwk: { ...key.privateJwk, kid, alg: OPEN_BADGES_JWT_ALG }, publicJwk: toPublicJwk(key.publicJwk, kid) };
}

/** The active key, ready to sign a credential served from `baseUrl`. */
export async function activeSigningKey(baseUrl: string): Promise<SigningKey> {
  return publishedKey(await activeKey(), baseUrl);
}

/** Every key not retired, oldest first, published under `baseUrl`. */
async function publishableKeys(baseUrl: string): Promise<SigningKey[]> {
  // Make sure there is a key to publish even before the first credential is signed.
  await activeKey();
  const rows = await getDb().select(columns).from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(asc(signingKeys.createdAt), asc(signingKeys.kid));
  return rows.map((row) => publishedKey(toStored(row), baseUrl));
}

/** The JWKS document for `/.well-known/jwks.json`: public halves only (buildJwks refuses private members). */
export async function publishedJwks(baseUrl: string): Promise<{ keys: PublicJwk[] }> {
  return buildJwks(await publishableKeys(baseUrl));
}

/** One published public key by its thumbprint (what `kid` URLs serve), or null. */
export async function publishedKeyByThumbprint(baseUrl: string, thumbprint: string): Promise<PublicJwk | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(thumbprint)) return null;
  const key = (await publishableKeys(baseUrl)).find((k) => k.kid === keyUrl(baseUrl, thumbprint));
  return key ? buildJwks([key]).keys[0]! : null;
}
