// Adds the demo company to the configured database, if it has no people yet.
import { closeDatabase, databaseHandle } from "#db/client.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "#db/seed/demo-org";
import { seedDemoOrganisation } from "#db/seed/seed-demo.server";

const handle = databaseHandle();
await handle.migrate();
const { seeded, people } = await seedDemoOrganisation(handle.db);
console.log(seeded ? `Seeded the demo company (${people} people).` : "The database already has people; nothing was added.");
if (seeded) {
  console.log(`Demo accounts (password ${DEMO_PASSWORD}):`);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(8)} ${a.email}`);
}
await closeDatabase();
