import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads `process.env`. It is parsed once, on first use (start-up calls `env()`
 * before anything else), so a bad value stops the server with a message naming the variable instead
 * of failing later on a request. Variables are documented in the README ("Configuration").
 */

// An empty variable (`PORT=`) means "not set", as shells and .env files usually intend.
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const flag = optional(z.enum(["0", "1"], { message: 'must be "0" or "1"' }));

/** How long a kept page may be shown (seconds, default 60, at most an hour; 0 turns its cache off). */
const cacheMaxAgeSeconds = () =>
  optional(
    z
      .string()
      .trim()
      .regex(/^\d+$/, "must be a whole number of seconds (0 turns the cache off)")
      .transform(Number)
      .pipe(z.number().int().max(3600, "must be at most 3600 seconds")),
  ).transform((v) => v ?? 60);

const positiveNumber = (unit: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `must be a positive number of ${unit}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .positive(`must be a positive number of ${unit}`)
        .max(max, `must be at most ${max} ${unit}`),
    );

const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** Express's "trust proxy": a hop count, true/false, or a list of addresses, subnets and names. */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): number | boolean | string => {
    if (/^\d+$/.test(value)) return Number(value);
    if (value === "true") return true;
    if (value === "false") return false;
    const bad = value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => {
        if (PROXY_NAMES.has(part)) return false;
        const [address, bits, ...rest] = part.split("/");
        if (rest.length || !address || !net.isIP(address)) return true;
        return bits !== undefined && !/^\d{1,3}$/.test(bits);
      });
    if (bad.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be a hop count (e.g. 1), true, or a comma-separated list of addresses, subnets or loopback/linklocal/uniquelocal (not understood: ${bad.join(", ")})`,
      });
      return z.NEVER;
    }
    return value;
  });

