import { finalizeOverdueAttempts } from "./exams.server";

/**
 * Finishes attempts whose deadline passed while nobody came back, once a minute in every app process
 * (finishing is idempotent under the attempt's row lock, so processes do not clash). Correctness does
 * not depend on it: reading or saving an overdue attempt finishes it first. It makes results and
 * certificates appear without the learner returning.
 */
const EVERY_MS = 60_000;
let timer: NodeJS.Timeout | null = null;
let running = false;

export function startExamSweep(log: (line: string) => void): void {
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const finished = await finalizeOverdueAttempts();
      if (finished > 0) log(`Finished ${finished} overdue exam attempt(s).`);
    } catch (error) {
      log(`Could not finish overdue exam attempts: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  timer ??= setInterval(() => void run(), EVERY_MS);
  timer.unref();
  void run();
}

export function stopExamSweep(): void {
  if (timer) clearInterval(timer);
  timer = null;
}
