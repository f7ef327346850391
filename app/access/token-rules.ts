import { z } from "zod";
import { API_SCOPES } from "#db/schema/access";

/**
 * The shape of Manabi API tokens, pure: `mnb_live_<8 lower-case letters/digits>_<43 base64url characters>`.
 * The first part (the prefix) is public — it names the token in the admin list and finds its row —,
 * the rest is 32 random bytes, known only to the system that holds the token.
 */

export const TOKEN_PREFIX_START = "mnb_live_";
export const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
export const PREFIX_RANDOM_LENGTH = 8;

const TOKEN_PATTERN = /^(mnb_live_[a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** The token's public prefix, or null when the text is not a Manabi token. */
export function parseToken(token: string): { prefix: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { prefix: match[1]! } : null;
}

/** The token of an `Authorization: Bearer …` header (scheme case-insensitive, RFC 6750), or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  return match ? match[1]! : null;
}

/** Builds a token from its random parts (the caller draws them from a secure source). */
export function formatToken(prefixRandom: string, secret: string): string {
  return `${TOKEN_PREFIX_START}${prefixRandom}_${secret}`;
}

/** Last use is written at most this often per token. */
export const LAST_USED_INTERVAL_MS = 60_000;

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The Tokyo calendar day of an instant, as YYYY-MM-DD. */
export function tokyoDay(instant: Date): string {
  return new Date(instant.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * What a use of a token at `now` writes, given its recorded last use: `touch` — record the new last use
 * (none was recorded, or the last one is a minute old or more); `firstOfDay` — also the audit entry
 * "token used" (the last use was on an earlier Tokyo day, or never), so the log holds one per token per day.
 */
export function usageWrites(lastUsedAt: Date | null, now: Date): { touch: boolean; firstOfDay: boolean } {
  if (!lastUsedAt) return { touch: true, firstOfDay: true };
  // Later day only: a process whose clock runs behind must not log the same day twice.
  const firstOfDay = tokyoDay(now) > tokyoDay(lastUsedAt);
  return { touch: firstOfDay || now.getTime() - lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS, firstOfDay };
}

/** The locale key describing each scope (i18next reads ":" as a namespace separator, so not the scope itself). */
export const SCOPE_TEXT_KEYS = {
  "access:read": "apiTokens.scopes.accessRead",
  "events:read": "apiTokens.scopes.eventsRead",
} as const satisfies Record<(typeof API_SCOPES)[number], string>;

/** A new token as the admin form and the command line give it: a name and at least one scope. */
export const newTokenSchema = z.object({
  name: z
    .string({ required_error: "apiTokens.errors.nameRequired" })
    .trim()
    .min(1, "apiTokens.errors.nameRequired")
    .max(100, "apiTokens.errors.nameTooLong"),
  scopes: z
    .array(z.enum(API_SCOPES, { message: "apiTokens.errors.unknownScope" }), { required_error: "apiTokens.errors.scopeRequired" })
    .min(1, "apiTokens.errors.scopeRequired")
    .transform((scopes) => API_SCOPES.filter((s) => scopes.includes(s))),
});
export type NewToken = z.infer<typeof newTokenSchema>;
