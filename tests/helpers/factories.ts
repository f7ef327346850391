import { randomUUID } from "node:crypto";
import { getDb } from "#db/client.server";
import { departments, users, type GrantedRole } from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { csrfCookie } from "~/auth/csrf.server";
import { createSessionCookie } from "~/auth/session.server";

export const TEST_PASSWORD = "correct horse battery";

let hashed: Promise<string> | null = null;
const passwordHash = () => (hashed ??= hashPassword(TEST_PASSWORD));

export async function createDepartment(overrides: Partial<typeof departments.$inferInsert> = {}) {
  const id = overrides.id ?? `dept-${randomUUID().slice(0, 8)}`;
  const [row] = await getDb()
    .insert(departments)
    .values({ id, code: id.toUpperCase(), nameJa: "テスト部", nameEn: "Test", ...overrides })
    .returning();
  return row!;
}

export async function createUser(
  overrides: Partial<Omit<typeof users.$inferInsert, "roles">> & { roles?: GrantedRole[]; password?: string } = {},
) {
  const id = overrides.id ?? `u-${randomUUID()}`;
  const { password, ...rest } = overrides;
  const [row] = await getDb()
    .insert(users)
    .values({
      id,
      email: `${id}@test.example.com`,
      displayName: "試験 太郎",
      familyName: "試験",
      givenName: "太郎",
      familyNameKana: "しけん",
      givenNameKana: "たろう",
      passwordHash: password ? await hashPassword(password) : await passwordHash(),
      ...rest,
    })
    .returning();
  return row!;
}

const CSRF = "test-csrf-token-0123456789abcdefghijklmnop";

const csrfCookieHeader = async () => (await csrfCookie.serialize(CSRF)).split(";")[0]!;

/** Cookie header for a signed-in person (and a CSRF cookie). */
export async function signedInCookie(userId: string): Promise<string> {
  const session = (await createSessionCookie(userId)).split(";")[0];
  return `${session}; ${await csrfCookieHeader()}`;
}

export async function get(path: string, userId?: string, headers: Record<string, string> = {}): Promise<Request> {
  const cookie = userId ? await signedInCookie(userId) : "";
  return new Request(`http://localhost${path}`, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } });
}

/** A form post as a browser sends it, with the CSRF token unless `csrf: false`. */
export async function post(
  path: string,
  fields: Record<string, string>,
  options: { userId?: string; csrf?: boolean; headers?: Record<string, string> } = {},
): Promise<Request> {
  const cookie = options.userId
    ? await signedInCookie(options.userId)
    : await csrfCookieHeader();
  const body = new URLSearchParams(fields);
  if (options.csrf !== false) body.set("csrf", CSRF);
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
  });
}

/** Runs a loader/action and returns what it threw or returned, as a Response when it is one. */
export async function settle<T>(fn: () => Promise<T>): Promise<{ thrown: boolean; value: unknown }> {
  try {
    return { thrown: false, value: await fn() };
  } catch (error) {
    return { thrown: true, value: error };
  }
}
