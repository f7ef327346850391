import { and, eq, gt, lte, or, sql, type SQL } from "drizzle-orm";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { getDb, type Database } from "#db/client.server";
import { personNameColumns, type PersonNameFields } from "~/org/person-name-columns.server";
import { sessions, users, type GrantedRole } from "#db/schema";
import type { Language } from "~/i18n/languages";
import { env } from "~/env.server";

/**
 * lucia v3 is no longer developed upstream; every use of it stays in app/auth/ so it can be replaced
 * without touching routes. The adapter is ours so that one query returns the session, the user and
 * the derived "manager" role (having at least one active report), and so that a session also ends
 * SESSION_MAX_AGE_DAYS after sign-in however active it was (the absolute lifetime; lucia itself only
 * knows the sliding idle timeout). Cookies are written by session.server.ts, not by lucia.
 */
export type UserAttributes = PersonNameFields & {
  email: string;
  displayName: string;
  preferredLanguage: Language | null;
  roles: GrantedRole[];
  isManager: boolean;
  active: boolean;
};

const isManager = sql<boolean>`exists (select 1 from ${users} as reports where reports.manager_id = ${users.id} and reports.active)`;

/**
 * The expiry lucia should see: the stored (sliding) one, unless the absolute lifetime has passed, in
 * which case lucia sees an expired session and deletes it. (Reporting the earlier of the two at all
 * times would make lucia extend the session on every request of its last hours.)
 */
export function expiryForLucia(expiresAt: Date, createdAt: Date, maxAgeMs: number, now = new Date()): Date {
  const absoluteEnd = createdAt.getTime() + maxAgeMs;
  return absoluteEnd <= now.getTime() ? new Date(absoluteEnd) : expiresAt;
}

/** Sessions that are still alive at `now` (not idle for too long, not older than the absolute lifetime). */
export function liveSessions(now: Date, maxAgeMs: number) {
  return and(gt(sessions.expiresAt, now), gt(sessions.createdAt, new Date(now.getTime() - maxAgeMs)));
}

/** Sessions that have ended (the opposite of liveSessions), for purging. */
export function endedSessions(now: Date, maxAgeMs: number) {
  return or(lte(sessions.expiresAt, now), lte(sessions.createdAt, new Date(now.getTime() - maxAgeMs)));
}

/** Extra columns read in the session's own statement, by name: SQL over the session's `users` row. */
export type SessionExtras = Record<string, SQL>;

/** The session, its user and the derived manager role (plus `extras`), in one statement. */
function sessionAndUserQuery(db: Database, extras: SessionExtras = {}) {
  return db
    .select({
      ...extras,
      sessionId: sessions.id,
      userId: users.id,
      expiresAt: sessions.expiresAt,
      createdAt: sessions.createdAt,
      email: users.email,
      displayName: users.displayName,
      ...personNameColumns,
      preferredLanguage: users.preferredLanguage,
      roles: users.roles,
      active: users.active,
      isManager,
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .$dynamic();
}

const prepareSessionAndUser = (db: Database, extras: SessionExtras, name: string) =>
  sessionAndUserQuery(db, extras).where(eq(sessions.id, sql.placeholder("sessionId"))).limit(1).prepare(name);
const preparedByDb = new WeakMap<Database, Map<string, ReturnType<typeof prepareSessionAndUser>>>();

/**
 * The session statement with these extras, built and prepared once per set of extra names (a name
 * stands for one column: a rider's SQL is the same on every call). Building the statement with drizzle
 * cost about 3% of a lesson view's CPU time when it was done per request.
 */
function preparedSessionAndUser(db: Database, extras: SessionExtras) {
  const names = Object.keys(extras).sort();
  const key = names.join(",");
  let byExtras = preparedByDb.get(db);
  if (!byExtras) preparedByDb.set(db, (byExtras = new Map()));
  let prepared = byExtras.get(key);
  if (!prepared) {
    const name = ["session_and_user", ...names.map((n) => n.replace(/[^A-Za-z0-9]/g, "_"))].join("_");
    byExtras.set(key, (prepared = prepareSessionAndUser(db, extras, name)));
  }
  return prepared;
}

class ManabiAdapter implements Adapter {
  constructor(private readonly maxAgeMs: number) {}

  /** Handed over by validateSessionWith() for the one getSessionAndUser() call it starts synchronously. */
  handoff: { extras: SessionExtras; values: Record<string, unknown> } | null = null;

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const handoff = this.handoff;
    this.handoff = null;
    // Prepared once per set of extras (none: the autosave, the API, most actions), then only executed.
    const [row] = await preparedSessionAndUser(getDb(), handoff?.extras ?? {}).execute({ sessionId });
    if (!row) return [null, null];
    const { sessionId: id, userId, expiresAt, createdAt, ...all } = row as typeof row & Record<string, unknown>;
    const attributes = { ...all };
    for (const name of Object.keys(handoff?.extras ?? {})) {
      handoff!.values[name] = all[name];
      delete attributes[name];
    }
    return [
      { id, userId, expiresAt: expiryForLucia(new Date(expiresAt), new Date(createdAt), this.maxAgeMs), attributes: {} },
      { id: userId, attributes: { ...attributes, isManager: Boolean(attributes.isManager) } },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await getDb().select().from(sessions).where(eq(sessions.userId, userId));
    return rows.map((r) => ({
      id: r.id,
      userId: r.userId,
      expiresAt: expiryForLucia(new Date(r.expiresAt), new Date(r.createdAt), this.maxAgeMs),
      attributes: {},
    }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await getDb().insert(sessions).values({ id: session.id, userId: session.userId, expiresAt: session.expiresAt });
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await getDb().update(sessions).set({ expiresAt }).where(eq(sessions.id, sessionId));
  }

  async deleteSession(sessionId: string): Promise<void> {
    await getDb().delete(sessions).where(eq(sessions.id, sessionId));
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await getDb().delete(sessions).where(eq(sessions.userId, userId));
  }

  async deleteExpiredSessions(): Promise<void> {
    await getDb().delete(sessions).where(endedSessions(new Date(), this.maxAgeMs));
  }
}

function createLucia(adapter: ManabiAdapter) {
  const { sessionIdleMs } = env();
  return new Lucia(adapter, {
    // Sliding idle timeout: lucia extends the session in the database when half of it has passed.
    sessionExpiresIn: new TimeSpan(sessionIdleMs, "ms"),
    getUserAttributes: (attributes) => attributes,
  });
}

let instance: ReturnType<typeof createLucia> | null = null;
let adapter: ManabiAdapter | null = null;

/** Built on first use, from the parsed environment. */
export function lucia() {
  if (!instance) {
    adapter = new ManabiAdapter(env().sessionMaxAgeMs);
    instance = createLucia(adapter);
  }
  return instance;
}

/**
 * lucia's validateSession (idle and absolute expiry, the sliding renewal, the ended session deleted),
 * with `extras` read in the same statement as the session and the user: one round trip for a page that
 * needs, say, the learner's progress as well. The extras' values are those of the session's user, or
 * absent when there is no such session.
 */
export async function validateSessionWith(sessionId: string, extras: SessionExtras) {
  const auth = lucia();
  const values: Record<string, unknown> = {};
  // validateSession calls getSessionAndUser before its first await: the handoff reaches that call only.
  adapter!.handoff = { extras, values };
  const pending = auth.validateSession(sessionId);
  adapter!.handoff = null;
  const result = await pending;
  return { result, extras: result.user ? values : {} };
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: UserAttributes;
  }
}
