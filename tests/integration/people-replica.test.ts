import { randomUUID } from "node:crypto";
import { eq, sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, statementCount } from "#db/client.server";
import { accessChanges, certificates, users } from "#db/schema";
import { toolDecisionFor } from "~/access/decisions.server";
import { FRESH_MS, pruneAccessChanges } from "~/access/people-replica.server";
import { recordExternalCertificate, revokeCertificate } from "~/certification/certificates.server";
import { publishRelease } from "~/content/publish.server";
import { catalogTool, makeBundle, safeUseTrack } from "../helpers/content";
import { createUser } from "../helpers/factories";

/**
 * The access check's copy of people and certificates (app/access/people-replica.server.ts): used by
 * checks by email or employee number, it follows every change written to the database — by this
 * process at once, by anyone else (another app process, a script, SQL) within 2 s — and a check it
 * answers sends no statement.
 */

const safeUse = safeUseTrack;
const chat = catalogTool("chat", ["t-safe"]);
const DAY = 24 * 60 * 60 * 1000;
/** The issue's bound for a change made elsewhere; the copy's own is FRESH_MS (1.5 s). */
const ELSEWHERE_MS = 2_000;

let hr: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  await publishRelease(makeBundle({ tracks: [safeUse], tools: [chat] }), { id: null, name: "test" });
  hr = await createUser({ roles: ["hr"] });
});

const allowed = async (key: string, nextSteps = true) => {
  const result = await toolDecisionFor({ key }, "chat", { nextSteps });
  return result.kind === "decided" ? result.decision.allowed : result.kind;
};

/** Asks (without next steps, as forward-auth does) until the check sends no statement: the copy answers for this person. */
async function untilCopied(key: string) {
  await expect
    .poll(
      async () => {
        const before = statementCount();
        await allowed(key, false);
        return statementCount() - before;
      },
      { timeout: 5_000, interval: 50 },
    )
    .toBe(0);
}

/** Written by someone else (here: straight to the database): the check follows within 2 s. */
async function followsWithin(key: string, expected: boolean | string) {
  const started = Date.now();
  await expect.poll(() => allowed(key), { timeout: ELSEWHERE_MS, interval: 20 }).toBe(expected);
  return Date.now() - started;
}

describe("the access check's copy of people and certificates", () => {
  it("answers an allowed check with no statement and a refusal with one (its next steps)", async () => {
    const person = await createUser({ employeeNumber: `R${randomUUID().slice(0, 8)}` });
    await recordExternalCertificate({ userId: person.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "x", actorId: hr.id });
    const refused = await createUser({ employeeNumber: `R${randomUUID().slice(0, 8)}` });
    await untilCopied(person.employeeNumber!);
    await untilCopied(refused.employeeNumber!);

    let before = statementCount();
    expect(await allowed(person.employeeNumber!)).toBe(true);
    expect(await allowed(person.email.toUpperCase())).toBe(true);
    expect(statementCount() - before).toBe(0);

    before = statementCount();
    expect(await allowed(refused.employeeNumber!)).toBe(false);
    expect(statementCount() - before).toBe(1);
  });

  it("counts this process's own changes at once: a certificate recorded, then revoked", async () => {
    const person = await createUser({ employeeNumber: `R${randomUUID().slice(0, 8)}` });
    await untilCopied(person.employeeNumber!);
    expect(await allowed(person.employeeNumber!)).toBe(false);
    const cert = await recordExternalCertificate({ userId: person.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "x", actorId: hr.id });
    expect(await allowed(person.employeeNumber!)).toBe(true);
    await revokeCertificate({ certificateId: cert.id, reason: "誤登録のため", actorId: hr.id });
    expect(await allowed(person.employeeNumber!)).toBe(false);
  });

  it("follows changes written by anyone else within 2 s: a revocation, a deactivation, new keys, a deletion", async () => {
    const number = `R${randomUUID().slice(0, 8)}`;
    const person = await createUser({ employeeNumber: number });
    const cert = await recordExternalCertificate({ userId: person.id, track: safeUse, passedAt: new Date(Date.now() - DAY), evidence: "x", actorId: hr.id });
    await untilCopied(number);
    expect(await allowed(number)).toBe(true);
    const took: number[] = [];

    await getDb().update(certificates).set({ revokedAt: new Date(), revokedReason: "SQL" }).where(eq(certificates.id, cert.id));
    took.push(await followsWithin(number, false));
    await getDb().update(certificates).set({ revokedAt: null, revokedReason: null }).where(eq(certificates.id, cert.id));
    took.push(await followsWithin(number, true));

    await getDb().update(users).set({ active: false }).where(eq(users.id, person.id));
    took.push(await followsWithin(number, false));
    await getDb().update(users).set({ active: true }).where(eq(users.id, person.id));
    took.push(await followsWithin(number, true));

    // A new employee number and email: the old keys name nobody, the new ones the person.
    const renumbered = `R${randomUUID().slice(0, 8)}`;
    await getDb().update(users).set({ employeeNumber: renumbered, email: `Renamed.${number}@Example.com` }).where(eq(users.id, person.id));
    took.push(await followsWithin(number, "unknown-person"));
    expect(await allowed(renumbered)).toBe(true);
    expect(await allowed(`renamed.${number.toLowerCase()}@example.com`)).toBe(true);
    expect(await allowed(person.email)).toBe("unknown-person");

    await getDb().execute(sql`delete from certificates where user_id = ${person.id}`);
    await getDb().delete(users).where(eq(users.id, person.id));
    took.push(await followsWithin(renumbered, "unknown-person"));

    for (const ms of took) expect(ms).toBeLessThan(FRESH_MS + 400);
  });

  it("a certificate written straight to the database grants within 2 s", async () => {
    const person = await createUser({ employeeNumber: `R${randomUUID().slice(0, 8)}` });
    await untilCopied(person.employeeNumber!);
    expect(await allowed(person.employeeNumber!)).toBe(false);
    await getDb().execute(certificateInsert(person.id));
    await followsWithin(person.employeeNumber!, true);
  });

  it("keeps its change log for an hour: the access worker prunes older rows, once a minute", async () => {
    const old = `u-old-${randomUUID()}`;
    const recent = `u-recent-${randomUUID()}`;
    await getDb().insert(accessChanges).values([
      { userId: old, changedAt: new Date(Date.now() - 61 * 60 * 1000) },
      { userId: recent, changedAt: new Date(Date.now() - 59 * 60 * 1000) },
    ]);
    const logged = async () => (await getDb().select({ userId: accessChanges.userId }).from(accessChanges)).map((r) => r.userId);
    await pruneAccessChanges();
    expect(await logged()).not.toContain(old);
    expect(await logged()).toContain(recent);
    // Within the minute, nothing is deleted again.
    await getDb().insert(accessChanges).values({ userId: old, changedAt: new Date(Date.now() - 2 * 60 * 60 * 1000) });
    await pruneAccessChanges();
    expect(await logged()).toContain(old);
  });
});

