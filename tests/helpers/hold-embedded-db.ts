// For the lock test: opens the embedded database at argv[2], says "HOLDING", and keeps it open.
import { openDatabase } from "#db/client.server";

const handle = openDatabase({ pgliteDir: process.argv[2]! });
await handle.migrate();
console.log("HOLDING");
setInterval(() => {}, 1000);
