import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { and, eq, gt, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "#db/client.server";
import { auditLog, certificates, contentReleases, courseExemptions, examAnswers, examAttempts, examEvents } from "#db/schema";
import { examSession, saveExamAnswer, submitExam } from "~/assessment/exams.server";
import { listReleases, publishRelease } from "~/content/publish.server";
import { getCurrentRelease, invalidateReleaseCache, requireRelease } from "~/content/release.server";
import { examBundle, lesson, makeBundle } from "../helpers/content";
import { createUser } from "../helpers/factories";

/**
 * Fault injection (issue 14): an app process killed with SIGKILL mid-exam, a content publish that fails
 * half-way, outboxes across a crash, and (on the PostgreSQL server) connections cut under the app.
 * Each test breaks something for real — a killed child process holding the database, a constraint that
 * fails inside the publish's transaction, terminated backends — and checks what the product promises.
 */

const root = path.resolve(import.meta.dirname, "../..");

type Child = { process: ChildProcessWithoutNullStreams; lines: string[]; errors: () => string; closed: Promise<void> };

/**
 * Runs a helper script in a child process (as another app process). PGlite serves one process at a
 * time: this process lets go of the database first, and opens it again (lazily) after the child died.
 */
async function child(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Child> {
  await closeDatabase();
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  let errors = "";
  proc.stderr.on("data", (c) => (errors += String(c)));
  proc.stdout.on("data", (c) => {
    partial += String(c);
    const parts = partial.split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      proc.emit("line", line);
    }
  });
  const closed = new Promise<void>((resolve) => proc.once("close", () => resolve()));
  return { process: proc, lines, errors: () => errors, closed };
}

/** Waits for a line that matches; `then` runs synchronously on it (e.g. a SIGKILL right after it). */
function waitForLine(c: Child, match: (line: string) => boolean, then: (line: string) => void = () => {}, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such line from the child within ${timeoutMs} ms: ${c.lines.join("\n")}\n${c.errors()}`)), timeoutMs);
    const seen = c.lines.find(match);
    if (seen) {
      clearTimeout(timer);
      then(seen);
      resolve(seen);
      return;
    }
    const onLine = (line: string) => {
      if (!match(line)) return;
      c.process.off("line", onLine);
      clearTimeout(timer);
      then(line);
      resolve(line);
    };
    c.process.on("line", onLine);
    c.process.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the child exited (${code ?? signal}) first: ${c.lines.join("\n")}\n${c.errors()}`));
    });
  });
}

/** SIGKILL, and waits until the process is gone and its output read to the end. */
async function kill(c: Child): Promise<void> {
  if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill("SIGKILL");
  await c.closed;
}