function isHttpUrl(v: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

export const envSchema = z.object({
  NODE_ENV: optional(z.enum(["development", "production", "test"], { message: 'must be "development", "production" or "test"' })).transform(
    (v) => v ?? "development",
  ),
  PORT: optional(
    z
      .string()
      .trim()
      .regex(/^\d+$/, "must be a port number (1–65535)")
      .transform(Number)
      .pipe(z.number().int().min(1, "must be a port number (1–65535)").max(65535, "must be a port number (1–65535)")),
  ).transform((v) => v ?? 3000),
  HOST: optional(z.string().trim()),
  TRUST_PROXY: optional(trustProxy),
  INSECURE_COOKIES: flag,
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => {
        try {
          return ["postgres:", "postgresql:"].includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, "must be a postgres:// or postgresql:// URL"),
  ),
  PGLITE_DIR: optional(z.string()),
  CONTENT_DIR: optional(z.string()),
  /** "0" starts the embedded database empty (no demo company). */
  MANABI_DEMO: flag,
  /** "1" seeds the demo company into a server database too. */
  MANABI_SEED_DEMO: flag,
  /** "1" hides the demo accounts on the sign-in page. */
  MANABI_HIDE_DEMO: flag,
  CI: optional(z.string()),
  SESSION_SECRET: optional(z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 48`)")),
  SESSION_MAX_AGE_DAYS: optional(positiveNumber("days", 90)).transform((v) => v ?? 7),
  SESSION_IDLE_HOURS: optional(positiveNumber("hours", 24 * 90)).transform((v) => v ?? 12),
  /** How old the HR dashboard's figures may be when shown (seconds; 0 turns its cache off). */
  HR_DASHBOARD_MAX_AGE_SECONDS: cacheMaxAgeSeconds(),
  /** How old a page of the manager's team view may be when shown (seconds; 0 turns its cache off). */
  TEAM_VIEW_MAX_AGE_SECONDS: cacheMaxAgeSeconds(),
  /**
   * Scales the minimum reading time before "read to the end" counts (1 = a quarter of the lesson's
   * minutes, 20 s to 3 min). Lower it only for demos and automated browser tests.
   */
  MANABI_READING_TIME_FACTOR: optional(
    z
      .string()
      .trim()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, "must be a number from 0 to 1")
      .transform(Number),
  ).transform((v) => v ?? 1),
  /** The request header in which a gateway names the person for forward-auth (an email or employee number). */
  FORWARD_AUTH_USER_HEADER: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,100}$/, "must be an HTTP header name (letters, digits and hyphens), e.g. X-Forwarded-Email"),
  ).transform((v) => (v ?? "x-forwarded-email").toLowerCase()),
  /**
   * `off`: every access check (API, forward-auth) reads the database instead of the process's copy of
   * people and certificates (app/access/people-replica.server.ts).
   */
  ACCESS_REPLICA: optional(z.enum(["on", "off"], { message: "must be on or off" })).transform((v) => v ?? "on"),
  /** The site's address for links in emails (invitations, reminders), e.g. https://manabi.example.co.jp. */
  PUBLIC_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => {
        try {
          return ["http:", "https:"].includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, "must be an http:// or https:// URL, e.g. https://manabi.example.co.jp"),
  ),
  /** SMTP for outgoing mail: a smtp:// or smtps:// URL, or the SMTP_HOST… variables. Unset: mail goes to files. */
  SMTP_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => {
        try {
          return ["smtp:", "smtps:"].includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, "must be a smtp:// or smtps:// URL, e.g. smtps://user:pass@mail.example.co.jp:465"),
  ),
  SMTP_HOST: optional(z.string().trim()),
  SMTP_PORT: optional(
    z
      .string()
      .trim()
      .regex(/^\d+$/, "must be a port number (1–65535)")
      .transform(Number)
      .pipe(z.number().int().min(1, "must be a port number (1–65535)").max(65535, "must be a port number (1–65535)")),
  ),
  SMTP_USER: optional(z.string()),
  SMTP_PASS: optional(z.string()),
  /** "1": TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  SMTP_SECURE: flag,
  /** The sender of every mail, e.g. `Manabi <manabi@example.co.jp>`. */
  MAIL_FROM: optional(
    z
      .string()
      .trim()
      .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, "must be an address, e.g. manabi@example.co.jp or Manabi <manabi@example.co.jp>"),
  ).transform((v) => v ?? "Manabi <manabi@localhost>"),
  /** Where mails are written as .eml files when no SMTP server is configured. */
  MAIL_DIR: optional(z.string()),
  /** Single sign-on (OpenID Connect): the issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0. */
  OIDC_ISSUER: optional(z.string().trim().refine(isHttpUrl, "must be an http:// or https:// URL, e.g. https://idp.example.co.jp/realms/staff")),
  OIDC_CLIENT_ID: optional(z.string().trim()),
  OIDC_CLIENT_SECRET: optional(z.string()),
  /** The ID token claim that names a person: `email` (compared case-insensitively), or an employee-number claim. */
  OIDC_CLAIM: optional(z.string().trim().regex(/^[A-Za-z0-9_.:\/-]{1,100}$/, "must be a claim name, e.g. email or employee_number")).transform((v) => v ?? "email"),
  /** Scopes asked for; `openid` is always included. */
  OIDC_SCOPES: optional(z.string().trim()).transform((v) => v ?? "openid email profile"),
  /** The company's name on the sign-in button ("Sign in with …"); OIDC_DISPLAY_NAME_JA for Japanese. */
  OIDC_DISPLAY_NAME: optional(z.string().trim().max(60, "must be at most 60 characters")),
  OIDC_DISPLAY_NAME_JA: optional(z.string().trim().max(60, "must be at most 60 characters")),
  /** Whom a person not found in Manabi should contact, e.g. "the HR help desk (hr-help@example.co.jp)"; SSO_CONTACT_JA in Japanese. */
  SSO_CONTACT: optional(z.string().trim().max(200, "must be at most 200 characters")),
  SSO_CONTACT_JA: optional(z.string().trim().max(200, "must be at most 200 characters")),
  /** "off": no sign-in with a Manabi password, except for the break-glass admins. */
  AUTH_PASSWORD: optional(z.enum(["on", "off"], { message: 'must be "on" or "off"' })).transform((v) => v ?? "on"),
  /** Comma-separated emails that may still sign in with a password when AUTH_PASSWORD=off. */
  AUTH_BREAK_GLASS_EMAILS: optional(z.string()).transform((v) =>
    (v ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  ),
});

export type Env = z.infer<typeof envSchema> & {
  /** Cookies carry `Secure` (and the server sends HSTS): in production unless INSECURE_COOKIES=1. */
  secureCookies: boolean;
  /** Sign-in is required again this long after it, however active the session was. */
  sessionMaxAgeMs: number;
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** Where the embedded database lives (when DATABASE_URL is unset). */
  pgliteDir: string;
  /** Where mails are written when no SMTP server is configured (MAIL_DIR, default `.data/mail`). */
  mailDir: string;
};

/** A configuration problem; its message names every bad variable. */
export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration (environment variables):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

const SECRET_VARIABLES = new Set(["SESSION_SECRET", "DATABASE_URL", "SMTP_URL", "SMTP_PASS", "OIDC_CLIENT_SECRET"]);

/** Parses an environment; throws an EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "?");
        const raw = source[name];
        const shown = raw === undefined || SECRET_VARIABLES.has(name) ? "" : ` (got ${JSON.stringify(raw)})`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const values = parsed.data;
  const idleMs = values.SESSION_IDLE_HOURS * 3_600_000;
  const maxAgeMs = values.SESSION_MAX_AGE_DAYS * 86_400_000;
  if (idleMs > maxAgeMs) {
    throw new EnvError([
      `SESSION_IDLE_HOURS: must not exceed SESSION_MAX_AGE_DAYS (${values.SESSION_IDLE_HOURS} h > ${values.SESSION_MAX_AGE_DAYS} d)`,
    ]);
  }
  const pgliteDir = path.resolve(values.PGLITE_DIR ?? ".data/pglite");
  if (values.SMTP_URL && values.SMTP_HOST) {
    throw new EnvError(["SMTP_URL, SMTP_HOST: set one of them, not both"]);
  }
  if (!values.SMTP_HOST && (values.SMTP_PORT || values.SMTP_USER || values.SMTP_PASS || values.SMTP_SECURE)) {
    throw new EnvError(["SMTP_HOST: required when SMTP_PORT, SMTP_USER, SMTP_PASS or SMTP_SECURE is set"]);
  }
  if ((values.OIDC_ISSUER || values.OIDC_CLIENT_ID || values.OIDC_CLIENT_SECRET) && !(values.OIDC_ISSUER && values.OIDC_CLIENT_ID)) {
    throw new EnvError(["OIDC_ISSUER, OIDC_CLIENT_ID: both are required for single sign-on (OIDC_CLIENT_SECRET too unless the client is public)"]);
  }
  if (values.AUTH_PASSWORD === "off" && !values.OIDC_ISSUER) {
    throw new EnvError(["AUTH_PASSWORD: \"off\" needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID), or nobody could sign in"]);
  }
  return {
    ...values,
    secureCookies: values.NODE_ENV === "production" && values.INSECURE_COOKIES !== "1",
    sessionMaxAgeMs: maxAgeMs,
    sessionIdleMs: idleMs,
    pgliteDir,
    mailDir: path.resolve(values.MAIL_DIR ?? ".data/mail"),
  };
}

/**
 * The key for CSRF tokens and the signed toast, language and pre-session cookies: SESSION_SECRET, or,
 * when it is unset, a random secret generated once and kept beside the embedded database
 * (`.data/session-secret` by default). A server database in production requires SESSION_SECRET.
 */
export function resolveSessionSecret(values: Env): string {
  if (values.SESSION_SECRET) return values.SESSION_SECRET;
  if (values.DATABASE_URL && values.NODE_ENV === "production") {
    // Several app servers share one database: they must share the secret too.
    throw new EnvError([
      "SESSION_SECRET: required in production with DATABASE_URL; set the same random value (at least 32 characters, e.g. `openssl rand -base64 48`) on every app server",
    ]);
  }
  // Tests get a fresh secret per process; nothing outlives them.
  if (values.NODE_ENV === "test") return randomBytes(32).toString("base64url");
  return readOrCreateSecretFile(path.join(path.dirname(values.pgliteDir), "session-secret"));
}

/** The secret in `file`, created (mode 600, atomically, so parallel workers agree) when missing. */
export function readOrCreateSecretFile(file: string): string {
  const read = () => {
    const value = fs.readFileSync(file, "utf8").trim();
    if (value.length < 32) throw new EnvError([`SESSION_SECRET: the stored secret in ${file} is too short; delete the file to generate a new one`]);
    return value;
  };
  if (fs.existsSync(file)) return read();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(temp, `${randomBytes(48).toString("base64url")}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file); // fails if another process created it first; then theirs wins
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return read();
}

let cached: Env | null = null;
let secret: string | null = null;

/** The parsed environment of this process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** This process's signing secret (see resolveSessionSecret). */
export function sessionSecret(): string {
  secret ??= resolveSessionSecret(env());
  return secret;
}
