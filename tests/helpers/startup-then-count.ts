// For the start-up test: runs Manabi's start-up against the configured database, prints how many
// people can sign in, and exits (as `npm start` would before listening).
import { count, isNotNull } from "drizzle-orm";
import { getDb } from "#db/client.server";
import { users } from "#db/schema";
import { shutdown, startup } from "~/startup.server";

const lines: string[] = [];
await startup((line) => lines.push(line));
const [row] = await getDb().select({ n: count() }).from(users).where(isNotNull(users.passwordHash));
console.log(JSON.stringify({ people: Number(row?.n ?? 0), log: lines }));
await shutdown();
process.exit(0);
