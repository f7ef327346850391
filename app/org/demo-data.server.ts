import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { users } from "#db/schema";
import { DEMO_ACCOUNTS } from "#db/seed/demo-org";

/**
 * Whether the demo company's sign-in accounts (whose password is printed in the README and on the
 * sign-in page) exist and can still sign in. While they do, every page says so. Cached per process
 * and re-checked every 10 s: one indexed query, not one per request.
 */
const RECHECK_MS = 10_000;
const key = Symbol.for("manabi.demo-data");
type State = { present: boolean; checkedAt: number; pending: Promise<boolean> | null };
const g = globalThis as typeof globalThis & { [key]?: State };
const state = (g[key] ??= { present: false, checkedAt: 0, pending: null });

async function query(): Promise<boolean> {
  const rows = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        inArray(
          users.email,
          DEMO_ACCOUNTS.map((a) => a.email),
        ),
        eq(users.active, true),
        isNotNull(users.passwordHash),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function demoAccountsPresent(now = Date.now()): Promise<boolean> {
  if (now - state.checkedAt < RECHECK_MS) return state.present;
  state.pending ??= query()
    .then((present) => {
      state.present = present;
      state.checkedAt = Date.now();
      return present;
    })
    .finally(() => {
      state.pending = null;
    });
  return state.pending;
}

/** Forget the cached answer (after seeding, or in tests). */
export function forgetDemoAccountsCheck(): void {
  state.checkedAt = 0;
}
