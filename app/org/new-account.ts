import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/auth/password-policy";
import { GRANTED_ROLES } from "#db/schema/org";

/** Kanji, hiragana, katakana (and the prolonged sound mark): a name written in Japanese script. */
const JAPANESE_SCRIPT = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/;

/**
 * Splits a full name as people type it: a name in Japanese script is family name first ("山田 太郎",
 * also with a full-width space); a Latin name is given name first ("Emily Clark"). A single word is a
 * family name with no given name.
 */
export function splitFullName(fullName: string): { familyName: string; givenName: string } | null {
  const parts = fullName.normalize("NFC").trim().split(/[\s\u3000]+/).filter(Boolean);
  if (parts.length === 0) return null;
  if (parts.length === 1) return { familyName: parts[0]!, givenName: "" };
  if (JAPANESE_SCRIPT.test(fullName)) return { familyName: parts[0]!, givenName: parts.slice(1).join(" ") };
  return { familyName: parts[parts.length - 1]!, givenName: parts.slice(0, -1).join(" ") };
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What an operator gives `npm run user:create`: checked before anything touches the database. */
export const newAccountSchema = z.object({
  email: z
    .string({ required_error: "--email is required" })
    .trim()
    .toLowerCase()
    .max(254, "--email is longer than 254 characters")
    .email("--email is not an email address"),
  name: z
    .string({ required_error: "--name is required (e.g. --name \"山田 太郎\" or --name \"Emily Clark\")" })
    .trim()
    .min(1, "--name is empty")
    .max(100, "--name is longer than 100 characters")
    .refine((v) => !CONTROL.test(v), "--name contains control characters"),
  roles: z.array(z.enum(GRANTED_ROLES, { errorMap: () => ({ message: `--role must be one of ${GRANTED_ROLES.join(", ")}` }) })).default([]),
  language: z.enum(["ja", "en"], { errorMap: () => ({ message: "--language must be ja or en" }) }).optional(),
});
export type NewAccountInput = z.infer<typeof newAccountSchema>;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `The password must be at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `The password must be at most ${PASSWORD_MAX} characters.`;
  return null;
}

/** Reads `--email a --name "b c" --role admin --role hr --language ja` (also `--email=a`). */
export function parseNewAccountArgs(argv: readonly string[]):
  | { ok: true; input: NewAccountInput; passwordFromStdin: boolean }
  | { ok: false; errors: string[] } {
  const values: Record<string, string[]> = {};
  const flags = new Set<string>();
  const errors: string[] = [];
  const known = new Set(["email", "name", "role", "language"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      errors.push(`Unexpected argument "${arg}"`);
      continue;
    }
    const [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (key === "password-stdin") {
      flags.add(key);
      continue;
    }
    if (!known.has(key)) {
      errors.push(`Unknown option --${key}`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      errors.push(`--${key} needs a value`);
      if (value?.startsWith("--")) i--;
      continue;
    }
    (values[key] ??= []).push(value);
  }
  const parsed = newAccountSchema.safeParse({
    email: values.email?.at(-1),
    name: values.name?.at(-1),
    roles: values.role ?? [],
    language: values.language?.at(-1),
  });
  if (!parsed.success) errors.push(...parsed.error.issues.map((i) => i.message));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data, passwordFromStdin: flags.has("password-stdin") };
}