describe("an app process killed with SIGKILL between acknowledged saves and the submit", () => {
  it("loses no acknowledged answer; the attempt resumes, and submitting (even three times at once) grades it once", async () => {
    await publishRelease(examBundle(), { id: null, name: "test" });
    invalidateReleaseCache();
    const learner = await createUser();
    await getDb().insert(courseExemptions).values({ userId: learner.id, trackId: "t1", reason: "fault test" });

    // The child saves as fast as it can; it is killed the moment its 7th save is acknowledged (the first
    // five answers were wrong, the next two right), while its next save is under way.
    const app = await child("tests/helpers/exam-saver-until-killed.ts", [learner.id, "t1"]);
    let acks = 0;
    await waitForLine(
      app,
      (line) => line.startsWith("saved ") && ++acks === 7,
      () => app.process.kill("SIGKILL"),
    );
    await kill(app);
    expect(app.process.signalCode).toBe("SIGKILL");

    const attemptId = app.lines.find((l) => l.startsWith("attempt "))!.slice("attempt ".length);
    // Every acknowledged save, in order (including any the child printed before the kill reached it).
    const acknowledged = new Map<number, string[]>();
    for (const line of app.lines.filter((l) => l.startsWith("saved "))) {
      const [, position, answer] = /^saved (\d+) (.*)$/.exec(line)!;
      acknowledged.set(Number(position), JSON.parse(answer!) as string[]);
    }
    expect(acknowledged.size).toBe(5);

    const [attempt] = await getDb().select().from(examAttempts).where(eq(examAttempts.id, attemptId));
    const release = await requireRelease();
    const keys = attempt!.items.map((item) => release.questions.get(item.questionId)!.answer);
    const stored = await getDb().select({ position: examAnswers.position, answer: examAnswers.answer }).from(examAnswers).where(eq(examAnswers.attemptId, attemptId));
    const storedAt = new Map(stored.map((r) => [r.position, r.answer]));
    for (const [position, answer] of acknowledged) {
      // The acknowledged answer, or the one after it (a save that committed just before the kill, unacknowledged).
      expect([JSON.stringify(answer), JSON.stringify(keys[position])]).toContain(JSON.stringify(storedAt.get(position)));
    }

    // After the restart (this process), the attempt is open, shows what was saved, and is finished.
    const session = await examSession(learner.id, attemptId, "ja");
    expect(session.kind).toBe("open");
    if (session.kind !== "open") return;
    expect(session.answers.map((a) => JSON.stringify(a.answer))).toEqual(attempt!.items.map((_, i) => JSON.stringify(storedAt.get(i))));
    for (const [position, key] of keys.entries()) {
      if (JSON.stringify(storedAt.get(position)) !== JSON.stringify(key)) {
        expect(await saveExamAnswer({ userId: learner.id, attemptId, position, answer: key })).toMatchObject({ kind: "saved" });
      }
    }
    const submits = await Promise.all([1, 2, 3].map(() => submitExam({ userId: learner.id, attemptId })));
    expect(submits.filter((s) => s.kind === "finished" && !s.already)).toHaveLength(1);
    expect(submits.every((s) => s.kind === "finished" && s.passed)).toBe(true);
    const [graded] = await getDb().select().from(examAttempts).where(eq(examAttempts.id, attemptId));
    expect(graded!.result).toMatchObject({ correct: 5, total: 5 });
    expect(await getDb().select().from(examEvents).where(and(eq(examEvents.attemptId, attemptId), eq(examEvents.kind, "submit")))).toHaveLength(1);
    expect(await getDb().select().from(certificates).where(eq(certificates.userId, learner.id))).toHaveLength(1);
  }, 120_000);
});

describe("a content publish that fails half-way", () => {
  it("leaves the previous release live, with no part of the new one written", async () => {
    await publishRelease(makeBundle(), { id: null, name: "test" });
    invalidateReleaseCache();
    const live = (await getCurrentRelease())!;
    const auditBefore = await getDb().select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, "content.publish"));

    // A constraint that refuses the publish's last write (its audit entry), after the release row is in:
    // the failure comes from the database, inside the transaction, half-way through.
    await getDb().execute(sql.raw(`alter table audit_log add constraint fault_refuse_publish check (details->>'publisher' <> 'Half-way') not valid`));
    try {
      const next = makeBundle({ lessons: [lesson("l1", "c1", 0, ["q1"], "changed"), lesson("l2", "c1", 1)] });
      const steps: string[] = [];
      const failure = await publishRelease(next, { id: null, name: "Half-way" }, { onStep: (s) => steps.push(s) }).then(
        () => null,
        (error: Error) => error,
      );
      expect(String((failure?.cause as Error | undefined)?.message ?? failure)).toMatch(/fault_refuse_publish/);
      expect(steps).toEqual(["locking", "comparing", "writing"]);
    } finally {
      await getDb().execute(sql.raw(`alter table audit_log drop constraint fault_refuse_publish`));
    }

    expect((await getCurrentRelease())?.number).toBe(live.number);
    invalidateReleaseCache();
    expect((await getCurrentRelease())?.number).toBe(live.number);
    expect((await listReleases(1))[0]?.number).toBe(live.number);
    expect(await getDb().select({ n: contentReleases.number }).from(contentReleases).where(gt(contentReleases.number, live.number))).toEqual([]);
    expect(await getDb().select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, "content.publish"))).toEqual(auditBefore);

    // And the same content publishes fine afterwards, as the next number: nothing was half-taken.
    const again = await publishRelease(makeBundle({ lessons: [lesson("l1", "c1", 0, ["q1"], "changed"), lesson("l2", "c1", 1)] }), { id: null, name: "test" });
    expect(again).toMatchObject({ published: true, number: live.number + 1 });
  });
});
