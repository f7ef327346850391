import { processEntitlementChanges } from "./entitlements.server";
import { pruneAccessChanges } from "./people-replica.server";
import { deliverWebhooks } from "./webhooks.server";

/**
 * Every few seconds in every app process: record entitlement changes (marked people, a new release,
 * expiries), send due webhook deliveries, and (once a minute) prune the access check's change log.
 * Safe to run in several processes at once (row locks and SKIP LOCKED leases); correctness does not depend on it — the feed records pending changes itself
 * before answering — it keeps webhooks close to real time.
 */
const EVERY_MS = 5_000;
let timer: NodeJS.Timeout | null = null;
let running: Promise<void> | null = null;

export function startAccessWorker(log: (line: string) => void): void {
  const run = () => {
    running ??= (async () => {
      try {
        const changes = await processEntitlementChanges({ maxBatches: 50 });
        if (changes.events > 0) log(`Recorded ${changes.events} entitlement change(s) for ${changes.people} person(s).`);
        const sent = await deliverWebhooks();
        if (sent.failed > 0) log(`Webhooks: ${sent.delivered} event(s) delivered, ${sent.failed} to retry.`);
        await pruneAccessChanges();
      } catch (error) {
        log(`Access worker: ${error instanceof Error ? error.message : String(error)}`);
      }
    })().finally(() => {
      running = null;
    });
  };
  timer ??= setInterval(run, EVERY_MS);
  timer.unref();
  run();
}

/** Stops the timer and waits for a round in progress (so the database is not closed under it). */
export async function stopAccessWorker(): Promise<void> {
  if (timer) clearInterval(timer);
  timer = null;
  await running;
}
