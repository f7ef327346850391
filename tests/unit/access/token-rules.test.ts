import { describe, expect, it } from "vitest";
import { API_SCOPES } from "#db/schema/access";
import { SCOPE_TEXT_KEYS, bearerToken, formatToken, parseToken, tokyoDay, usageWrites } from "~/access/token-rules";
import en from "~/i18n/locales/en.json";
import ja from "~/i18n/locales/ja.json";

const SECRET = "A".repeat(40) + "-_9"; // 43 base64url characters

describe("token format", () => {
  it("reads the public prefix of a well-formed token", () => {
    expect(parseToken(formatToken("ab12cd34", SECRET))).toEqual({ prefix: "mnb_live_ab12cd34" });
  });

  it("refuses anything else: another prefix, upper case, a short or long secret, other characters", () => {
    for (const token of [
      `mnb_test_ab12cd34_${SECRET}`,
      `mnb_live_AB12CD34_${SECRET}`,
      `mnb_live_ab12cd3_${SECRET}`,
      `mnb_live_ab12cd34_${SECRET.slice(1)}`,
      `mnb_live_ab12cd34_${SECRET}x`,
      `mnb_live_ab12cd34_${SECRET.slice(1)}+`,
      ` mnb_live_ab12cd34_${SECRET}`,
      "",
    ]) {
      expect(parseToken(token), token).toBeNull();
    }
  });

  it("takes the token from a Bearer header, whatever the scheme's case, and nothing else", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});

describe("recording token use", () => {
  const at = (iso: string) => new Date(iso);

  it("counts days on the Tokyo calendar", () => {
    expect(tokyoDay(at("2026-11-30T14:59:59.999Z"))).toBe("2026-11-30");
    expect(tokyoDay(at("2026-11-30T15:00:00.000Z"))).toBe("2026-12-01");
  });

  it("records a first use, and logs it as the day's use", () => {
    expect(usageWrites(null, at("2026-11-30T01:00:00Z"))).toEqual({ touch: true, firstOfDay: true });
  });

  it("writes the last use at most once a minute", () => {
    const last = at("2026-11-30T01:00:00.000Z");
    expect(usageWrites(last, at("2026-11-30T01:00:59.999Z"))).toEqual({ touch: false, firstOfDay: false });
    expect(usageWrites(last, at("2026-11-30T01:01:00.000Z"))).toEqual({ touch: true, firstOfDay: false });
  });

  it("logs the first use after midnight in Tokyo, even within the minute", () => {
    const last = at("2026-11-30T14:59:59.500Z");
    expect(usageWrites(last, at("2026-11-30T15:00:00.000Z"))).toEqual({ touch: true, firstOfDay: true });
  });

  it("does not log a day twice when a clock runs behind", () => {
    const last = at("2026-11-30T15:00:10.000Z"); // 1 December in Tokyo
    expect(usageWrites(last, at("2026-11-30T14:59:59.000Z")).firstOfDay).toBe(false);
  });
});

describe("scope descriptions on the admin page", () => {
  it("every scope has a text in both languages", () => {
    for (const scope of API_SCOPES) {
      const [, section, key] = SCOPE_TEXT_KEYS[scope].split(".");
      for (const locale of [en, ja] as Record<string, any>[]) {
        expect(locale.apiTokens?.[section!]?.[key!], scope).toMatch(/\S{5}/);
      }
    }
  });
});
