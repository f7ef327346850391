import { databaseHandle } from "#db/client.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "#db/seed/demo-org";
import { env } from "~/env.server";

/** The sign-in page lists the demo accounts only on the embedded demo database. */
export function demoAccounts() {
  if (databaseHandle().kind !== "pglite" || env().MANABI_HIDE_DEMO === "1") return null;
  return { password: DEMO_PASSWORD, accounts: DEMO_ACCOUNTS.map(({ email, role }) => ({ email, role })) };
}
