import { purgeEndedSessions } from "./session.server";
import { purgeOldFailures } from "./sign-in.server";

/**
 * Deletes ended sessions and sign-in failures too old to count, at start-up and then every hour
 * (each app process does it; the deletes are cheap and idempotent, so several processes do not clash).
 */
const EVERY_MS = 60 * 60_000;
let timer: NodeJS.Timeout | null = null;

export async function purgeAuthData(now = new Date()): Promise<{ sessions: number; failures: number }> {
  const [sessions, failures] = [await purgeEndedSessions(now), await purgeOldFailures(now)];
  return { sessions, failures };
}

export async function startAuthHousekeeping(log: (line: string) => void): Promise<void> {
  const run = () =>
    purgeAuthData().catch((error: unknown) => log(`Could not purge ended sessions: ${error instanceof Error ? error.message : String(error)}`));
  await run();
  timer ??= setInterval(() => void run(), EVERY_MS);
  timer.unref();
}

export function stopAuthHousekeeping(): void {
  if (timer) clearInterval(timer);
  timer = null;
}
