import { describe, expect, it } from "vitest";
import {
  addMonthsClamped,
  awardValidity,
  certificateStatus,
  endOfTokyoDay,
  isInRecertificationWindow,
  recertificationOpensAt,
  startOfTokyoDay,
  tokyoDate,
  validUntilFor,
} from "~/certification/validity";
import { DISPLAY_TIME_ZONE, formatDate } from "~/i18n/format";

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);

describe("the Tokyo calendar", () => {
  it("a pass at 2026-03-31T15:30Z is on 1 April in Tokyo", () => {
    expect(tokyoDate(at("2026-03-31T15:30:00Z"))).toEqual({ year: 2026, month: 4, day: 1 });
  });

  it("the Tokyo day turns at 15:00 UTC, not at UTC midnight", () => {
    expect(tokyoDate(at("2026-03-31T14:59:59.999Z"))).toEqual({ year: 2026, month: 3, day: 31 });
    expect(tokyoDate(at("2026-03-31T15:00:00.000Z"))).toEqual({ year: 2026, month: 4, day: 1 });
    expect(tokyoDate(at("2026-04-01T00:00:00.000Z"))).toEqual({ year: 2026, month: 4, day: 1 });
    expect(tokyoDate(at("2026-12-31T15:00:00.000Z"))).toEqual({ year: 2027, month: 1, day: 1 });
  });

  it("agrees with Intl's Asia/Tokyo on every instant sampled over six years", () => {
    const intl = new Intl.DateTimeFormat("en-CA", { timeZone: DISPLAY_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2031, 0, 1); t += 7 * 3_600_000 + 37 * 60_000 + 1_234) {
      const d = tokyoDate(new Date(t));
      const expected = intl.format(new Date(t));
      expect(`${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`, new Date(t).toISOString()).toBe(expected);
    }
  });

  it("a Tokyo day runs from 15:00 UTC the day before to 14:59:59.999 UTC", () => {
    expect(iso(startOfTokyoDay({ year: 2026, month: 4, day: 1 }))).toBe("2026-03-31T15:00:00.000Z");
    expect(iso(endOfTokyoDay({ year: 2026, month: 4, day: 1 }))).toBe("2026-04-01T14:59:59.999Z");
  });
});

