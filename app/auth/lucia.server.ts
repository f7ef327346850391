import { and, eq, lte, sql } from "drizzle-orm";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { getDb } from "#db/client.server";
import { sessions, users, type GrantedRole, type Locale } from "#db/schema";

/**
 * lucia v3 is no longer developed upstream; every use of it stays in app/auth/ so it can be replaced
 * without touching routes. The adapter is ours so that one query returns the session, the user and
 * the derived "manager" role (having at least one active report).
 */
export type UserAttributes = {
  email: string;
  displayName: string;
  familyName: string;
  givenName: string;
  preferredLanguage: Locale | null;
  roles: GrantedRole[];
  isManager: boolean;
  active: boolean;
};

const isManager = sql<boolean>`exists (select 1 from ${users} as reports where reports.manager_id = ${users.id} and reports.active)`;

class ManabiAdapter implements Adapter {
  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await getDb()
      .select({
        sessionId: sessions.id,
        userId: users.id,
        expiresAt: sessions.expiresAt,
        email: users.email,
        displayName: users.displayName,
        familyName: users.familyName,
        givenName: users.givenName,
        preferredLanguage: users.preferredLanguage,
        roles: users.roles,
        active: users.active,
        isManager,
      })
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .where(eq(sessions.id, sessionId))
      .limit(1);
    if (!row) return [null, null];
    const { sessionId: id, userId, expiresAt, ...attributes } = row;
    return [
      { id, userId, expiresAt: new Date(expiresAt), attributes: {} },
      { id: userId, attributes: { ...attributes, isManager: Boolean(attributes.isManager) } },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await getDb().select().from(sessions).where(eq(sessions.userId, userId));
    return rows.map((r) => ({ id: r.id, userId: r.userId, expiresAt: new Date(r.expiresAt), attributes: {} }));
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
    await getDb().delete(sessions).where(and(lte(sessions.expiresAt, new Date())));
  }
}

export const SESSION_COOKIE = "manabi_session";

export const lucia = new Lucia(new ManabiAdapter(), {
  // Sliding idle timeout: a session unused for 12 hours ends; lucia extends it in the database when
  // half of that has passed. The cookie itself lives until the browser closes.
  sessionExpiresIn: new TimeSpan(12, "h"),
  sessionCookie: {
    name: SESSION_COOKIE,
    expires: false,
    attributes: { secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1", sameSite: "lax" },
  },
  getUserAttributes: (attributes) => attributes,
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseUserAttributes: UserAttributes;
  }
}
