// For the SIGKILL test: saves every answer of an attempt, printing "ACK <n>" after each acknowledged
// save, then waits to be killed (as an app process would be, between a save and the submit).
import { saveExamAnswer } from "~/assessment/exams.server";

const [userId, attemptId, keysJson] = process.argv.slice(2);
const keys = JSON.parse(keysJson!) as string[][];
for (const [position, answer] of keys.entries()) {
  const result = await saveExamAnswer({ userId: userId!, attemptId: attemptId!, position, answer });
  if (result.kind !== "saved") {
    console.error(`save ${position} refused: ${result.kind}`);
    process.exit(1);
  }
  console.log(`ACK ${position + 1}`);
}
setInterval(() => {}, 1000);
