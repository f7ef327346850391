// `npm run token:create -- --name NAME --scope access:read [--scope events:read]`
// Makes an API token for a script or another system and prints its secret once (on standard output,
// alone on its line, so `… | tail -1` captures it). Exit codes: 0 made, 2 bad arguments, 1 failure.
import { parseArgs } from "node:util";
import { closeDatabase, databaseHandle } from "#db/client.server";
import { API_SCOPES } from "#db/schema/access";
import { newTokenSchema } from "~/access/token-rules";
import { createApiToken } from "~/access/tokens.server";

const USAGE = `Usage: npm run token:create -- --name "LLM gateway" --scope access:read [--scope events:read]
  --name   what the token is for (shown in the admin list), 1–100 characters
  --scope  ${API_SCOPES.join(" or ")} (repeat for several)`;

const MESSAGES: Record<string, string> = {
  "apiTokens.errors.nameRequired": "--name is required.",
  "apiTokens.errors.nameTooLong": "--name is longer than 100 characters.",
  "apiTokens.errors.scopeRequired": "--scope is required (at least one).",
  "apiTokens.errors.unknownScope": `--scope must be one of: ${API_SCOPES.join(", ")}.`,
};

function fail(lines: string[], code = 2): never {
  for (const line of lines) console.error(`✖ ${line}`);
  console.error(`\n${USAGE}`);
  process.exit(code);
}

let values: { name?: string; scope?: string[] };
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    options: { name: { type: "string" }, scope: { type: "string", multiple: true } },
    strict: true,
  }));
} catch (error) {
  fail([error instanceof Error ? error.message : String(error)]);
}

const parsed = newTokenSchema.safeParse({ name: values.name ?? "", scopes: values.scope ?? [] });
if (!parsed.success) fail([...new Set(parsed.error.issues.map((i) => MESSAGES[i.message] ?? i.message))]);

const handle = databaseHandle();
try {
  await handle.migrate();
  const token = await createApiToken(parsed.data, { id: null, via: "command-line" });
  console.error(`✔ Created token "${token.name}" (${token.prefix}, ${token.scopes.join(", ")}). Its secret is shown once; store it now:`);
  console.log(token.secret);
} catch (error) {
  // The embedded database can be open in one process only.
  if (handle.kind === "pglite" && /lock|already|in use/i.test(String(error))) {
    console.error("✖ The embedded database is in use by a running Manabi. Stop it (Ctrl-C), run this command again, then start Manabi.");
  } else {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
