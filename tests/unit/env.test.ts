import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, readOrCreateSecretFile, resolveSessionSecret } from "~/env.server";

const SECRET = "s".repeat(32);

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected the environment to be refused");
}

describe("the environment", () => {
  it("has working defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ NODE_ENV: "development", PORT: 3000, SESSION_MAX_AGE_DAYS: 7, SESSION_IDLE_HOURS: 12, secureCookies: false });
    expect(env.sessionMaxAgeMs).toBe(7 * 86_400_000);
    expect(env.sessionIdleMs).toBe(12 * 3_600_000);
    expect(env.pgliteDir).toBe(path.resolve(".data/pglite"));
    expect(env.HR_DASHBOARD_MAX_AGE_SECONDS).toBe(60);
  });

  it("takes the HR dashboard's and the team view's max ages in whole seconds, 0 turning a cache off", () => {
    for (const name of ["HR_DASHBOARD_MAX_AGE_SECONDS", "TEAM_VIEW_MAX_AGE_SECONDS"] as const) {
      expect(parseEnv({})[name]).toBe(60);
      expect(parseEnv({ [name]: "0" })[name]).toBe(0);
      expect(parseEnv({ [name]: "300" })[name]).toBe(300);
      expect(problemsOf({ [name]: "1.5" })[0]).toMatch(new RegExp(`^${name}: must be a whole number of seconds`));
      expect(problemsOf({ [name]: "-1" })[0]).toMatch(new RegExp(`^${name}: `));
      expect(problemsOf({ [name]: "86400" })[0]).toMatch(new RegExp(`^${name}: must be at most 3600`));
    }
  });

  it("decides Secure cookies in one place: production, unless INSECURE_COOKIES=1", () => {
    expect(parseEnv({ NODE_ENV: "production" }).secureCookies).toBe(true);
    expect(parseEnv({ NODE_ENV: "production", INSECURE_COOKIES: "1" }).secureCookies).toBe(false);
    expect(parseEnv({ NODE_ENV: "development" }).secureCookies).toBe(false);
    expect(parseEnv({ NODE_ENV: "test" }).secureCookies).toBe(false);
  });

  it("names each bad variable, with the value unless it is a secret", () => {
    expect(problemsOf({ PORT: "eighty" })).toEqual(['PORT: must be a port number (1–65535) (got "eighty")']);
    expect(problemsOf({ PORT: "70000" })[0]).toMatch(/^PORT: /);
    expect(problemsOf({ SESSION_MAX_AGE_DAYS: "-1" })[0]).toMatch(/^SESSION_MAX_AGE_DAYS: must be a positive number of days/);
    expect(problemsOf({ SESSION_IDLE_HOURS: "0" })[0]).toMatch(/^SESSION_IDLE_HOURS: /);
    expect(problemsOf({ SESSION_IDLE_HOURS: "200", SESSION_MAX_AGE_DAYS: "1" })[0]).toMatch(/^SESSION_IDLE_HOURS: must not exceed SESSION_MAX_AGE_DAYS/);
    expect(problemsOf({ INSECURE_COOKIES: "yes" })[0]).toMatch(/^INSECURE_COOKIES: must be "0" or "1"/);
    expect(problemsOf({ MANABI_DEMO: "true" })[0]).toMatch(/^MANABI_DEMO: /);
    expect(problemsOf({ NODE_ENV: "prod" })[0]).toMatch(/^NODE_ENV: /);
    expect(problemsOf({ TRUST_PROXY: "my-proxy" })[0]).toMatch(/^TRUST_PROXY: .*my-proxy/);
    const secret = problemsOf({ SESSION_SECRET: "too-short-secret" });
    expect(secret[0]).toMatch(/^SESSION_SECRET: must be at least 32 characters/);
    expect(secret[0]).not.toContain("too-short-secret");
    const url = problemsOf({ DATABASE_URL: "mysql://root:hunter2@db/manabi" });
    expect(url[0]).toMatch(/^DATABASE_URL: must be a postgres/);
    expect(url[0]).not.toContain("hunter2");
    // Several at once are all named.
    expect(problemsOf({ PORT: "x", HOST: "ok", SESSION_MAX_AGE_DAYS: "y" }).map((p) => p.split(":")[0])).toEqual(["PORT", "SESSION_MAX_AGE_DAYS"]);
  });

  it("reads TRUST_PROXY as Express understands it", () => {
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).TRUST_PROXY).toBe("loopback, 10.0.0.0/8");
    expect(parseEnv({ TRUST_PROXY: "" }).TRUST_PROXY).toBeUndefined();
  });

  it("requires SESSION_SECRET in production on a server database, where several app servers must share it", () => {
    const production = parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/manabi" });
    expect(() => resolveSessionSecret(production)).toThrow(/SESSION_SECRET: required in production with DATABASE_URL/);
    expect(resolveSessionSecret(parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/manabi", SESSION_SECRET: SECRET }))).toBe(SECRET);
  });

  it("generates a secret once beside the embedded database and keeps it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "manabi-env-"));
    try {
      const env = parseEnv({ NODE_ENV: "production", PGLITE_DIR: path.join(dir, "pglite") });
      const first = resolveSessionSecret(env);
      expect(first.length).toBeGreaterThanOrEqual(32);
      const file = path.join(dir, "session-secret");
      expect(fs.readFileSync(file, "utf8").trim()).toBe(first);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(resolveSessionSecret(env)).toBe(first);
      expect(readOrCreateSecretFile(file)).toBe(first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops start-up with a message naming the bad variable", () => {
    const script = 'import("./app/startup.server.ts").then((m) => m.startup(() => {})).then(() => console.log("STARTED"))';
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH, NODE_ENV: "production", SESSION_MAX_AGE_DAYS: "seven" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain("STARTED");
    expect(result.stderr).toContain('SESSION_MAX_AGE_DAYS: must be a positive number of days (got "seven")');
  }, 60_000);
});