const dialect = new PgDialect();

/** A valid certificate of t-safe for the person, as plain SQL (run by this file's client or another). */
function certificateInsert(userId: string): SQL {
  const id = `c-${randomUUID()}`;
  return sql`
    insert into certificates (id, number, user_id, track_id, source, passed_at, valid_until, verification_code, track_title, evidence)
    values (${id}, ${`MNB-R-${id.slice(2, 10)}`}, ${userId}, 't-safe', 'external', now() - interval '1 day', now() + interval '11 months',
            ${randomUUID()}, '{"en":"AI Safe Use","ja":"AI安全利用 基礎"}'::jsonb, 'SQL')`;
}

/** The same for a postgres.js client of its own: the text and its parameters. */
function onOwnClient(client: postgres.Sql | postgres.TransactionSql, query: SQL) {
  const built = dialect.sqlToQuery(query);
  return client.unsafe(built.sql, built.params as never[]);
}

// Only on the PostgreSQL server: PGlite runs one transaction at a time, so none commits out of order.
const serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  describe("the copy on the PostgreSQL server", () => {
    it("does not miss a change whose transaction commits after a later one's", async () => {
      const early = await createUser({ employeeNumber: `R${randomUUID().slice(0, 8)}` });
      const late = await createUser({ employeeNumber: `R${randomUUID().slice(0, 8)}` });
      await untilCopied(early.employeeNumber!);
      await untilCopied(late.employeeNumber!);
      const other = postgres(serverUrl, { max: 2, onnotice: () => {} });
      try {
        // The early transaction logs its change first (a lower log id) but commits last.
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let logged!: () => void;
        const inserted = new Promise<void>((r) => (logged = r));
        const early$ = other.begin(async (tx) => {
          await onOwnClient(tx, certificateInsert(early.id));
          logged();
          await held;
        });
        await inserted;
        await onOwnClient(other, certificateInsert(late.id));
        await followsWithin(late.employeeNumber!, true);
        // The copy has read past the later change; the early one is still in flight.
        expect(await allowed(early.employeeNumber!)).toBe(false);
        release();
        await early$;
        await followsWithin(early.employeeNumber!, true);
      } finally {
        await other.end({ timeout: 5 });
      }
    });
  });
}
