// `npm run user:create -- --email … --name … [--role admin] [--language ja|en] [--password-stdin]`
// Creates a person who can sign in, e.g. the first admin of a PostgreSQL server database that starts
// empty. Asks for the password twice without echoing it; with --password-stdin (or when standard
// input is not a terminal) reads it from the first line of standard input instead.
import { createInterface } from "node:readline";
import { closeDatabase, databaseHandle } from "#db/client.server";
import { createAccount } from "~/org/accounts.server";
import { parseNewAccountArgs, passwordProblem } from "~/org/new-account";

const USAGE = `Usage: npm run user:create -- --email person@example.com --name "山田 太郎" [--role admin] [--role hr] [--language ja]
  --role      hr, author or admin (repeat for several); everyone is a learner
  --language  the person's language for Manabi (ja or en); otherwise their browser's
  The password is asked for (twice, not shown); --password-stdin reads it from standard input.`;

function fail(lines: string[], code = 2): never {
  for (const line of lines) console.error(`✖ ${line}`);
  console.error(`\n${USAGE}`);
  process.exit(code);
}

async function readLineFromStdin(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line.replace(/\r$/, "");
  }
  return "";
}

/** Asks without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          process.stdout.write("\n");
          process.exit(130);
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

const args = parseNewAccountArgs(process.argv.slice(2));
if (!args.ok) fail(args.errors);

let password: string;
if (args.passwordFromStdin || !process.stdin.isTTY) {
  password = await readLineFromStdin();
} else {
  password = await askHidden("Password: ");
  const again = await askHidden("Password again: ");
  if (again !== password) fail(["The two passwords differ."]);
}
const problem = passwordProblem(password);
if (problem) fail([problem]);

try {
  const handle = databaseHandle();
  await handle.migrate();
  const result = await createAccount({ ...args.input, password }, { id: null, via: "command-line" });
  if (result.kind === "email-taken") {
    console.error(`✖ Someone already signs in with ${args.input.email}. Nothing was changed.`);
    process.exitCode = 1;
  } else if (result.kind === "invalid-name") {
    console.error("✖ The name is empty.");
    process.exitCode = 2;
  } else {
    const roles = args.input.roles.length > 0 ? args.input.roles.join(", ") : "learner";
    console.log(`✔ Created ${args.input.email} (${roles}). They can sign in now.`);
  }
} catch (error) {
  // e.g. the embedded database is held by a running Manabi: the message says what to do.
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