describe("adding months", () => {
  it("clamps to the end of a shorter month: 31 January + 1 month is 28 February, 29 in a leap year", () => {
    expect(addMonthsClamped({ year: 2026, month: 1, day: 31 }, 1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addMonthsClamped({ year: 2028, month: 1, day: 31 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addMonthsClamped({ year: 2026, month: 3, day: 31 }, 1)).toEqual({ year: 2026, month: 4, day: 30 });
  });

  it("29 February + 12 months is 28 February", () => {
    expect(addMonthsClamped({ year: 2028, month: 2, day: 29 }, 12)).toEqual({ year: 2029, month: 2, day: 28 });
    expect(addMonthsClamped({ year: 2028, month: 2, day: 29 }, 48)).toEqual({ year: 2032, month: 2, day: 29 });
  });

  it("rolls over the year", () => {
    expect(addMonthsClamped({ year: 2026, month: 12, day: 31 }, 2)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(addMonthsClamped({ year: 2026, month: 11, day: 15 }, 24)).toEqual({ year: 2028, month: 11, day: 15 });
  });
});

describe("valid until", () => {
  it("runs through the end of the Tokyo day N months after the Tokyo pass day", () => {
    expect(iso(validUntilFor(at("2026-04-01T03:00:00Z"), 12))).toBe("2027-04-01T14:59:59.999Z");
  });

  it("a pass late on 31 March UTC is a 1 April pass in Tokyo", () => {
    expect(iso(validUntilFor(at("2026-03-31T15:30:00Z"), 12))).toBe("2027-04-01T14:59:59.999Z");
    expect(iso(validUntilFor(at("2026-03-31T14:59:59.999Z"), 12))).toBe("2027-03-31T14:59:59.999Z");
  });

  it("a pass at UTC midnight is the same day in both time zones", () => {
    expect(iso(validUntilFor(at("2026-04-01T00:00:00Z"), 24))).toBe("2028-04-01T14:59:59.999Z");
  });

  it("clamps a pass on 31 January to the end of February", () => {
    expect(iso(validUntilFor(at("2027-01-31T01:00:00Z"), 1))).toBe("2027-02-28T14:59:59.999Z");
    expect(iso(validUntilFor(at("2028-01-30T15:10:00Z"), 1))).toBe("2028-02-29T14:59:59.999Z");
  });

  it("is shown as the right day in both languages", () => {
    const until = validUntilFor(at("2026-03-31T15:30:00Z"), 12);
    expect(formatDate(until, "ja")).toBe("2027年4月1日");
    expect(formatDate(until, "en")).toBe("1 April 2027");
  });

  it("refuses a validity that is not a positive whole number of months", () => {
    expect(() => validUntilFor(at("2026-04-01T00:00:00Z"), 0)).toThrow(RangeError);
    expect(() => validUntilFor(at("2026-04-01T00:00:00Z"), 1.5)).toThrow(RangeError);
  });
});

describe("status at a moment", () => {
  const validUntil = at("2027-03-31T14:59:59.999Z");
  const cert = { validUntil, revokedAt: null };

  it("is valid through the last millisecond of the last Tokyo day", () => {
    expect(certificateStatus(cert, validUntil)).toBe("valid");
    expect(certificateStatus(cert, at("2027-03-31T00:00:00Z"))).toBe("valid");
  });

  it("is expired from Tokyo midnight on, though it is still the same day in UTC", () => {
    expect(certificateStatus(cert, ms(validUntil, 1))).toBe("expired");
    expect(certificateStatus(cert, at("2027-03-31T23:00:00Z"))).toBe("expired");
  });

  it("is revoked from the moment of revocation, and revocation wins over expiry", () => {
    const revoked = { validUntil, revokedAt: at("2026-10-01T00:00:00Z") };
    expect(certificateStatus(revoked, at("2026-09-30T23:59:59.999Z"))).toBe("valid");
    expect(certificateStatus(revoked, at("2026-10-01T00:00:00Z"))).toBe("revoked");
    expect(certificateStatus(revoked, at("2028-01-01T00:00:00Z"))).toBe("revoked");
  });
});

describe("the recertification window", () => {
  const validUntil = at("2027-03-31T14:59:59.999Z"); // through 31 March 2027 in Tokyo
  const cert = { validUntil, revokedAt: null };

  it("opens at Tokyo midnight on the first of the last N days of validity", () => {
    // 90 days: 1 January – 31 March 2027 (31 + 28 + 31).
    expect(iso(recertificationOpensAt(validUntil, 90))).toBe("2026-12-31T15:00:00.000Z");
    // 60 days before validity through 1 April 2027: 1 February – 1 April (28 + 31 + 1).
    expect(iso(recertificationOpensAt(at("2027-04-01T14:59:59.999Z"), 60))).toBe("2027-01-31T15:00:00.000Z");
    expect(iso(recertificationOpensAt(validUntil, 1))).toBe("2027-03-30T15:00:00.000Z");
  });

  it("a moment is inside the window from its opening until the certificate ends", () => {
    expect(isInRecertificationWindow(cert, 90, at("2026-12-31T14:59:59.999Z"))).toBe(false);
    expect(isInRecertificationWindow(cert, 90, at("2026-12-31T15:00:00.000Z"))).toBe(true);
    expect(isInRecertificationWindow(cert, 90, validUntil)).toBe(true);
    expect(isInRecertificationWindow(cert, 90, ms(validUntil, 1))).toBe(false);
  });

  it("a revoked certificate is never inside the window", () => {
    expect(isInRecertificationWindow({ validUntil, revokedAt: at("2027-01-10T00:00:00Z") }, 90, at("2027-02-01T00:00:00Z"))).toBe(false);
  });

  it("a window of 0 days never opens", () => {
    expect(isInRecertificationWindow(cert, 0, validUntil)).toBe(false);
  });
});

describe("awarding validity on a pass", () => {
  const previous = { validUntil: at("2027-03-31T14:59:59.999Z"), revokedAt: null };

  it("a first pass runs from the pass day", () => {
    expect(awardValidity(at("2026-03-31T15:30:00Z"), 12, null)).toEqual({ kind: "new", validUntil: at("2027-04-01T14:59:59.999Z") });
  });

  it("recertifying inside the window extends from the old end day, losing no days", () => {
    const award = awardValidity(at("2027-01-05T02:00:00Z"), 12, previous);
    expect(award).toEqual({ kind: "extended", validUntil: at("2028-03-31T14:59:59.999Z"), previousValidUntil: previous.validUntil });
  });

  it("recertifying on the last valid millisecond still extends from the old end day", () => {
    expect(awardValidity(previous.validUntil, 12, previous).kind).toBe("extended");
  });

  it("a pass after expiry runs from the pass day, even minutes after Tokyo midnight", () => {
    expect(awardValidity(at("2027-03-31T15:05:00Z"), 12, previous)).toEqual({ kind: "new", validUntil: at("2028-04-01T14:59:59.999Z") });
  });

  it("a pass after revocation runs from the pass day", () => {
    const revoked = { ...previous, revokedAt: at("2026-12-01T00:00:00Z") };
    expect(awardValidity(at("2027-01-05T02:00:00Z"), 12, revoked)).toEqual({ kind: "new", validUntil: at("2028-01-05T14:59:59.999Z") });
  });

  it("extending a certificate that ends on 29 February clamps to 28 February", () => {
    const leap = { validUntil: at("2028-02-29T14:59:59.999Z"), revokedAt: null };
    expect(awardValidity(at("2028-01-10T00:00:00Z"), 12, leap).validUntil).toEqual(at("2029-02-28T14:59:59.999Z"));
  });
});
