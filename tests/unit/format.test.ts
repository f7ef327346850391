import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_DEPARTMENTS, DEMO_PEOPLE } from "#db/seed/demo-org";
import { formatDate, formatDateTime, formatNumber, formatPersonName } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";

describe("names, dates and numbers", () => {
  const person = { familyName: "山田", givenName: "太郎" };

  it("shows the family name first in Japanese and the given name first in English", () => {
    expect(formatPersonName(person, "ja")).toBe("山田 太郎");
    expect(formatPersonName(person, "en")).toBe("太郎 山田");
    expect(formatPersonName({ familyName: "Clark", givenName: "Emily" }, "en")).toBe("Emily Clark");
  });

  it("formats dates in Japanese conventions and in Tokyo time", () => {
    // 2026-11-25 20:30 UTC is already 26 November in Tokyo.
    const date = new Date("2026-11-25T20:30:00Z");
    expect(formatDate(date, "ja")).toBe("2026年11月26日");
    expect(formatDate(date, "en")).toBe("26 November 2026");
    expect(formatDateTime(date, "ja")).toBe("2026/11/26 5:30");
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
