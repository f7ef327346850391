import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "~/env.server";

describe("mail settings", () => {
  it("default to files under .data/mail from Manabi <manabi@localhost>, with no SMTP", () => {
    const env = parseEnv({});
    expect(env.mailDir).toBe(path.resolve(".data/mail"));
    expect(env.MAIL_FROM).toBe("Manabi <manabi@localhost>");
    expect(env.SMTP_URL).toBeUndefined();
  });

  it("accept an smtp(s) URL or a host with its parts, and MAIL_DIR", () => {
    expect(parseEnv({ SMTP_URL: "smtps://u:p@mail.example.com:465" }).SMTP_URL).toBe("smtps://u:p@mail.example.com:465");
    const parts = parseEnv({ SMTP_HOST: "mail.example.com", SMTP_PORT: "2525", SMTP_USER: "u", SMTP_PASS: "p", SMTP_SECURE: "1", MAIL_DIR: "/tmp/m" });
    expect(parts).toMatchObject({ SMTP_HOST: "mail.example.com", SMTP_PORT: 2525, SMTP_SECURE: "1", mailDir: "/tmp/m" });
  });

  it("refuse a bad SMTP URL, both SMTP_URL and SMTP_HOST, parts without a host, and a bad sender, naming the variable and hiding secrets", () => {
    const problems = (source: Record<string, string>) => {
      try {
        parseEnv(source);
        return [];
      } catch (error) {
        return (error as EnvError).problems;
      }
    };
    const bad = problems({ SMTP_URL: "http://user:secret@mail.example.com" });
    expect(bad[0]).toMatch(/^SMTP_URL: must be a smtp:\/\/ or smtps:\/\/ URL/);
    expect(bad[0]).not.toContain("secret");
    expect(problems({ SMTP_URL: "smtp://a", SMTP_HOST: "b" })[0]).toMatch(/not both/);
    expect(problems({ SMTP_USER: "u" })[0]).toMatch(/^SMTP_HOST: required/);
    expect(problems({ MAIL_FROM: "not an address" })[0]).toMatch(/^MAIL_FROM:/);
    expect(problems({ PUBLIC_URL: "manabi.example.com" })[0]).toMatch(/^PUBLIC_URL:/);
  });
});
