import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq, gt, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "#db/client.server";
import { auditLog, certificates, contentReleases, courseExemptions, examAnswers, examAttempts, examEvents, mailOutbox, webhookDeliveries } from "#db/schema";
import { processEntitlementChanges } from "~/access/entitlements.server";
import { createWebhook, deliverWebhooks, type WebhookBody } from "~/access/webhooks.server";
import { examSession, saveExamAnswer, submitExam } from "~/assessment/exams.server";
import { listReleases, publishRelease } from "~/content/publish.server";
import { getCurrentRelease, invalidateReleaseCache, requireRelease } from "~/content/release.server";
import { recordExternalCertificate } from "~/certification/certificates.server";
import { deliverMail, enqueueMail, LEASE_SECONDS } from "~/mail/outbox.server";
import { emlPath, fileTransport } from "~/mail/transport.server";
import { catalogTool, examBundle, lesson, makeBundle, safeUseTrack } from "../helpers/content";
import { createUser } from "../helpers/factories";
import { ACCEPT_HTML, Visitor } from "../helpers/http-visitor";

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
async function child(script: string, args: string[]): Promise<Child> {
  await closeDatabase();
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, env: process.env, stdio: ["pipe", "pipe", "pipe"] });
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

describe("outboxes across a crash", () => {
  const inSeconds = (seconds: number) => () => new Date(Date.now() + seconds * 1000);

  it("mail: a worker killed between sending and marking leaves each message to be sent again once its lease ends — one file per message, never a third send", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-fault-mail-"));
    try {
      const person = await createUser();
      const ids: number[] = [];
      for (const n of [1, 2]) {
        const mail = { userId: person.id, to: person.email, kind: "invitation", language: "ja", dedupeKey: `fault:${person.id}:${n}`, subject: `件名 ${n}`, text: "本文", html: "<p>本文</p>" } as const;
        ids.push((await enqueueMail(getDb(), mail))!);
      }
      const messageIds = (await getDb().select({ id: mailOutbox.id, messageId: mailOutbox.messageId }).from(mailOutbox)).filter((r) => ids.includes(r.id)).map((r) => r.messageId);

      // The worker claims both, sends the first (its file is written) and is killed before marking it.
      const worker = await child("tests/helpers/outbox-sender-until-killed.ts", ["mail", dir]);
      await waitForLine(worker, (line) => line.startsWith("sent "), () => worker.process.kill("SIGKILL"));
      await kill(worker);
      expect(fs.readdirSync(dir)).toHaveLength(1);

      const transport = fileTransport(dir, "Manabi <manabi@example.com>");
      // While the dead worker's lease lasts, nobody sends them.
      expect(await deliverMail({ transport, now: inSeconds(LEASE_SECONDS / 2) })).toMatchObject({ sent: 0 });
      // After the restart, once the lease has run out: both are sent and marked.
      expect(await deliverMail({ transport, now: inSeconds(LEASE_SECONDS + 1) })).toMatchObject({ sent: 2 });
      expect(fs.readdirSync(dir).sort()).toEqual(messageIds.map((m) => path.basename(emlPath(dir, m))).sort());
      const rows = (await getDb().select().from(mailOutbox)).filter((r) => ids.includes(r.id));
      expect(rows.map((r) => r.status)).toEqual(["sent", "sent"]);
      // And never again.
      expect(await deliverMail({ transport, now: inSeconds(3600) })).toMatchObject({ sent: 0 });
      expect(fs.readdirSync(dir)).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("webhooks: a sender killed between the receiver's 2xx and marking sends the same events once more after its lease, and never again; by cursor each event arrives once", async () => {
    const posts: WebhookBody[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as WebhookBody);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      await publishRelease(makeBundle({ tracks: [safeUseTrack], tools: [catalogTool("chat", ["t-safe"])] }), { id: null, name: "test" });
      invalidateReleaseCache();
      await processEntitlementChanges();
      const hook = await createWebhook({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, description: "gateway", actorId: null });
      if (hook.kind !== "created") throw new Error(hook.kind);
      const hr = await createUser({ roles: ["hr"] });
      const learners = await Promise.all([createUser(), createUser()]);
      for (const l of learners) await recordExternalCertificate({ userId: l.id, track: safeUseTrack, passedAt: new Date(Date.now() - 86_400_000), evidence: "G検定", actorId: hr.id });
      await processEntitlementChanges();
      const pending = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
      expect(pending.length).toBeGreaterThanOrEqual(2);

      const sender = await child("tests/helpers/outbox-sender-until-killed.ts", ["webhooks"]);
      await waitForLine(sender, (line) => line.startsWith("sent "), () => sender.process.kill("SIGKILL"));
      await kill(sender);
      expect(sender.lines.filter((l) => l.startsWith("sent "))).toEqual(["sent 204"]);
      expect(posts).toHaveLength(1);

      expect(await deliverWebhooks({ now: inSeconds(30) })).toMatchObject({ posts: 0 });
      expect(await deliverWebhooks({ now: inSeconds(61) })).toMatchObject({ posts: 1, delivered: pending.length });
      expect(await deliverWebhooks({ now: inSeconds(3600) })).toMatchObject({ posts: 0 });
      // The README's promise: sent once more only because of the crash, the same events with the same cursors.
      expect(posts).toHaveLength(2);
      const cursors = posts.map((p) => p.events.map((e) => e.cursor));
      expect(cursors[1]).toEqual(cursors[0]);
      const seen = new Map(posts.flatMap((p) => p.events).map((e) => [e.cursor, e]));
      expect(seen.size).toBe(pending.length);
      for (const l of learners) expect([...seen.values()].filter((e) => e.user.id === l.id).map((e) => `${e.kind}:${e.tool}`)).toEqual(["granted:chat"]);
      const after = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
      expect(after.every((d) => d.state === "delivered")).toBe(true);
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  }, 120_000);
});

// Only on the PostgreSQL server: PGlite lives inside the app process, with no connections to cut.
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  describe("PostgreSQL connections cut under the running app (pg_terminate_backend)", () => {
    const PASSWORD = "a fault injection passphrase";
    let base = "";
    let email = "";
    const database = decodeURIComponent(new URL(serverUrl).pathname.slice(1));
    const logged: string[] = [];
    const originalError = console.error;

    function freePort(): Promise<number> {
      return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.listen(0, "127.0.0.1", () => {
          const { port } = srv.address() as net.AddressInfo;
          srv.close(() => resolve(port));
        });
        srv.on("error", reject);
      });
    }

    beforeAll(async () => {
      // The real production server (server.mjs and the build) in this process, on this file's database,
      // sharing its database client: built first if the sources changed (the browser tests use the same build).
      // (Once more if it fails: another build may have been writing build/ at the same moment.)
      let built = spawnSync(process.execPath, ["scripts/build-if-needed.mjs"], { cwd: root, encoding: "utf8" });
      if (built.status !== 0) built = spawnSync(process.execPath, ["scripts/build-if-needed.mjs"], { cwd: root, encoding: "utf8" });
      if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}\n${built.stderr}`);
      email = (await createUser({ password: PASSWORD })).email;
      const port = await freePort();
      Object.assign(process.env, {
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        SESSION_SECRET: randomBytes(36).toString("base64url"),
        MANABI_DEMO: "0",
        CONTENT_DIR: path.resolve(root, "tests/fixtures/content/valid"),
      });
      delete process.env.MANABI_SEED_DEMO;
      // What the server logs (each failure with its request id) is kept for the test, not printed.
      console.error = (...values: unknown[]) => void logged.push(values.map((v) => (v instanceof Error ? `${v.name}: ${v.message}${v.cause instanceof Error ? ` (cause: ${v.cause.message})` : ""}` : String(v))).join(" "));
      await import("../../server.mjs");
      base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 90_000;
      while ((await fetch(`${base}/readyz`).catch(() => null))?.status !== 200) {
        if (Date.now() > deadline) throw new Error("The server did not become ready");
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 600_000);
    afterAll(() => {
      console.error = originalError;
    });

    it("answers a clear error page in the reader's language while the database is unreachable, and serves pages again once it is back", async () => {
      const visitor = new Visitor(base, "en");
      expect((await visitor.signIn(email, PASSWORD)).status).toBe(302);
      const home = () => visitor.fetch("/", { headers: { Accept: ACCEPT_HTML } });
      expect((await home()).status).toBe(200);

      // A connection of its own, to the maintenance database (a database cannot shut itself off).
      const adminUrl = new URL(serverUrl);
      adminUrl.pathname = "/postgres";
      const admin = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
      try {
        // The outage: every connection of the app cut, and no new ones accepted.
        await admin.unsafe(`alter database "${database}" allow_connections false`);
        const cut = await admin`select pg_terminate_backend(pid) as done from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
        expect(cut.length).toBeGreaterThan(0);

        for (const page of ["/", "/learn", "/tools"]) {
          const res = await visitor.fetch(page, { headers: { Accept: ACCEPT_HTML } });
          const html = await res.text();
          expect([500, 503], `${page} answered ${res.status}`).toContain(res.status);
          expect(res.headers.get("content-type")).toMatch(/text\/html/);
          expect(html).toContain('data-testid="error-page"');
          expect(html).toContain("Something went wrong on our side");
          expect(html).toMatch(/<html lang="en"/);
          for (const leak of ["57P01", "55000", "not currently accepting connections", "terminating connection", "postgres", "    at "]) expect(html).not.toContain(leak);
          // The reference shown is the one the log line carries, with the cause.
          const id = res.headers.get("x-request-id")!;
          expect(html).toContain(`Reference: ${id}`);
          expect(logged.some((line) => line.startsWith(`[${id}] GET ${page}`))).toBe(true);
        }
        expect((await fetch(`${base}/healthz`)).status).toBe(503);

        // The database is back: the app reconnects by itself, the session still holds.
        await admin.unsafe(`alter database "${database}" allow_connections true`);
        await expect
          .poll(async () => (await home()).status, { timeout: 15_000, interval: 250 })
          .toBe(200)
          .catch((error: Error) => {
            throw new Error(`${error.message}\nThe app did not recover; its log ends:\n${logged.slice(-5).join("\n")}`);
          });
        expect((await fetch(`${base}/healthz`)).status).toBe(200);

        // Connections cut once more, with new ones allowed (a failover, a restart of PostgreSQL's backends):
        // at most the requests under way fail; the next ones are served.
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) statuses.push((await home()).status);
        expect(statuses.slice(-3)).toEqual([200, 200, 200]);
      } finally {
        await admin.unsafe(`alter database "${database}" allow_connections true`).catch(() => {});
        await admin.end();
      }
    }, 120_000);
  });
}
