import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { apiTokens, auditLog } from "#db/schema";
import { authenticateBearer, createApiToken, listApiTokens, recordTokenUse, revokeApiToken } from "~/access/tokens.server";
import { createUser } from "../helpers/factories";

const bearer = (secret: string) => `Bearer ${secret}`;
const auditOf = (tokenId: string) =>
  getDb().select().from(auditLog).where(eq(auditLog.targetId, tokenId)).orderBy(auditLog.id);

describe("API tokens", () => {
  it("shows the secret once, keeps only its SHA-256, and logs who made it", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const token = await createApiToken({ name: "LLM gateway", scopes: ["access:read"] }, { id: admin.id, via: "admin" });
    expect(token.secret).toMatch(/^mnb_live_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(token.secret.startsWith(`${token.prefix}_`)).toBe(true);

    const [row] = await getDb().select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(Object.values(row!).map(String).some((v) => v.includes(token.secret.slice(18)))).toBe(false);
    const { createHash } = await import("node:crypto");
    expect(row!.tokenHash).toBe(createHash("sha256").update(token.secret).digest("hex"));

    const listed = (await listApiTokens()).find((t) => t.id === token.id)!;
    expect(listed).toMatchObject({ name: "LLM gateway", prefix: token.prefix, scopes: ["access:read"], revokedAt: null, lastUsedAt: null });
    expect(listed.createdBy).toEqual({ familyName: admin.familyName, givenName: admin.givenName });
    expect(JSON.stringify(listed)).not.toContain(row!.tokenHash);

    expect(await auditOf(token.id)).toMatchObject([
      { action: "token.create", actorId: admin.id, details: { name: "LLM gateway", prefix: token.prefix, scopes: ["access:read"], via: "admin" } },
    ]);
  });

  it("authenticates the exact token only: not a changed character, not another scheme, not a bare prefix", async () => {
    const token = await createApiToken({ name: "t", scopes: ["access:read", "events:read"] }, { id: null, via: "command-line" });
    expect(await authenticateBearer(bearer(token.secret))).toMatchObject({ id: token.id, scopes: ["access:read", "events:read"] });
    const last = token.secret.at(-1) === "A" ? "B" : "A";
    expect(await authenticateBearer(bearer(token.secret.slice(0, -1) + last))).toBeNull();
    expect(await authenticateBearer(`Basic ${token.secret}`)).toBeNull();
    expect(await authenticateBearer(bearer(token.prefix))).toBeNull();
    expect(await authenticateBearer(null)).toBeNull();
  });

  it("a revoked token stops working at once; revoking is logged once", async () => {
    const admin = await createUser({ roles: ["admin"] });
    const token = await createApiToken({ name: "to revoke", scopes: ["access:read"] }, { id: admin.id, via: "admin" });
    expect(await authenticateBearer(bearer(token.secret))).not.toBeNull();
    expect(await revokeApiToken(token.id, { id: admin.id, via: "admin" })).toEqual({ kind: "revoked", name: "to revoke" });
    expect(await revokeApiToken(token.id, { id: admin.id, via: "admin" })).toEqual({ kind: "already-revoked", name: "to revoke" });
    expect(await revokeApiToken("tok-nope", { id: admin.id, via: "admin" })).toEqual({ kind: "not-found" });
    expect(await authenticateBearer(bearer(token.secret))).toBeNull();
    const [row] = await getDb().select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row).toMatchObject({ revokedById: admin.id });
    expect(row!.revokedAt).toBeInstanceOf(Date);
    const actions = (await auditOf(token.id)).map((e) => [e.action, e.actorId]);
    expect(actions.filter(([a]) => a === "token.revoke")).toEqual([["token.revoke", admin.id]]);
  });

  it("records the last use at most once a minute and logs one use per token per Tokyo day", async () => {
    const token = await createApiToken({ name: "usage", scopes: ["access:read"] }, { id: null, via: "command-line" });
    const at = (iso: string) => new Date(iso);
    const lastUsed = async () => (await getDb().select({ v: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, token.id)))[0]!.v;
    const uses = async () =>
      (await getDb().select().from(auditLog).where(and(eq(auditLog.targetId, token.id), eq(auditLog.action, "token.use")))).map((e) => e.details);

    await authenticateBearer(bearer(token.secret), at("2026-11-30T01:00:00.000Z"));
    await authenticateBearer(bearer(token.secret), at("2026-11-30T01:00:30.000Z"));
    expect(await lastUsed()).toEqual(at("2026-11-30T01:00:00.000Z"));
    await authenticateBearer(bearer(token.secret), at("2026-11-30T01:01:00.000Z"));
    expect(await lastUsed()).toEqual(at("2026-11-30T01:01:00.000Z"));
    await authenticateBearer(bearer(token.secret), at("2026-11-30T14:59:59.000Z"));
    await authenticateBearer(bearer(token.secret), at("2026-11-30T15:00:00.000Z")); // 1 December in Tokyo
    expect(await uses()).toEqual([{ day: "2026-11-30" }, { day: "2026-12-01" }]);
  });

  it("two processes seeing the same last use log the day once", async () => {
    const token = await createApiToken({ name: "race", scopes: ["access:read"] }, { id: null, via: "command-line" });
    const now = new Date("2026-12-02T00:00:00.000Z");
    await Promise.all([recordTokenUse(token.id, null, now), recordTokenUse(token.id, null, new Date(now.getTime() + 5))]);
    const logged = await getDb().select().from(auditLog).where(and(eq(auditLog.targetId, token.id), eq(auditLog.action, "token.use")));
    expect(logged).toHaveLength(1);
  });

  it("the database refuses a token without scopes or with an unknown one", async () => {
    const row = { id: "tok-x", name: "x", prefix: "mnb_live_abcdefgh", tokenHash: "00" };
    await expect(getDb().insert(apiTokens).values({ ...row, scopes: [] })).rejects.toThrow();
    await expect(getDb().insert(apiTokens).values({ ...row, scopes: ["admin" as never] })).rejects.toThrow();
  });
});
