import { describe, expect, it } from "vitest";
import { parseNewAccountArgs, passwordProblem, splitFullName } from "~/org/new-account";

describe("splitting a typed full name", () => {
  it("reads a name in Japanese script family name first, with a half- or full-width space", () => {
    expect(splitFullName("山田 太郎")).toEqual({ familyName: "山田", givenName: "太郎" });
    expect(splitFullName("髙橋\u3000﨑子")).toEqual({ familyName: "髙橋", givenName: "﨑子" });
    expect(splitFullName("クラーク エミリー")).toEqual({ familyName: "クラーク", givenName: "エミリー" });
  });
  it("reads a Latin name given name first", () => {
    expect(splitFullName("Emily Clark")).toEqual({ familyName: "Clark", givenName: "Emily" });
    expect(splitFullName("  Mary Ann  Smith ")).toEqual({ familyName: "Smith", givenName: "Mary Ann" });
  });
  it("keeps a single word as the family name and refuses an empty name", () => {
    expect(splitFullName("Madonna")).toEqual({ familyName: "Madonna", givenName: "" });
    expect(splitFullName("   ")).toBeNull();
  });
});

describe("user:create arguments", () => {
  it("takes email, name, repeated roles and a language, normalising the email", () => {
    const parsed = parseNewAccountArgs(["--email", " Admin@Example.COM ", "--name=山田 太郎", "--role", "admin", "--role", "hr", "--language", "ja"]);
    expect(parsed).toEqual({
      ok: true,
      passwordFromStdin: false,
      input: { email: "admin@example.com", name: "山田 太郎", roles: ["admin", "hr"], language: "ja" },
    });
  });
  it("lists every problem at once, in words an operator understands", () => {
    const parsed = parseNewAccountArgs(["--email", "not-an-email", "--role", "owner", "--colour", "red", "stray"]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(
      expect.arrayContaining([
        'Unexpected argument "stray"',
        "Unknown option --colour",
        "--email is not an email address",
        expect.stringContaining("--name is required"),
        "--role must be one of hr, author, admin",
      ]),
    );
  });
  it("refuses a flag without its value and a name with bidi overrides", () => {
    const missing = parseNewAccountArgs(["--email", "--name", "x"]);
    expect(missing.ok).toBe(false);
    const bidi = parseNewAccountArgs(["--email", "a@example.com", "--name", "Eve \u202eliaM"]);
    expect(bidi).toMatchObject({ ok: false, errors: ["--name contains control characters"] });
  });
  it("checks the password length", () => {
    expect(passwordProblem("short")).toMatch(/at least 10/);
    expect(passwordProblem("x".repeat(201))).toMatch(/at most 200/);
    expect(passwordProblem("long enough password")).toBeNull();
  });
});
