import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_DEPARTMENTS, DEMO_PEOPLE } from "#db/seed/demo-org";
import { formatDate, formatDateTime, formatNumber, formatPersonName, formatTime } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";

describe("names, dates and numbers", () => {
  const person = { familyName: "山田", givenName: "太郎" };

  it("writes a name in kanji or kana family name first in both languages", () => {
    expect(formatPersonName(person, "ja")).toBe("山田 太郎");
    expect(formatPersonName(person, "en")).toBe("山田 太郎");
    expect(formatPersonName({ familyName: "佐々木", givenName: "さくら" }, "en")).toBe("佐々木 さくら");
    expect(formatPersonName({ familyName: "クラーク", givenName: "エミリー" }, "en")).toBe("クラーク エミリー");
  });

  it("uses a romanised name in English where the person has one, given name first", () => {
    expect(formatPersonName({ ...person, familyNameLatin: "Yamada", givenNameLatin: "Taro" }, "en")).toBe("Taro Yamada");
    expect(formatPersonName({ ...person, familyNameLatin: "Yamada", givenNameLatin: "Taro" }, "ja")).toBe("山田 太郎");
  });

  it("writes a Latin name given name first, and in Japanese from its kana reading as Japanese writes foreign names", () => {
    const emily = { familyName: "Clark", givenName: "Emily" };
    expect(formatPersonName(emily, "en")).toBe("Emily Clark");
    expect(formatPersonName(emily, "ja")).toBe("Emily Clark");
    expect(formatPersonName({ ...emily, familyNameKana: "くらーく", givenNameKana: "えみりー" }, "ja")).toBe("エミリー・クラーク");
    expect(formatPersonName({ ...emily, familyNameKana: "クラーク", givenNameKana: "エミリー" }, "ja")).toBe("エミリー・クラーク");
  });

  it("leaves out an empty part instead of a stray space", () => {
    expect(formatPersonName({ familyName: "Madonna", givenName: "" }, "en")).toBe("Madonna");
    expect(formatPersonName({ familyName: "王", givenName: "" }, "ja")).toBe("王");
  });

  it("formats dates in Japanese conventions and in Tokyo time", () => {
    // 2026-11-25 20:30 UTC is already 26 November in Tokyo.
    const date = new Date("2026-11-25T20:30:00Z");
    expect(formatDate(date, "ja")).toBe("2026年11月26日");
    expect(formatDate(date, "en")).toBe("26 November 2026");
    expect(formatDateTime(date, "ja")).toBe("2026/11/26 5:30");
    // English names the zone: the reader's own clock may differ.
    expect(formatDateTime(date, "en")).toBe("26 Nov 2026, 05:30 JST");
    expect(formatTime(date, "en")).toBe("05:30 JST");
    expect(formatTime(date, "ja")).toBe("5:30");
  });

  it("formats numbers for the reader", () => {
    expect(formatNumber(12345.5, "ja")).toBe("12,345.5");
    expect(formatNumber(0.8, "en", { style: "percent" })).toBe("80%");
  });

  it("titles pages in the reader's language", () => {
    expect(pageTitle({ matches: [{ id: "root", data: { language: "ja" } }] }, "auth.signIn.title")).toEqual([{ title: "ログイン | Manabi" }]);
    expect(pageTitle({ matches: [{ id: "root", data: { language: "en" } }] }, "auth.signIn.title")).toEqual([{ title: "Sign in | Manabi" }]);
    const forbidden = { status: 403, statusText: "Forbidden" };
    expect(pageTitle({ matches: [{ id: "root", data: { language: "ja" } }], error: forbidden }, "nav.hr")).toEqual([
      { title: "このページを表示する権限がありません | Manabi" },
    ]);
  });
});

describe("demo organisation data", () => {
  it("has 40 people in 4 departments with unique emails and existing managers", () => {
    expect(DEMO_PEOPLE).toHaveLength(40);
    expect(DEMO_DEPARTMENTS).toHaveLength(4);
    expect(new Set(DEMO_PEOPLE.map((p) => p.email)).size).toBe(40);
    const keys = new Set(DEMO_PEOPLE.map((p) => p.key));
    for (const p of DEMO_PEOPLE) if (p.manager) expect(keys.has(p.manager), p.key).toBe(true);
    for (const d of DEMO_DEPARTMENTS) expect(DEMO_PEOPLE.some((p) => p.department === d.id)).toBe(true);
  });

  it("nests reporting lines at most two levels below each head", () => {
    const byKey = new Map(DEMO_PEOPLE.map((p) => [p.key, p]));
    const depth = (key: string): number => {
      const m = byKey.get(key)!.manager;
      return m ? 1 + depth(m) : 0;
    };
    expect(Math.max(...DEMO_PEOPLE.map((p) => depth(p.key)))).toBe(2);
  });

  it("has one demo account per role, plus a few non-Japanese names", () => {
    expect(DEMO_ACCOUNTS.map((a) => a.role).sort()).toEqual(["admin", "author", "hr", "learner", "manager"]);
    expect(DEMO_PEOPLE.filter((p) => /^[A-Za-z]/.test(p.family)).length).toBeGreaterThanOrEqual(3);
  });
});
