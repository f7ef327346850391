// Applies the committed migrations to the configured database (DATABASE_URL, else PGlite in .data/).
import { closeDatabase, databaseHandle } from "#db/client.server";

const handle = databaseHandle();
await handle.migrate();
console.log(`Migrations applied (${handle.kind === "pglite" ? "embedded PGlite" : "PostgreSQL server"}).`);
await closeDatabase();
