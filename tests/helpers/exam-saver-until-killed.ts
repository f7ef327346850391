// For the fault-injection test: an app process in the middle of an exam. Starts (or resumes) the
// learner's attempt at track argv[3], then saves answers through the real save path without pause —
// every question answered wrong first, then right, then the right answers again and again — printing
// "saved <position> <answer as JSON>" after each acknowledged save, until it is killed.
import { startExam, saveExamAnswer } from "~/assessment/exams.server";
import { requireRelease } from "~/content/release.server";
import { getDb } from "#db/client.server";
import { examAttempts } from "#db/schema";
import { eq } from "drizzle-orm";

const [userId, trackId] = process.argv.slice(2) as [string, string];
const started = await startExam({ userId, trackId, lang: "ja" });
if (started.kind !== "started" && started.kind !== "resumed") {
  console.error(`could not start: ${JSON.stringify(started)}`);
  process.exit(1);
}
const { attemptId } = started;
const [attempt] = await getDb().select({ items: examAttempts.items }).from(examAttempts).where(eq(examAttempts.id, attemptId));
const release = await requireRelease();
const keys = attempt!.items.map((item) => release.questions.get(item.questionId)!.answer);
console.log(`attempt ${attemptId}`);

/** A wrong answer to a question with this key: the other truth value, or another option. */
function wrongAnswer(key: readonly string[]): string[] {
  if (key[0] === "true" || key[0] === "false") return [key[0] === "true" ? "false" : "true"];
  const prefix = key[0]!.slice(0, key[0]!.lastIndexOf("-") + 1);
  return [["a", "b", "c", "d"].map((o) => `${prefix}${o}`).find((o) => !key.includes(o))!];
}

for (let round = 0; ; round++) {
  for (const [position, key] of keys.entries()) {
    const answer = round === 0 ? wrongAnswer(key) : [...key];
    const result = await saveExamAnswer({ userId, attemptId, position, answer });
    if (result.kind !== "saved") {
      console.error(`save ${position} refused: ${result.kind}`);
      process.exit(1);
    }
    // Only now is the save acknowledged (as the answer endpoint answers the browser after the commit).
    process.stdout.write(`saved ${position} ${JSON.stringify(answer)}\n`);
  }
}
