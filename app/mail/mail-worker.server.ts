import { assignmentsForReminders } from "~/assignments/assignments.server";
import { deliverMail } from "./outbox.server";
import { scheduleReminders } from "./reminders.server";
import type { AssignmentForReminder } from "./reminder-rules";

/**
 * The mail worker, in every app process: every few seconds it sends due mail from the outbox; every
 * SCHEDULE_EVERY_MS it first enqueues the reminders that are due. Safe in several processes at once:
 * senders lease rows with SKIP LOCKED, the scheduler's dedupe keys make a second run a no-op.
 */
const SEND_EVERY_MS = 5_000;
const SCHEDULE_EVERY_MS = 10 * 60_000;
let timer: NodeJS.Timeout | null = null;
let running: Promise<void> | null = null;
let lastScheduled = 0;

export type MailWorkerOptions = { assignments?: () => Promise<AssignmentForReminder[]> };

export function startMailWorker(log: (line: string) => void, options: MailWorkerOptions = {}): void {
  const run = () => {
    running ??= (async () => {
      try {
        if (Date.now() - lastScheduled >= SCHEDULE_EVERY_MS) {
          lastScheduled = Date.now();
          const made = await scheduleReminders({ assignments: options.assignments ?? (() => assignmentsForReminders()) });
          const total = made.certificates + made.assignments;
          if (total > 0) log(`Mail: enqueued ${total} reminder(s).`);
        }
        const sent = await deliverMail();
        if (sent.retry + sent.failed > 0) log(`Mail: ${sent.sent} sent, ${sent.retry} to retry, ${sent.failed} given up.`);
      } catch (error) {
        log(`Mail worker: ${error instanceof Error ? error.message : String(error)}`);
      }
    })().finally(() => {
      running = null;
    });
  };
  timer ??= setInterval(run, SEND_EVERY_MS);
  timer.unref();
  run();
}

/** Stops the timer and waits for a round in progress (so the database is not closed under it). */
export async function stopMailWorker(): Promise<void> {
  if (timer) clearInterval(timer);
  timer = null;
  await running;
}
