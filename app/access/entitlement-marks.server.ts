import type { Transaction } from "#db/client.server";
import { entitlementChecks } from "#db/schema";
import { noteLocalAccessChanges } from "./people-replica.server";

/**
 * Marks people whose entitlements to AI tools must be decided again, in the transaction that changes
 * them (a certificate awarded, recorded or revoked; a person activated or deactivated). The access
 * worker and the event feed pick the marks up (entitlements.server.ts), so the change reaches the feed
 * and the webhooks even if the process stops right after the commit.
 */
export async function markEntitlementsStale(tx: Transaction, userIds: readonly string[]): Promise<void> {
  const ids = [...new Set(userIds)];
  // This process's access checks read these people from the database until its copy has them again.
  noteLocalAccessChanges(ids);
  for (let i = 0; i < ids.length; i += 1000) {
    await tx
      .insert(entitlementChecks)
      .values(ids.slice(i, i + 1000).map((userId) => ({ userId })))
      .onConflictDoNothing();
  }
}
