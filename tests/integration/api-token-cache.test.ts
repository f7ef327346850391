import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "#db/client.server";
import { apiTokens } from "#db/schema";
import { TOKEN_RECHECK_MS, authenticateBearer, createApiToken, recordTokenUse } from "~/access/tokens.server";

// Verified tokens are kept in each app process's memory; a revocation made by another process (here: a
// write straight to the database, which this process does not see happen) must count within 2 seconds.

const bearer = (secret: string) => `Bearer ${secret}`;

describe("verified tokens in memory", () => {
  it("a token revoked by another app process is refused here within 2 seconds", async () => {
    const token = await createApiToken({ name: "gateway", scopes: ["access:read"] }, { id: null, via: "command-line" });
    expect(await authenticateBearer(bearer(token.secret))).toMatchObject({ id: token.id });
    await getDb().update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, token.id));
    const revokedAt = Date.now();
    let refusedAfter: number | null = null;
    while (Date.now() - revokedAt < 3000) {
      if ((await authenticateBearer(bearer(token.secret))) === null) {
        refusedAfter = Date.now() - revokedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(refusedAfter).not.toBeNull();
    expect(refusedAfter!).toBeLessThan(2000);
    expect(TOKEN_RECHECK_MS).toBeLessThanOrEqual(1000);
  });

  it("other tokens keep working after a revocation elsewhere", async () => {
    const kept = await createApiToken({ name: "kept", scopes: ["access:read"] }, { id: null, via: "command-line" });
    const revoked = await createApiToken({ name: "gone", scopes: ["access:read"] }, { id: null, via: "command-line" });
    await authenticateBearer(bearer(kept.secret));
    await authenticateBearer(bearer(revoked.secret));
    await getDb().update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, revoked.id));
    await new Promise((r) => setTimeout(r, TOKEN_RECHECK_MS + 100));
    expect(await authenticateBearer(bearer(revoked.secret))).toBeNull();
    expect(await authenticateBearer(bearer(kept.secret))).toMatchObject({ id: kept.id });
  });

  it("a process that lost the race for the last use learns the value the other one wrote", async () => {
    const token = await createApiToken({ name: "race", scopes: ["access:read"] }, { id: null, via: "command-line" });
    const first = new Date("2026-12-03T00:00:00.000Z");
    expect(await recordTokenUse(token.id, null, first)).toEqual(first);
    expect(await recordTokenUse(token.id, null, new Date(first.getTime() + 5))).toEqual(first);
    const minuteLater = new Date(first.getTime() + 60_000);
    expect(await recordTokenUse(token.id, first, minuteLater)).toEqual(minuteLater);
    const [row] = await getDb().select({ v: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.v).toEqual(minuteLater);
  });
});
