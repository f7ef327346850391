import { lt, sql } from "drizzle-orm";
import { getDb, openDb, preparedSql, rowsOf, type Database } from "#db/client.server";
import { accessChanges } from "#db/schema";
import { env } from "~/env.server";
import type { CertificateInput } from "./decision";

/**
 * The access check's in-memory copy of what it reads per person — email, employee number, status and
 * every certificate — so that a gateway's check by email or employee number needs no database round
 * trip (an allowed check none at all; a refusal one, for the next steps).
 *
 * Freshness: triggers on `users` and `certificates` log each changed person in `access_changes`, in the
 * changing transaction (migration 0012). Each process reads the log every POLL_MS and loads the changed
 * people again. A check uses the copy only while its last completed read of the log *started* less than
 * FRESH_MS ago, so a change committed at t is seen by every process's checks from t + FRESH_MS at the
 * latest (the issue asks for 2 s); otherwise (database slow or down, copy still loading) the check reads
 * the database as before. In the process that made a change (`noteLocalChanges`, called where
 * certificates are awarded, recorded or revoked and people activated or deactivated) the changed people
 * are read from the database until the copy has loaded them again, so there the change counts at once.
 * Expiry needs nothing: the rule compares `validUntil` with the moment asked.
 *
 * Which changes a read has seen: each log row carries its transaction id. A read takes, in the same
 * statement, the rows with `txid >= cursor` and its snapshot's xmin (every transaction below it has
 * ended); the next read starts from that xmin. A transaction still in flight during one read has an id
 * at or above that read's xmin, so the next read finds its rows once it commits — log ids alone would
 * miss a row whose transaction commits after one with a higher id. Rows read twice are skipped by id.
 *
 * Loaded lazily: the first check by key starts loading the copy in the background (two statements; about
 * 43 MB of heap for 50,000 people with 50,000 certificates) and the checks read the database meanwhile.
 * ACCESS_REPLICA=off turns the copy off (every check reads the database).
 */

export const POLL_MS = 500;
export const FRESH_MS = 1_500;
/** Log rows are kept this long (the access worker prunes them); a process that has not read the log for half of it loads everything again. */
const KEEP_MS = 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 1000;
let lastPrunedAt = 0;
/** A local change whose transaction never committed (rolled back) stops counting after this long. */
const LOCAL_CHANGE_MS = 10 * 60 * 1000;

export type ReplicaPerson = {
  id: string;
  email: string;
  employeeNumber: string | null;
  active: boolean;
  certificatesByTrack: Map<string, CertificateInput[]>;
};

type PersonRow = { id: string; email: string; employeeNumber: string | null; active: boolean };
type CertificateRow = { id: string; number: string; userId: string; trackId: string; validUntil: string | Date; revokedAt: string | Date | null };

const emailKey = (email: string) => `e:${email.toLowerCase()}`;
const numberKey = (number: string) => `n:${number}`;

class PeopleReplica {
  private people = new Map<string, ReplicaPerson>();
  private byKey = new Map<string, string>();
  /** Log rows read while their transaction id is at or above the cursor: read again by the next poll, skipped. */
  private seen = new Map<number, number>();
  private cursor = 0;
  private loaded = false;
  private lastPollStartedAt = 0;
  private polling: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** People changed by this process: person id → when (ms); read from the database until reloaded after that. */
  private localChanges = new Map<string, number>();
  private failures = 0;

