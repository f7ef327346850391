import { randomUUID } from "node:crypto";
import { getDb } from "#db/client.server";
import { departments, users, type GrantedRole } from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { ensureCsrfToken } from "~/auth/csrf.server";
import { startSession } from "~/auth/session.server";

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

/** Cookie header for a signed-in person: a new session, as signing in creates. */
export async function signedInCookie(userId: string): Promise<string> {
  const [session] = await startSession(new Request("http://localhost/login"), userId);
  return session!.split(";")[0]!;
}

/** The CSRF token a page would give this browser, and its cookie header (with a pre-session if needed). */
export async function csrfFor(cookie: string): Promise<{ token: string; cookie: string }> {
  const { token, setCookie } = await ensureCsrfToken(new Request("http://localhost/", { headers: cookie ? { Cookie: cookie } : {} }));
  const presession = setCookie?.split(";")[0];
  return { token, cookie: [cookie, presession].filter(Boolean).join("; ") };
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
  const csrf = await csrfFor(options.userId ? await signedInCookie(options.userId) : "");
  const body = new URLSearchParams(fields);
  if (options.csrf !== false) body.set("csrf", csrf.token);
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: { Cookie: csrf.cookie, "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
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