  constructor(private readonly db: Database) {}

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), POLL_MS);
    this.timer.unref();
    void this.tick();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): Promise<void> {
    // The handle this copy reads from was closed or replaced (tests open one per file): stop.
    if (openDb() !== this.db) {
      this.stop();
      return Promise.resolve();
    }
    this.polling ??= this.refresh()
      .then(() => {
        this.failures = 0;
      })
      .catch((error: unknown) => {
        // The checks fall back to the database (which is probably what failed); say so once per outage,
        // and not at all when the database was closed under the read (shutting down).
        if (openDb() !== this.db) return this.stop();
        if (this.failures++ === 0) console.error("access: the people copy could not be refreshed; checks read the database", error);
      })
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private async refresh() {
    const startedAt = Date.now();
    if (!this.loaded || startedAt - this.lastPollStartedAt > KEEP_MS / 2) {
      await this.loadAll();
    } else {
      await this.readChanges();
    }
    this.lastPollStartedAt = startedAt;
    for (const [id, at] of this.localChanges) if (startedAt - at > LOCAL_CHANGE_MS) this.localChanges.delete(id);
  }

  /** The people with these ids (everyone when null) and all their certificates, in two statements. */
  private async read(ids: string[] | null): Promise<[PersonRow[], CertificateRow[]]> {
    const list = ids && sql.join(ids.map((id) => sql`${id}`), sql`, `);
    const people = await this.db.execute<PersonRow>(
      sql`select id, email, employee_number as "employeeNumber", active from users ${list ? sql`where id in (${list})` : sql``}`,
    );
    const certificates = await this.db.execute<CertificateRow>(
      sql`select id, number, user_id as "userId", track_id as "trackId", valid_until as "validUntil", revoked_at as "revokedAt"
          from certificates ${list ? sql`where user_id in (${list})` : sql``}`,
    );
    return [rowsOf<PersonRow>(people), rowsOf<CertificateRow>(certificates)];
  }

  /** Everyone, after noting the snapshot's xmin: a change in flight now is read again by the next poll. */
  private async loadAll() {
    const cursor = await this.snapshotXmin();
    const [people, certificates] = await this.read(null);
    this.people = new Map();
    this.byKey = new Map();
    this.seen = new Map();
    this.put(people, certificates);
    this.cursor = cursor;
    this.loaded = true;
  }

  private async snapshotXmin(): Promise<number> {
    const rows = rowsOf<{ xmin: string }>(await this.db.execute<{ xmin: string }>(sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`));
    return Number(rows[0]!.xmin);
  }

  private async readChanges() {
    const startedAt = Date.now();
    type ChangesRow = { xmin: string; changes: { id: number; userId: string; txid: number }[] | string };
    const poll = preparedSql(
      this.db,
      "access_changes_since",
      () => sql`
        select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
               (select coalesce(json_agg(json_build_object('id', c.id, 'userId', c.user_id, 'txid', c.txid) order by c.id), '[]'::json)
                  from access_changes c where c.txid >= ${sql.placeholder("cursor")}::bigint) as changes`,
    );
    const [row] = rowsOf<ChangesRow>(await poll.execute({ cursor: this.cursor }));
    const changes = typeof row!.changes === "string" ? (JSON.parse(row!.changes) as { id: number; userId: string; txid: number }[]) : row!.changes;
    const xmin = Number(row!.xmin);
    const changed = new Set<string>();
    for (const change of changes) {
      if (this.seen.has(change.id)) continue;
      this.seen.set(change.id, change.txid);
      changed.add(change.userId);
    }
    if (changed.size > 0) await this.reload([...changed]);
    for (const [id, txid] of this.seen) if (txid < xmin) this.seen.delete(id);
    this.cursor = xmin;
    this.forgetLocalChanges(changed, startedAt);
  }

  private async reload(ids: string[]) {
    for (let i = 0; i < ids.length; i += 5_000) {
      const batch = ids.slice(i, i + 5_000);
      const [people, certificates] = await this.read(batch);
      for (const id of batch) this.remove(id);
      this.put(people, certificates);
    }
  }

  /**
   * A local change is covered once a poll that started after it has loaded the person again because the
   * log named them (the log row is written in the changing transaction, so it shows once that commits).
   */
  private forgetLocalChanges(reloaded: Set<string>, pollStartedAt: number) {
    for (const id of reloaded) {
      const at = this.localChanges.get(id);
      if (at !== undefined && at <= pollStartedAt) this.localChanges.delete(id);
    }
  }

  private remove(id: string) {
    const person = this.people.get(id);
    if (!person) return;
    this.people.delete(id);
    if (this.byKey.get(emailKey(person.email)) === id) this.byKey.delete(emailKey(person.email));
    if (person.employeeNumber !== null && this.byKey.get(numberKey(person.employeeNumber)) === id) this.byKey.delete(numberKey(person.employeeNumber));
  }

  private put(people: PersonRow[], certificates: CertificateRow[]) {
    for (const p of people) {
      const person: ReplicaPerson = { id: p.id, email: p.email, employeeNumber: p.employeeNumber, active: p.active, certificatesByTrack: new Map() };
      this.people.set(p.id, person);
      this.byKey.set(emailKey(p.email), p.id);
      if (p.employeeNumber !== null) this.byKey.set(numberKey(p.employeeNumber), p.id);
    }
    for (const c of certificates) {
      const person = this.people.get(c.userId);
      if (!person) continue;
      const list = person.certificatesByTrack.get(c.trackId) ?? [];
      list.push({ id: c.id, number: c.number, validUntil: new Date(c.validUntil), revokedAt: c.revokedAt === null ? null : new Date(c.revokedAt) });
      person.certificatesByTrack.set(c.trackId, list);
    }
  }

  noteLocalChanges(userIds: readonly string[]) {
    const now = Date.now();
    for (const id of userIds) this.localChanges.set(id, now);
  }

  /**
   * The person with this email (any case) or employee number, or undefined when the copy cannot answer
   * for them: loading, not read recently enough, changed here and not yet reloaded, or not in the copy —
   * a person added a moment ago is looked up in the database rather than called unknown.
   */
  find(key: string): ReplicaPerson | undefined {
    if (!this.loaded || Date.now() - this.lastPollStartedAt >= FRESH_MS) return undefined;
    const id = this.byKey.get(key.includes("@") ? emailKey(key) : numberKey(key));
    if (id === undefined || this.localChanges.has(id)) return undefined;
    return this.people.get(id);
  }
}

const replicas = new WeakMap<Database, PeopleReplica>();

function enabled() {
  return env().ACCESS_REPLICA === "on";
}

/**
 * The person with this email or employee number from the copy (see above), or undefined when the caller
 * must read the database. Starts the copy on first use.
 */
export function replicaPerson(key: string): ReplicaPerson | undefined {
  if (!enabled()) return undefined;
  const db = getDb();
  let replica = replicas.get(db);
  if (!replica) {
    replicas.set(db, (replica = new PeopleReplica(db)));
    replica.start();
  }
  return replica.find(key);
}

/**
 * Called in the transaction that changes these people's status or certificates: this process reads
 * them from the database until its copy has loaded them again (the triggers log the change for every
 * process). Harmless when the transaction rolls back.
 */
export function noteLocalAccessChanges(userIds: readonly string[]): void {
  if (!enabled()) return;
  const db = openDb();
  if (db) replicas.get(db)?.noteLocalChanges(userIds);
}

/**
 * Deletes log rows older than KEEP_MS, at most once a minute per process: called by the access worker,
 * which runs in every app process whether or not anyone asks the API (the log grows with every change).
 */
export async function pruneAccessChanges(now = Date.now()): Promise<void> {
  if (now - lastPrunedAt < PRUNE_EVERY_MS) return;
  lastPrunedAt = now;
  await getDb()
    .delete(accessChanges)
    .where(lt(accessChanges.changedAt, new Date(now - KEEP_MS)));
}
